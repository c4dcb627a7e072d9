/**
 * Opaque cursors, encoded and decoded without I/O. A quantity cursor walks Amazon's operations
 * in turn: merchant listings through searchListingsItems — or, when the catalogue is larger than
 * searchListingsItems can page, through the GET_MERCHANT_LISTINGS_ALL_DATA report (waiting on
 * the report, then its parsed rows by offset) — then Amazon's own (FBA) stock through
 * getInventorySummaries. An order cursor is a high-water mark on lastUpdatedTime
 * plus the orders already seen at exactly that time, because Amazon's lastUpdatedAfter is
 * inclusive and two orders can share a timestamp.
 */
import { z } from 'zod';

const QUANTITY_PREFIX = 'amzq1.';
const ORDER_PREFIX = 'amzo1.';
/** Order ids remembered at the high-water mark; more than this share one millisecond only in a flood. */
export const ORDER_CURSOR_SEEN_MAX = 200;

const quantityCursorSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('listings'), token: z.string().min(1).max(4096).optional() }).strict(),
  /** A report was requested at requestedAtMs and is not DONE yet. */
  z.object({ phase: z.literal('report'), reportId: z.string().min(1).max(200), requestedAtMs: z.number().int().nonnegative() }).strict(),
  /** The report's document is ready: its merchant rows from offset on are still to be returned. */
  z.object({ phase: z.literal('reportRows'), documentId: z.string().min(1).max(400), offset: z.number().int().nonnegative() }).strict(),
  z.object({ phase: z.literal('fba'), token: z.string().min(1).max(4096).optional() }).strict(),
]);
export type QuantityCursor = z.infer<typeof quantityCursorSchema>;

const orderCursorSchema = z.object({
  since: z.iso.datetime({ offset: true }),
  /** Orders a previous walk already returned at exactly `since`. */
  seenAtSince: z.array(z.string().min(1).max(64)).max(ORDER_CURSOR_SEEN_MAX).default([]),
  token: z.string().min(1).max(4096).optional(),
  /** The high-water mark reached so far on this walk of pages, and the orders at it. */
  high: z.iso.datetime({ offset: true }).optional(),
  seenAtHigh: z.array(z.string().min(1).max(64)).max(ORDER_CURSOR_SEEN_MAX).default([]),
}).strict();
export type OrderCursor = z.infer<typeof orderCursorSchema>;

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

function encode(prefix: string, value: unknown): string {
  return prefix + Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode<T>(prefix: string, text: string, schema: z.ZodType<T>, what: string): Decoded<T> {
  if (!text.startsWith(prefix)) return { ok: false, message: `${what} cursor must start with ${prefix}` };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text.slice(prefix.length), 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: `${what} cursor is not base64url JSON` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `${what} cursor is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(cursor)'} ${issue.message}`).join('; ')}` };
  return { ok: true, value: parsed.data };
}

export function encodeQuantityCursor(cursor: QuantityCursor): string {
  return encode(QUANTITY_PREFIX, cursor);
}

/** No cursor starts at the first page of merchant listings. */
export function decodeQuantityCursor(text: string | undefined): Decoded<QuantityCursor> {
  if (text === undefined || text === '') return { ok: true, value: { phase: 'listings' } };
  return decode(QUANTITY_PREFIX, text, quantityCursorSchema, 'quantity');
}

export function encodeOrderCursor(cursor: OrderCursor): string {
  return encode(ORDER_PREFIX, cursor);
}

/** Accepts a cursor from a previous page or an ISO-8601 time to start from. */
export function decodeOrderCursor(text: string): Decoded<OrderCursor> {
  if (!text.startsWith(ORDER_PREFIX)) {
    const parsed = z.iso.datetime({ offset: true }).safeParse(text);
    if (!parsed.success) return { ok: false, message: `order cursor must be an ISO-8601 time or a cursor from readOrders, got ${JSON.stringify(text.slice(0, 40))}` };
    return { ok: true, value: { since: new Date(parsed.data).toISOString(), seenAtSince: [], seenAtHigh: [] } };
  }
  return decode(ORDER_PREFIX, text, orderCursorSchema, 'order');
}

/**
 * The cursor after one page: the same walk continues while Amazon has a next page; when the walk
 * ends, the next one starts at the highest lastUpdatedTime seen, remembering the orders at it.
 */
export function advanceOrderCursor(current: OrderCursor, orders: Array<{ orderId: string; updatedAt: string }>, nextToken: string | undefined): OrderCursor {
  let high = current.high ?? current.since;
  let seenAtHigh = current.high ? current.seenAtHigh : current.seenAtSince;
  for (const order of orders) {
    const at = new Date(order.updatedAt).toISOString();
    if (at > high) { high = at; seenAtHigh = [order.orderId]; } else if (at === high && !seenAtHigh.includes(order.orderId)) seenAtHigh = [...seenAtHigh, order.orderId];
  }
  seenAtHigh = seenAtHigh.slice(-ORDER_CURSOR_SEEN_MAX);
  if (nextToken) return { since: current.since, seenAtSince: current.seenAtSince, token: nextToken, high, seenAtHigh };
  return { since: high, seenAtSince: seenAtHigh, seenAtHigh: [] };
}

/** Drops the orders a previous walk already returned at the starting high-water mark. */
export function isAlreadySeen(cursor: OrderCursor, order: { orderId: string; updatedAt: string }): boolean {
  return new Date(order.updatedAt).toISOString() === cursor.since && cursor.seenAtSince.includes(order.orderId);
}
