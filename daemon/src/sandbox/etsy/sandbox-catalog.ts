/**
 * The sandbox's listings in Etsy's shape, derived from the kit's SKU-level state: a standalone
 * SKU is a listing with one product; a variation parent is a listing whose products are its
 * children, each with property values from its attributes (up to two variation properties, the
 * standard ones by id, others as Etsy's custom properties 513 and 514).
 */
import type { SandboxListing, SandboxState } from '../kit/sandbox-state.js';

export interface EtsyListingView {
  listingId: number;
  parent?: SandboxListing;
  products: SandboxListing[];
}

const STANDARD_PROPERTIES: Record<string, { id: number; name: string }> = {
  color: { id: 200, name: 'Primary color' },
  colour: { id: 200, name: 'Primary color' },
  size: { id: 100, name: 'Size' },
};
const CUSTOM_PROPERTY_IDS = [513, 514];

export function listingViews(state: SandboxState): EtsyListingView[] {
  const views = new Map<number, EtsyListingView>();
  for (const listing of state.listings.values()) {
    const listingId = Number(listing.identifiers.listingId);
    const view = views.get(listingId) ?? { listingId, products: [] };
    if (listing.isParent) view.parent = listing;
    else view.products.push(listing);
    views.set(listingId, view);
  }
  for (const view of views.values()) view.products.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return [...views.values()].sort((a, b) => a.listingId - b.listingId);
}

/** One listing's view through the state's identifier index: every inventory GET and PUT looks one
 * up, and building every view for each of them made Etsy the slowest sandbox by far. */
export function findListingView(state: SandboxState, listingId: number): EtsyListingView | undefined {
  const members = state.listingsWith('listingId', String(listingId));
  if (members.length === 0) return undefined;
  const view: EtsyListingView = { listingId, products: [] };
  for (const listing of members) {
    if (listing.isParent) view.parent = listing;
    else view.products.push(listing);
  }
  view.products.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return view;
}

/** Sold out when nothing is left to sell; draft when a parent has no variation yet. */
export function listingState(view: EtsyListingView): 'active' | 'sold_out' | 'draft' {
  if (view.products.length === 0) return 'draft';
  return view.products.every((product) => product.quantity === 0) ? 'sold_out' : 'active';
}

function valueId(propertyId: number, value: string): number {
  let hash = 2166136261;
  for (const char of `${propertyId}:${value}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return (hash % 2_000_000_000) + 1;
}

export function variationProperties(view: EtsyListingView): Array<{ key: string; id: number; name: string }> {
  if (!view.parent) return [];
  const keys = [...new Set(view.products.flatMap((product) => Object.keys(product.attributes)))].sort().slice(0, 2);
  if (keys.length === 0) return [{ key: '', id: CUSTOM_PROPERTY_IDS[0]!, name: 'Variation' }];
  let custom = 0;
  return keys.map((key) => STANDARD_PROPERTIES[key.toLowerCase()] ? { key, ...STANDARD_PROPERTIES[key.toLowerCase()]! } : { key, id: CUSTOM_PROPERTY_IDS[custom++]!, name: key });
}

export function propertyValuesOf(view: EtsyListingView, product: SandboxListing) {
  return variationProperties(view).map((property) => {
    const value = property.key === '' ? product.sku : (product.attributes[property.key] ?? 'Default');
    return { property_id: property.id, property_name: property.name, scale_id: null, scale_name: null, value_ids: [valueId(property.id, value)], values: [value] };
  });
}

export function money(price: string) {
  return { amount: Math.round(Number(price) * 100), divisor: 100, currency_code: 'USD' };
}

/** The ListingInventory document of a listing, as getListingInventory answers it. */
export function inventoryOf(view: EtsyListingView) {
  const propertyIds = variationProperties(view).map((property) => property.id);
  return {
    products: view.products.map((product) => ({
      product_id: Number(product.identifiers.productId),
      sku: product.sku,
      is_deleted: false,
      offerings: [{ offering_id: Number(product.identifiers.productId) + 1, quantity: product.quantity, is_enabled: true, is_deleted: false, price: money(product.price) }],
      property_values: propertyValuesOf(view, product),
    })),
    price_on_property: [],
    quantity_on_property: propertyIds,
    sku_on_property: propertyIds,
  };
}

export function shopListingOf(view: EtsyListingView, ids: { userId: number; shopId: number }) {
  const first = view.parent ?? view.products[0]!;
  const updatedSeconds = Math.floor(Math.max(first.updatedAtMs, ...view.products.map((product) => product.updatedAtMs)) / 1000);
  const prices = view.products.map((product) => Number(product.price));
  return {
    listing_id: view.listingId,
    user_id: ids.userId,
    shop_id: ids.shopId,
    title: `Sandbox listing ${first.sku}`,
    state: listingState(view),
    quantity: view.products.reduce((sum, product) => sum + product.quantity, 0),
    has_variations: Boolean(view.parent),
    url: `https://www.etsy.com/listing/${view.listingId}`,
    created_timestamp: updatedSeconds,
    updated_timestamp: updatedSeconds,
    last_modified_timestamp: updatedSeconds,
    skus: view.products.map((product) => product.sku),
    price: money((prices.length > 0 ? Math.min(...prices) : 0).toFixed(2)),
    inventory: inventoryOf(view),
  };
}
