/**
 * Marketplace orders and returns for the admin UI, read from the tables the order engine writes
 * (order_line, reservation, movement, location). Read-only: no table of its own, so what it shows
 * is exactly what the ledger did. One row per order line, because routing and restock happen per
 * line. Keyset paging (`after` is the `next` of the previous page), so a page stays stable while
 * new orders arrive.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { CHANNEL_CODE_PATTERN } from '../channels/channel.js';
import type { Store } from '../ledger/store.js';
import { requireAdminToken } from './admin-routes.js';
import { HttpError, parseInput } from './errors.js';

export const ORDERS_PAGE_MAX = 200;
const ORDERS_PAGE_DEFAULT = 50;
const CURSOR_LENGTH_MAX = 600;
const CANCEL_OR_RETURN_STATUSES = ['cancelled', 'return_requested', 'return_received'] as const;

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(ORDERS_PAGE_MAX).default(ORDERS_PAGE_DEFAULT),
  after: z.string().min(1).max(CURSOR_LENGTH_MAX).optional(),
  channel: z.string().regex(CHANNEL_CODE_PATTERN, 'expected a channel code such as ebay').optional(),
  sku: z.string().min(1).max(100).optional(),
}).strict();
type ListQuery = z.infer<typeof listQuerySchema>;

/** The sort key of a row: time (created for orders, updated for returns), then the line's identity. */
type Cursor = [number, string, string, string];

export interface RoutedLocation { code: string; name: string; kind: string; quantity: number }
export type RestockOutcome = 'restocked' | 'damaged' | 'released' | 'awaiting_return' | 'not_tracked' | 'nothing_held';

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 4 && Number.isSafeInteger(value[0]) && value.slice(1).every((part) => typeof part === 'string')) return value as Cursor;
  } catch { /* answered below */ }
  throw new HttpError(400, 'invalid_query', 'after: expected the `next` value of a previous page');
}

function parseList(req: Request): ListQuery & { cursor?: Cursor } {
  const query = parseInput(listQuerySchema, req.query, 'query');
  return { ...query, ...(query.after ? { cursor: decodeCursor(query.after) } : {}) };
}

/** What a cancellation or return did to stock, from the line's state and the movements it wrote. Pure. */
export function restockOutcome(status: string, stockState: string, sums: { sellable: number; damaged: number; released: number }): RestockOutcome {
  if (stockState === 'external') return 'not_tracked';
  if (status === 'return_requested') return 'awaiting_return';
  if (sums.sellable > 0) return 'restocked';
  if (sums.damaged > 0) return 'damaged';
  if (sums.released > 0 || stockState === 'released') return 'released';
  return 'nothing_held';
}

type LineRow = { channel: string; order_id: string; line_id: string; sku: string; quantity: number; fulfillment: string; status: string; stock_state: string; created_at: number; updated_at: number };

async function pageOfLines(store: Store, query: ListQuery & { cursor?: Cursor }, timeColumn: 'created_at' | 'updated_at', onlyCancelOrReturn: boolean): Promise<LineRow[]> {
  let select = store.db.selectFrom('order_line')
    .select(['channel', 'order_id', 'line_id', 'sku', 'quantity', 'fulfillment', 'status', 'stock_state', 'created_at', 'updated_at'])
    .orderBy(timeColumn, 'desc').orderBy('channel', 'desc').orderBy('order_id', 'desc').orderBy('line_id', 'desc')
    .limit(query.limit);
  if (onlyCancelOrReturn) select = select.where('status', 'in', [...CANCEL_OR_RETURN_STATUSES]);
  if (query.channel) select = select.where('channel', '=', query.channel);
  if (query.sku) select = select.where('sku', '=', query.sku);
  const cursor = query.cursor;
  if (cursor) select = select.where((eb) => eb(eb.refTuple(timeColumn, 'channel', 'order_id', 'line_id'), '<', eb.tuple(cursor[0], cursor[1], cursor[2], cursor[3])));
  return (await select.execute()).map((row) => ({ ...row, quantity: Number(row.quantity), created_at: Number(row.created_at), updated_at: Number(row.updated_at) }));
}

const lineKey = (channel: string, orderId: string, lineId: string): string => JSON.stringify([channel, orderId, lineId]);
/** The reference the order engine writes on every movement of a line (orders/order-processor.ts). */
const lineReference = (row: LineRow): string => `${row.channel}://order/${row.order_id}/line/${row.line_id}`;

/** Where each line's stock was reserved: the reservation rows of the page's lines, with their locations. */
async function routingOf(store: Store, rows: LineRow[]): Promise<Map<string, RoutedLocation[]>> {
  const routed = new Map<string, RoutedLocation[]>();
  if (rows.length === 0) return routed;
  const found = await store.db.selectFrom('reservation').innerJoin('location', 'location.id', 'reservation.location_id')
    .select(['reservation.channel', 'reservation.order_ref', 'reservation.line_ref', 'reservation.quantity', 'location.code', 'location.name', 'location.kind'])
    .where('reservation.channel', 'in', [...new Set(rows.map((row) => row.channel))])
    .where('reservation.order_ref', 'in', [...new Set(rows.map((row) => row.order_id))])
    .orderBy('reservation.created_at').execute();
  for (const row of found) {
    const key = lineKey(row.channel, row.order_ref, row.line_ref);
    routed.set(key, [...(routed.get(key) ?? []), { code: row.code, name: row.name, kind: row.kind, quantity: Number(row.quantity) }]);
  }
  return routed;
}

/** Units a line's cancellation or return moved, from its movements (reason returned, damaged, released). */
async function restockSumsOf(store: Store, rows: LineRow[]): Promise<Map<string, { sellable: number; damaged: number; released: number }>> {
  const sums = new Map<string, { sellable: number; damaged: number; released: number }>();
  if (rows.length === 0) return sums;
  const movements = await store.db.selectFrom('movement').select(['reference', 'reason', 'delta_on_hand', 'delta_committed', 'delta_damaged'])
    .where('reference', 'in', rows.map(lineReference)).where('reason', 'in', ['returned', 'damaged', 'released', 'cancelled']).execute();
  for (const movement of movements) {
    const sum = sums.get(movement.reference!) ?? { sellable: 0, damaged: 0, released: 0 };
    if (movement.reason === 'returned') sum.sellable += Number(movement.delta_on_hand);
    else if (movement.reason === 'damaged') sum.damaged += Number(movement.delta_damaged);
    else sum.released -= Number(movement.delta_committed);
    sums.set(movement.reference!, sum);
  }
  return sums;
}

function lineView(row: LineRow, locations: RoutedLocation[]) {
  return {
    channel: row.channel, orderId: row.order_id, lineId: row.line_id, sku: row.sku, quantity: row.quantity, status: row.status,
    routing: { fulfillment: row.fulfillment, locations }, stockState: row.stock_state,
    createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function nextCursor(rows: LineRow[], limit: number, timeColumn: 'created_at' | 'updated_at'): string | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last ? encodeCursor([last[timeColumn], last.channel, last.order_id, last.line_id]) : null;
}

export function ordersRouter(store: Store, token: () => string | undefined): Router {
  const router = express.Router();
  router.use(['/v1/admin/orders', '/v1/admin/returns'], requireAdminToken(token));

  // Newest orders first, each line with where its stock was reserved (a warehouse, or the
  // marketplace's own stock such as FBA) and what the ledger holds for it.
  router.get('/v1/admin/orders', async (req, res, next) => {
    try {
      const query = parseList(req);
      const rows = await pageOfLines(store, query, 'created_at', false);
      const routing = await routingOf(store, rows);
      res.json({ orders: rows.map((row) => lineView(row, routing.get(lineKey(row.channel, row.order_id, row.line_id)) ?? [])), next: nextCursor(rows, query.limit, 'created_at') });
    } catch (error) { next(error); }
  });

  // Cancellations and returns, most recently changed first, with what happened to the stock.
  router.get('/v1/admin/returns', async (req, res, next) => {
    try {
      const query = parseList(req);
      const rows = await pageOfLines(store, query, 'updated_at', true);
      const [routing, sums] = await Promise.all([routingOf(store, rows), restockSumsOf(store, rows)]);
      res.json({
        returns: rows.map((row) => {
          const sum = sums.get(lineReference(row)) ?? { sellable: 0, damaged: 0, released: 0 };
          return { ...lineView(row, routing.get(lineKey(row.channel, row.order_id, row.line_id)) ?? []), restock: { outcome: restockOutcome(row.status, row.stock_state, sum), ...sum } };
        }),
        next: nextCursor(rows, query.limit, 'updated_at'),
      });
    } catch (error) { next(error); }
  });
  return router;
}
