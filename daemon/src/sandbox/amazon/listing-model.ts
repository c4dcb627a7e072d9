/**
 * How the sandbox presents its listings in Amazon's shapes (Listings Items `Item`) and decides
 * whether a quantity patch is acceptable, shared by patchListingsItem and JSON_LISTINGS_FEED.
 * Issue codes are the sandbox's own: Amazon's are numeric and not in the saved models.
 */
import type { SandboxListing, SandboxState } from '../kit/sandbox-state.js';

export interface ListingIssue { code: string; message: string; severity: 'ERROR' | 'WARNING' | 'INFO'; attributeNames?: string[]; categories: string[] }

/** Product type Amazon accepts for offer-only changes to an existing listing. */
export const OFFER_ONLY_PRODUCT_TYPE = 'PRODUCT';
const TOP_LEVEL_ATTRIBUTE = /^\/attributes\/([a-z0-9_]+)$/;

export function productTypeOf(listing: SandboxListing): string {
  return listing.identifiers.productType ?? OFFER_ONLY_PRODUCT_TYPE;
}

export interface PatchLike { op: string; path: string; value?: unknown }

/**
 * The quantity a set of patches would give the listing, or the issues that make Amazon refuse
 * it. Only fulfillment_availability is modelled; other top-level attributes are accepted as is.
 */
export function planQuantityPatch(listing: SandboxListing | undefined, sku: string, productType: string, patches: PatchLike[]): { issues: ListingIssue[]; quantity?: number } {
  if (!listing) return { issues: [{ code: 'LISTING_NOT_FOUND', message: `SKU '${sku}' does not exist in the seller's catalog for this marketplace.`, severity: 'ERROR', categories: ['INVALID_ATTRIBUTE'] }] };
  if (productType !== productTypeOf(listing) && productType !== OFFER_ONLY_PRODUCT_TYPE) {
    return { issues: [{ code: 'PRODUCT_TYPE_MISMATCH', message: `Product type '${productType}' does not match the listing's product type '${productTypeOf(listing)}'.`, severity: 'ERROR', categories: ['INVALID_ATTRIBUTE'] }] };
  }
  let quantity: number | undefined;
  const issues: ListingIssue[] = [];
  for (const patch of patches) {
    const attribute = TOP_LEVEL_ATTRIBUTE.exec(patch.path)?.[1];
    if (!attribute) { issues.push({ code: 'INVALID_PATCH_PATH', message: `Patch path '${patch.path}' is not a top-level attribute (/attributes/<name>).`, severity: 'ERROR', categories: ['INVALID_ATTRIBUTE'] }); continue; }
    if (attribute !== 'fulfillment_availability') continue;
    const entries = Array.isArray(patch.value) ? (patch.value as Array<Record<string, unknown>>) : [];
    if (patch.op === 'delete') { quantity = 0; continue; }
    const merchant = entries.find((entry) => entry.fulfillment_channel_code === 'DEFAULT');
    const invalid = entries.find((entry) => typeof entry.fulfillment_channel_code !== 'string' || (entry.quantity !== undefined && (typeof entry.quantity !== 'number' || !Number.isInteger(entry.quantity) || entry.quantity < 0)));
    if (invalid || entries.length === 0) { issues.push({ code: 'INVALID_ATTRIBUTE', message: "'fulfillment_availability' needs fulfillment_channel_code and a non-negative integer quantity.", severity: 'ERROR', attributeNames: ['fulfillment_availability'], categories: ['INVALID_ATTRIBUTE'] }); continue; }
    if (listing.isParent) { issues.push({ code: 'PARENT_NOT_BUYABLE', message: `SKU '${sku}' is a variation parent; parents are not buyable and carry no fulfillment_availability.`, severity: 'ERROR', attributeNames: ['fulfillment_availability'], categories: ['INVALID_ATTRIBUTE'] }); continue; }
    if (listing.fulfilledByMarketplace && merchant) { issues.push({ code: 'FULFILLMENT_CHANNEL_CONFLICT', message: `SKU '${sku}' is fulfilled by Amazon; its quantity is managed by Amazon and cannot be set with DEFAULT.`, severity: 'ERROR', attributeNames: ['fulfillment_availability'], categories: ['INVALID_ATTRIBUTE'] }); continue; }
    if (merchant && typeof merchant.quantity === 'number') quantity = merchant.quantity;
  }
  return issues.length > 0 ? { issues } : (quantity === undefined ? { issues } : { issues, quantity });
}

export function applyQuantity(state: SandboxState, sku: string, quantity: number, nowMs: number): void {
  const listing = state.listings.get(sku);
  if (!listing) return;
  listing.quantity = quantity;
  listing.revisionsToday += 1;
  listing.updatedAtMs = nowMs;
}

export const LISTING_INCLUDED_DATA = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'] as const;

/** A listing as the Listings Items API returns it, with the requested includedData sections. */
export function itemOf(listing: SandboxListing, state: SandboxState, marketplaceId: string, included: readonly string[]): Record<string, unknown> {
  const item: Record<string, unknown> = { sku: listing.sku };
  const when = new Date(listing.updatedAtMs).toISOString();
  if (included.includes('summaries')) {
    item.summaries = [{
      marketplaceId,
      asin: listing.identifiers.asin,
      productType: productTypeOf(listing),
      conditionType: 'new_new',
      status: listing.isParent ? ['DISCOVERABLE'] : ['BUYABLE', 'DISCOVERABLE'],
      itemName: listing.attributes.title ?? listing.sku,
      createdDate: when,
      lastUpdatedDate: when,
    }];
  }
  if (included.includes('attributes')) item.attributes = Object.fromEntries(Object.entries(listing.attributes).map(([name, value]) => [name, [{ value, marketplace_id: marketplaceId }]]));
  if (included.includes('issues')) item.issues = [];
  if (included.includes('fulfillmentAvailability')) {
    if (listing.isParent) item.fulfillmentAvailability = [];
    else if (listing.fulfilledByMarketplace) item.fulfillmentAvailability = [{ fulfillmentChannelCode: listing.identifiers.fulfillmentChannelCode ?? 'AMAZON_NA' }];
    else item.fulfillmentAvailability = [{ fulfillmentChannelCode: 'DEFAULT', quantity: listing.quantity }];
  }
  if (included.includes('relationships')) {
    const children = listing.isParent ? state.sortedListings().filter((candidate) => candidate.parentSku === listing.sku) : [];
    const theme = { attributes: Object.keys(children[0]?.attributes ?? listing.attributes).filter((name) => name !== 'title' && name !== 'productType'), theme: 'VARIATION' };
    const themed = { ...theme, theme: theme.attributes.map((name) => name.toUpperCase()).join('/') || 'COLOR' };
    const relationships = listing.isParent
      ? [{ type: 'VARIATION', childSkus: children.map((child) => child.sku), variationTheme: themed }]
      : listing.parentSku ? [{ type: 'VARIATION', parentSkus: [listing.parentSku], variationTheme: themed }] : [];
    item.relationships = [{ marketplaceId, relationships }];
  }
  if (included.includes('productTypes')) item.productTypes = [{ marketplaceId, productType: productTypeOf(listing) }];
  return item;
}
