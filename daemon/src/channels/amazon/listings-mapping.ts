/**
 * Pure mapping between Shelfguard's quantities and the Listings Items API 2021-08-01: the
 * patch that sets a merchant-fulfilled quantity, the submission response turned into a push
 * result, and a searched listing turned into a quantity. No I/O here.
 */
import { z } from 'zod';
import { channelError, type ChannelQuantity, type ListingRef, type PushResult, type QuantityUpdate } from '../channel.js';

/** `DEFAULT` is the merchant's own network (MFN); `AMAZON_*` codes are FBA pools Amazon owns. */
export const MERCHANT_FULFILLMENT_CHANNEL = 'DEFAULT';
export const FULFILLMENT_AVAILABILITY_PATH = '/attributes/fulfillment_availability';

export interface QuantityPatchRequest {
  productType: string;
  patches: Array<{ op: 'replace'; path: string; value: Array<{ fulfillment_channel_code: string; quantity: number }> }>;
}

export function quantityPatch(productType: string, quantity: number): QuantityPatchRequest {
  return {
    productType,
    patches: [{ op: 'replace', path: FULFILLMENT_AVAILABILITY_PATH, value: [{ fulfillment_channel_code: MERCHANT_FULFILLMENT_CHANNEL, quantity }] }],
  };
}

export function isAmazonFulfilled(listing: ListingRef): boolean {
  const code = listing.identifiers.fulfillmentChannelCode;
  return code !== undefined && code !== MERCHANT_FULFILLMENT_CHANNEL;
}

/** Refusals decided before any call: Amazon's own stock, a parent, or a quantity Amazon cannot take. */
export function refuseBeforeSending(update: QuantityUpdate, quantityMax: number): PushResult | undefined {
  const base = { sku: update.listing.sku, version: update.version, status: 'failed' as const };
  if (isAmazonFulfilled(update.listing)) {
    return { ...base, error: channelError('invalid_request', `SKU ${update.listing.sku} is fulfilled by Amazon (${update.listing.identifiers.fulfillmentChannelCode}); its quantity is Amazon's and is never pushed`) };
  }
  if (update.listing.identifiers.parentage === 'parent') {
    return { ...base, error: channelError('invalid_request', `SKU ${update.listing.sku} is a variation parent; quantity belongs on its children`) };
  }
  if (!Number.isInteger(update.quantity) || update.quantity < 0 || update.quantity > quantityMax) {
    return { ...base, error: channelError('invalid_request', `quantity for SKU ${update.listing.sku} must be an integer from 0 to ${quantityMax}, got ${update.quantity}`) };
  }
  return undefined;
}

const issueSchema = z.object({ code: z.string(), message: z.string(), severity: z.enum(['ERROR', 'WARNING', 'INFO']) }).passthrough();
const submissionSchema = z.object({
  sku: z.string(),
  status: z.enum(['ACCEPTED', 'INVALID', 'VALID']),
  submissionId: z.string(),
  issues: z.array(issueSchema).optional(),
}).passthrough();

/** A patchListingsItem answer as a push result: ACCEPTED is asynchronous, so 'accepted', not 'applied'. */
export function resultFromSubmission(update: QuantityUpdate, body: unknown): PushResult {
  const base = { sku: update.listing.sku, version: update.version };
  const parsed = submissionSchema.safeParse(body);
  if (!parsed.success) return { ...base, status: 'failed', error: channelError('invalid_response', `patchListingsItem answered without a ListingsItemSubmissionResponse: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`) };
  const submission = parsed.data;
  if (submission.status === 'ACCEPTED') return { ...base, status: 'accepted', submissionId: submission.submissionId };
  const errors = (submission.issues ?? []).filter((issue) => issue.severity === 'ERROR');
  const described = errors.map((issue) => `${issue.code}: ${issue.message}`).join('; ') || 'no issue given';
  return { ...base, status: 'failed', submissionId: submission.submissionId, error: channelError('invalid_request', `Amazon refused the quantity for SKU ${update.listing.sku}: ${described}`, { marketplaceCode: errors[0]?.code ?? submission.status }) };
}

const searchedItemSchema = z.object({
  sku: z.string().min(1),
  summaries: z.array(z.object({ marketplaceId: z.string(), asin: z.string().optional(), productType: z.string().optional() }).passthrough()).optional(),
  fulfillmentAvailability: z.array(z.object({ fulfillmentChannelCode: z.string(), quantity: z.number().int().min(0).optional() }).passthrough()).optional(),
  relationships: z.array(z.object({
    marketplaceId: z.string(),
    relationships: z.array(z.object({ type: z.string(), parentSkus: z.array(z.string()).optional(), childSkus: z.array(z.string()).optional() }).passthrough()),
  }).passthrough()).optional(),
}).passthrough();
export type SearchedItem = z.infer<typeof searchedItemSchema>;

export function parseSearchedItem(raw: unknown): { ok: true; value: SearchedItem } | { ok: false; message: string } {
  const parsed = searchedItemSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
}

/** The listing as Shelfguard refers to it, with what a later push needs (product type, channel). */
export function listingRefFromItem(item: SearchedItem): ListingRef & { isParent: boolean } {
  const summary = item.summaries?.[0];
  const variation = item.relationships?.flatMap((entry) => entry.relationships).filter((relationship) => relationship.type === 'VARIATION') ?? [];
  const parentSku = variation.flatMap((relationship) => relationship.parentSkus ?? [])[0];
  const isParent = variation.some((relationship) => (relationship.childSkus ?? []).length > 0);
  const channelCode = item.fulfillmentAvailability?.[0]?.fulfillmentChannelCode;
  const identifiers: Record<string, string> = {};
  if (summary?.asin) identifiers.asin = summary.asin;
  if (summary?.productType) identifiers.productType = summary.productType;
  if (channelCode) identifiers.fulfillmentChannelCode = channelCode;
  if (isParent) identifiers.parentage = 'parent';
  return { sku: item.sku, identifiers, ...(parentSku ? { parentSku } : {}), isParent };
}

/**
 * The merchant-fulfilled quantity of a searched listing; undefined for parents (no quantity of
 * their own) and for FBA listings, whose quantity is read from the FBA inventory API instead.
 */
export function merchantQuantityFromItem(item: SearchedItem): ChannelQuantity | undefined {
  const { isParent, ...listing } = listingRefFromItem(item);
  if (isParent) return undefined;
  const availability = item.fulfillmentAvailability ?? [];
  const merchant = availability.find((entry) => entry.fulfillmentChannelCode === MERCHANT_FULFILLMENT_CHANNEL);
  if (!merchant && availability.length > 0) return undefined;
  return { listing, quantity: merchant?.quantity ?? 0 };
}
