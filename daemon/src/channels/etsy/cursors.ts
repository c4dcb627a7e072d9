/**
 * Opaque cursors, encoded as base64url JSON and validated on the way back in, so a cursor from
 * another channel or a corrupted one is a clear error rather than a silent restart.
 */
import { z } from 'zod';

/** Listings are read state by state: a listing whose every quantity is 0 becomes sold_out and
 * leaves the default `active` list, yet reconciliation must still see its zeros. */
export const LISTING_STATES_READ = ['active', 'sold_out', 'inactive'] as const;

const quantityCursorSchema = z.object({ kind: z.literal('etsy.listings'), stateIndex: z.number().int().min(0).max(LISTING_STATES_READ.length - 1), offset: z.number().int().min(0) }).strict();
export type QuantityCursor = z.infer<typeof quantityCursorSchema>;

const orderCursorSchema = z.object({
  kind: z.literal('etsy.receipts'),
  /** Unix seconds: min_last_modified of the next query (inclusive). */
  sinceSeconds: z.number().int().min(0),
  /** Receipts already returned at exactly sinceSeconds, as `${receipt_id}@${update_timestamp}:${status}`. */
  seen: z.array(z.string().max(64)).max(10_000),
  /** Offset within sinceSeconds when more than a page of receipts share that second. */
  offset: z.number().int().min(0),
}).strict();
export type OrderCursor = z.infer<typeof orderCursorSchema>;

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode<T>(schema: z.ZodType<T>, cursor: string, what: string): { ok: true; value: T } | { ok: false; message: string } {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, message: `${what} cursor is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(cursor)'} ${issue.message}`).join('; ')}` };
  } catch {
    return { ok: false, message: `${what} cursor is not an Etsy ${what} cursor (expected base64url JSON)` };
  }
}

export function encodeQuantityCursor(cursor: QuantityCursor): string {
  return encode(cursor);
}

export function decodeQuantityCursor(cursor: string | undefined): { ok: true; value: QuantityCursor } | { ok: false; message: string } {
  if (cursor === undefined || cursor === '') return { ok: true, value: { kind: 'etsy.listings', stateIndex: 0, offset: 0 } };
  return decode(quantityCursorSchema, cursor, 'listings');
}

export function encodeOrderCursor(cursor: OrderCursor): string {
  return encode(cursor);
}

/** Accepts an ISO-8601 time (the first poll) or a cursor from the previous page. */
export function decodeOrderCursor(cursor: string): { ok: true; value: OrderCursor } | { ok: false; message: string } {
  if (/^\d{4}-\d{2}-\d{2}T/.test(cursor)) {
    const ms = Date.parse(cursor);
    if (Number.isNaN(ms)) return { ok: false, message: `orders cursor ${JSON.stringify(cursor.slice(0, 40))} looks like a time but is not ISO-8601` };
    return { ok: true, value: { kind: 'etsy.receipts', sinceSeconds: Math.floor(ms / 1000), seen: [], offset: 0 } };
  }
  return decode(orderCursorSchema, cursor, 'receipts');
}

/**
 * The cursor after a page of receipts sorted by update time ascending. Receipts updated in the
 * second the next query starts from are remembered, so they are not returned twice; when a whole
 * page shares that second, the offset moves past it instead.
 */
export function nextOrderCursor(previous: OrderCursor, page: Array<{ key: string; updatedSeconds: number }>): OrderCursor {
  if (page.length === 0) return previous;
  const maxSeconds = Math.max(...page.map((entry) => entry.updatedSeconds));
  const atMax = page.filter((entry) => entry.updatedSeconds === maxSeconds).map((entry) => entry.key);
  if (maxSeconds === previous.sinceSeconds) {
    return { ...previous, seen: [...new Set([...previous.seen, ...atMax])], offset: previous.offset + page.length };
  }
  return { kind: 'etsy.receipts', sinceSeconds: maxSeconds, seen: atMax, offset: 0 };
}
