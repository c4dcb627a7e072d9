/**
 * Pure mapping of Fulfillment API orders (sell_fulfillment_v1_oas3.json) into ChannelOrders,
 * and the readOrders cursor: a lastmodifieddate lower bound, the offset within that query, and
 * the orders already seen at exactly that instant, so a resumed poll repeats nothing.
 */
import { channelError, fail, ok, type ChannelOrder, type ChannelOrderLine, type ChannelOrderStatus, type Result } from '../channel.js';

export interface OrderCursor {
  /** ISO-8601 lower bound of lastmodifieddate (inclusive, as eBay's filter is). */
  since: string;
  /** Orders to skip within the same query (getOrders' offset counts orders). */
  offset: number;
  /** Order versions (`orderId@lastModifiedDate`) already returned at `since` exactly. */
  seen: string[];
}

const CURSOR_PREFIX = 'ebay1.';
const SEEN_MAX = 1_000;

export function encodeOrderCursor(cursor: OrderCursor): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Accepts our own cursors and, to start polling, a bare ISO-8601 time. */
export function decodeOrderCursor(cursor: string): Result<OrderCursor> {
  if (!cursor.startsWith(CURSOR_PREFIX)) {
    const ms = Date.parse(cursor);
    if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(cursor)) return fail(channelError('invalid_request', `readOrders cursor must be an ISO-8601 time or a cursor from a previous page, got ${JSON.stringify(cursor.slice(0, 40))}`));
    return ok({ since: new Date(ms).toISOString(), offset: 0, seen: [] });
  }
  try {
    const value = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')) as Partial<OrderCursor>;
    if (typeof value.since !== 'string' || Number.isNaN(Date.parse(value.since)) || !Number.isInteger(value.offset) || (value.offset ?? -1) < 0 || !Array.isArray(value.seen) || !value.seen.every((entry) => typeof entry === 'string')) throw new Error('shape');
    return ok({ since: value.since, offset: value.offset as number, seen: value.seen.slice(0, SEEN_MAX) });
  } catch {
    return fail(channelError('invalid_request', 'readOrders cursor is damaged: it does not decode to {since, offset, seen}'));
  }
}

/** getOrders' filter for orders modified at or after the cursor's time. */
export function lastModifiedFilter(since: string): string {
  return `lastmodifieddate:[${since}..]`;
}

interface EbayLineItem { lineItemId?: unknown; sku?: unknown; legacyItemId?: unknown; quantity?: unknown }
interface EbayCancelRequest { cancelInitiator?: unknown; cancelReason?: unknown }
interface EbayOrder {
  orderId?: unknown; creationDate?: unknown; lastModifiedDate?: unknown; orderFulfillmentStatus?: unknown;
  cancelStatus?: { cancelState?: unknown; cancelRequests?: unknown };
  lineItems?: unknown;
}

function cancelReasonOf(order: EbayOrder): ChannelOrderLine['cancelReason'] {
  const requests = Array.isArray(order.cancelStatus?.cancelRequests) ? (order.cancelStatus.cancelRequests as EbayCancelRequest[]) : [];
  const request = requests[requests.length - 1];
  if (!request) return 'unknown';
  const reason = typeof request.cancelReason === 'string' ? request.cancelReason.toUpperCase() : '';
  if (request.cancelInitiator === 'BUYER') return 'buyer';
  if (request.cancelInitiator === 'SELLER') return reason.includes('OUT_OF_STOCK') ? 'seller_out_of_stock' : 'seller_other';
  return request.cancelInitiator === 'CS_AGENT' || request.cancelInitiator === 'SYSTEM' ? 'marketplace' : 'unknown';
}

function statusOf(order: EbayOrder): ChannelOrderStatus {
  if (order.cancelStatus?.cancelState === 'CANCELED') return 'cancelled';
  return order.orderFulfillmentStatus === 'FULFILLED' ? 'shipped' : 'created';
}

/** One eBay order; a line without a SKU keeps the legacy item id so it can still be matched. */
export function mapOrder(raw: unknown): Result<ChannelOrder> {
  const order = raw as EbayOrder | null;
  if (!order || typeof order.orderId !== 'string' || typeof order.creationDate !== 'string' || typeof order.lastModifiedDate !== 'string' || !Array.isArray(order.lineItems)) {
    return fail(channelError('invalid_response', 'an eBay order lacks orderId, creationDate, lastModifiedDate or lineItems'));
  }
  const status = statusOf(order);
  const lines: ChannelOrderLine[] = [];
  for (const item of order.lineItems as EbayLineItem[]) {
    if (typeof item?.lineItemId !== 'string' || typeof item.quantity !== 'number') return fail(channelError('invalid_response', `order ${order.orderId} has a line item without lineItemId or quantity`));
    const sku = typeof item.sku === 'string' && item.sku !== '' ? item.sku : `legacy:${String(item.legacyItemId ?? '')}`;
    const line: ChannelOrderLine = { lineId: item.lineItemId, sku, quantity: item.quantity };
    if (status === 'cancelled') line.cancelReason = cancelReasonOf(order);
    lines.push(line);
  }
  return ok({ orderId: order.orderId, status, lines, fulfillment: 'merchant', createdAt: order.creationDate, updatedAt: order.lastModifiedDate });
}

/**
 * Orders of one getOrders page not yet returned, and the cursor after them: the next page of
 * the same query while eBay has more, otherwise a new query from the newest change seen.
 */
export function advanceOrderCursor(cursor: OrderCursor, orders: ChannelOrder[], pageCount: number, total: number): { fresh: ChannelOrder[]; next: OrderCursor; hasMore: boolean } {
  const seen = new Set(cursor.seen);
  const fresh = orders.filter((order) => !seen.has(`${order.orderId}@${order.updatedAt}`));
  const consumed = cursor.offset + pageCount;
  if (consumed < total && pageCount > 0) return { fresh, next: { ...cursor, offset: consumed }, hasMore: true };
  const newest = orders.reduce((latest, order) => (Date.parse(order.updatedAt) > Date.parse(latest) ? order.updatedAt : latest), cursor.since);
  const newestMs = Date.parse(newest);
  const atNewest = orders.filter((order) => Date.parse(order.updatedAt) === newestMs).map((order) => `${order.orderId}@${order.updatedAt}`);
  const carried = Date.parse(cursor.since) === newestMs ? cursor.seen : [];
  return { fresh, next: { since: new Date(newestMs).toISOString(), offset: 0, seen: [...new Set([...carried, ...atNewest])].slice(-SEEN_MAX) }, hasMore: false };
}
