/**
 * Pure mapping of Walmart purchase orders (official model: GetOrderResponseRecord) into
 * ChannelOrders, and the polling cursor readOrders hands back. No I/O here.
 */
import { z } from 'zod';
import { channelError, fail, ok, type ChannelOrder, type ChannelOrderLine, type ChannelOrderStatus, type Result } from '../channel.js';
import { describeIssues } from './walmart-payloads.js';

const statusSchema = z.object({
  status: z.string(),
  cancellationReason: z.string().optional(),
  statusQuantity: z.object({ amount: z.union([z.string(), z.number()]) }).optional(),
});
const orderLineSchema = z.object({
  lineNumber: z.string().min(1),
  item: z.object({ sku: z.string().min(1) }),
  orderLineQuantity: z.object({ amount: z.union([z.string(), z.number()]) }),
  statusDate: z.number().optional(),
  orderLineStatuses: z.object({ orderLineStatus: z.array(statusSchema).default([]) }).optional(),
});
export const walmartOrderSchema = z.object({
  purchaseOrderId: z.string().min(1),
  orderDate: z.union([z.number(), z.string()]),
  orderLines: z.object({ orderLine: z.array(orderLineSchema).min(1) }),
  shipNode: z.object({ type: z.string().optional() }).optional(),
});

/** Walmart's cancellation reasons (orders.json cancelOrderLines) in Shelfguard's terms. */
function cancelReasonOf(reason: string | undefined): ChannelOrderLine['cancelReason'] {
  if (!reason) return 'unknown';
  if (reason === 'CUSTOMER_REQUESTED_SELLER_TO_CANCEL') return 'buyer';
  if (reason === 'SELLER_CANCEL_OUT_OF_STOCK') return 'seller_out_of_stock';
  if (reason.startsWith('SELLER_CANCEL')) return 'seller_other';
  // Auto-cancellation (unshipped past the estimated ship date + 4 days) and fraud stops are Walmart's.
  return 'marketplace';
}

function statusOf(lineStatuses: string[]): ChannelOrderStatus {
  if (lineStatuses.length > 0 && lineStatuses.every((status) => status === 'Cancelled')) return 'cancelled';
  if (lineStatuses.includes('Delivered')) return 'delivered';
  if (lineStatuses.includes('Shipped')) return 'shipped';
  return 'created';
}

function toIso(value: number | string): string | undefined {
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function mapWalmartOrder(body: unknown): Result<ChannelOrder> {
  const parsed = walmartOrderSchema.safeParse(body);
  if (!parsed.success) return fail(channelError('invalid_response', `a Walmart order had an unexpected shape: ${describeIssues(parsed.error)}`));
  const order = parsed.data;
  const createdAt = toIso(order.orderDate);
  if (!createdAt) return fail(channelError('invalid_response', `order ${order.purchaseOrderId} has an unreadable orderDate`));
  const statuses: string[] = [];
  let updatedMs = Date.parse(createdAt);
  const lines: ChannelOrderLine[] = order.orderLines.orderLine.map((line) => {
    const lineStatuses = line.orderLineStatuses?.orderLineStatus ?? [];
    // A line's latest status is the last entry; quantities split across statuses keep the order.
    const latest = lineStatuses[lineStatuses.length - 1];
    if (latest) statuses.push(latest.status);
    if (line.statusDate !== undefined) updatedMs = Math.max(updatedMs, line.statusDate);
    const mapped: ChannelOrderLine = { lineId: line.lineNumber, sku: line.item.sku, quantity: Number(line.orderLineQuantity.amount) };
    if (latest?.status === 'Cancelled') mapped.cancelReason = cancelReasonOf(latest.cancellationReason);
    return mapped;
  });
  const bad = lines.find((line) => !Number.isInteger(line.quantity) || line.quantity < 0);
  if (bad) return fail(channelError('invalid_response', `order ${order.purchaseOrderId} line ${bad.lineId} has a quantity that is not a whole number`));
  return ok({
    orderId: order.purchaseOrderId,
    status: statusOf(statuses),
    lines,
    fulfillment: order.shipNode?.type === 'WFSFulfilled' ? 'marketplace' : 'merchant',
    createdAt,
    updatedAt: new Date(updatedMs).toISOString(),
  });
}

/** Where polling resumes: orders modified at or after sinceMs, minus those already seen at sinceMs. */
export interface OrderCursor {
  sinceMs: number;
  /** Orders already returned whose last modification is exactly sinceMs. */
  seen: string[];
  /** Walmart's nextCursor (a query string) while a result set is being paged. */
  page?: string;
}

const CURSOR_PREFIX = 'wm1.';
const SEEN_MAX = 500;
const cursorSchema = z.object({ sinceMs: z.number().int().nonnegative(), seen: z.array(z.string()).max(SEEN_MAX), page: z.string().startsWith('?').optional() }).strict();

export function encodeOrderCursor(cursor: OrderCursor): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Accepts our own cursor or an ISO-8601 time (the first poll). */
export function decodeOrderCursor(value: string): Result<OrderCursor> {
  if (!value.startsWith(CURSOR_PREFIX)) {
    const sinceMs = Date.parse(value);
    if (Number.isNaN(sinceMs)) return fail(channelError('invalid_request', `order cursor must be an ISO-8601 time or a cursor from readOrders, got ${JSON.stringify(value.slice(0, 40))}`));
    return ok({ sinceMs, seen: [] });
  }
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')));
    if (parsed.success) return ok(parsed.data.page === undefined ? { sinceMs: parsed.data.sinceMs, seen: parsed.data.seen } : { ...parsed.data, page: parsed.data.page });
    return fail(channelError('invalid_request', `order cursor is damaged: ${describeIssues(parsed.error)}`));
  } catch {
    return fail(channelError('invalid_request', 'order cursor is damaged: not base64url JSON'));
  }
}

/** Drops orders the cursor already returned and advances it past the ones in this page. */
export function advanceOrderCursor(cursor: OrderCursor, orders: ChannelOrder[], nextPage: string | undefined): { fresh: ChannelOrder[]; next: OrderCursor } {
  const seen = new Set(cursor.seen);
  const fresh = orders.filter((order) => !(Date.parse(order.updatedAt) === cursor.sinceMs && seen.has(order.orderId)));
  let sinceMs = cursor.sinceMs;
  for (const order of fresh) sinceMs = Math.max(sinceMs, Date.parse(order.updatedAt));
  const atSince = fresh.filter((order) => Date.parse(order.updatedAt) === sinceMs).map((order) => order.orderId);
  const nextSeen = sinceMs === cursor.sinceMs ? [...cursor.seen, ...atSince] : atSince;
  const next: OrderCursor = { sinceMs, seen: nextSeen.slice(-SEEN_MAX) };
  if (nextPage) next.page = nextPage;
  return { fresh, next };
}
