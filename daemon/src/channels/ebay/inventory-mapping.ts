/**
 * Pure mapping between Shelfguard's quantity updates and the Inventory API's
 * bulkUpdatePriceQuantity and getInventoryItems shapes (sell_inventory_v1_oas3.json).
 */
import { channelError, fail, ok, type ChannelQuantity, type ListingRef, type PushResult, type QuantityUpdate, type Result } from '../channel.js';
import { entryFailure, type EbayErrorDetail } from './ebay-errors.js';
import { INVENTORY_PAGE_SIZE_MAX, OPERATION_NAMES, QUANTITY_MAX } from './limits.js';

export interface PriceQuantityRequest {
  sku: string;
  shipToLocationAvailability: { quantity: number };
  offers?: Array<{ offerId: string; availableQuantity: number }>;
}

/** Which eBay path a listing takes: legacy listings carry a Trading item id, groups take nothing. */
export type ListingRoute = 'inventory' | 'trading' | 'parent';

export function routeOf(listing: ListingRef): ListingRoute {
  if (listing.identifiers.inventoryItemGroupKey !== undefined && listing.identifiers.offerId === undefined && listing.identifiers.tradingItemId === undefined) return 'parent';
  return listing.identifiers.tradingItemId !== undefined ? 'trading' : 'inventory';
}

/** Quantities eBay would refuse are refused here, before a call is spent on them. */
export function checkQuantity(update: QuantityUpdate): PushResult | undefined {
  const { quantity } = update;
  if (Number.isInteger(quantity) && quantity >= 0 && quantity <= QUANTITY_MAX) return undefined;
  return { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('invalid_request', `quantity for SKU ${update.listing.sku} must be an integer from 0 to ${QUANTITY_MAX}, got ${quantity}`) };
}

/**
 * Both quantities are set: eBay shows the smaller of the inventory item's ship-to-home quantity
 * and the offer's availableQuantity, so setting only one could leave the other capping it.
 */
export function toPriceQuantityRequest(update: QuantityUpdate): PriceQuantityRequest {
  const request: PriceQuantityRequest = { sku: update.listing.sku, shipToLocationAvailability: { quantity: update.quantity } };
  const { offerId } = update.listing.identifiers;
  if (offerId) request.offers = [{ offerId, availableQuantity: update.quantity }];
  return request;
}

/** Splits updates into calls of at most `size`, never with one SKU twice in a call (eBay answers per SKU). */
export function chunkBySku(updates: QuantityUpdate[], size: number): QuantityUpdate[][] {
  const chunks: QuantityUpdate[][] = [];
  let current: QuantityUpdate[] = [];
  let skus = new Set<string>();
  for (const update of updates) {
    if (current.length >= size || skus.has(update.listing.sku)) {
      chunks.push(current);
      current = [];
      skus = new Set();
    }
    current.push(update);
    skus.add(update.listing.sku);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface PriceQuantityResponseEntry { sku?: unknown; offerId?: unknown; statusCode?: unknown; errors?: unknown }

/** Reads {responses:[{sku, offerId, statusCode, errors, warnings}]} into one result per update. */
export function readPriceQuantityResponse(body: unknown, updates: QuantityUpdate[]): Result<PushResult[]> {
  const responses = (body as { responses?: unknown } | null)?.responses;
  if (!Array.isArray(responses)) return fail(channelError('invalid_response', 'bulkUpdatePriceQuantity answered without a responses array'));
  const bySku = new Map<string, PriceQuantityResponseEntry[]>();
  for (const entry of responses as PriceQuantityResponseEntry[]) {
    if (typeof entry?.sku !== 'string') continue;
    bySku.set(entry.sku, [...(bySku.get(entry.sku) ?? []), entry]);
  }
  return ok(updates.map((update): PushResult => {
    const entries = bySku.get(update.listing.sku) ?? [];
    if (entries.length === 0) {
      return { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('invalid_response', `bulkUpdatePriceQuantity answered nothing for SKU ${update.listing.sku}`) };
    }
    // One entry per offer may come back; the SKU landed only if every one of them did.
    const failed = entries.find((entry) => typeof entry.statusCode !== 'number' || entry.statusCode < 200 || entry.statusCode >= 300);
    if (!failed) return { sku: update.listing.sku, version: update.version, status: 'applied' };
    const errors = Array.isArray(failed.errors) ? (failed.errors as EbayErrorDetail[]) : [];
    return { sku: update.listing.sku, version: update.version, status: 'failed', error: entryFailure(OPERATION_NAMES.bulkUpdatePriceQuantity, update.listing.sku, typeof failed.statusCode === 'number' ? failed.statusCode : undefined, errors) };
  }));
}

/** The readQuantities cursor is getInventoryItems' page number (its offset counts pages, not items). */
export function encodePageCursor(page: number): string {
  return `page:${page}`;
}

export function decodePageCursor(cursor: string | undefined): Result<number> {
  if (cursor === undefined || cursor === '') return ok(0);
  const match = /^page:(\d{1,9})$/.exec(cursor);
  if (!match) return fail(channelError('invalid_request', `readQuantities cursor must look like page:<n>, got ${JSON.stringify(cursor.slice(0, 40))}`));
  return ok(Number(match[1]));
}

interface InventoryItemEntry { sku?: unknown; availability?: { shipToLocationAvailability?: { quantity?: unknown } }; inventoryItemGroupKeys?: unknown }

/** Reads one getInventoryItems page. Groups are not inventory items, so parents never appear. */
export function readInventoryItemsPage(body: unknown, page: number, pageSize: number = INVENTORY_PAGE_SIZE_MAX): Result<{ items: ChannelQuantity[]; nextCursor?: string }> {
  const candidate = body as { inventoryItems?: unknown; total?: unknown } | null;
  if (!candidate || typeof candidate.total !== 'number') return fail(channelError('invalid_response', 'getInventoryItems answered without a numeric total'));
  const entries = Array.isArray(candidate.inventoryItems) ? (candidate.inventoryItems as InventoryItemEntry[]) : [];
  const items: ChannelQuantity[] = [];
  for (const entry of entries) {
    if (typeof entry?.sku !== 'string') return fail(channelError('invalid_response', 'getInventoryItems answered an inventory item without a sku'));
    const quantity = entry.availability?.shipToLocationAvailability?.quantity ?? 0;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) return fail(channelError('invalid_response', `getInventoryItems answered quantity ${String(quantity)} for SKU ${entry.sku}`));
    const groupKeys = Array.isArray(entry.inventoryItemGroupKeys) ? entry.inventoryItemGroupKeys.filter((key): key is string => typeof key === 'string') : [];
    const listing: ListingRef = { sku: entry.sku, identifiers: {} };
    if (groupKeys[0]) listing.parentSku = groupKeys[0];
    items.push({ listing, quantity });
  }
  const hasMore = (page + 1) * pageSize < candidate.total && entries.length > 0;
  return ok(hasMore ? { items, nextCursor: encodePageCursor(page + 1) } : { items });
}
