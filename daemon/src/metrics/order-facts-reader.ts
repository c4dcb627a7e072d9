/** Reads order facts from the store for the metrics: the I/O edge of order-facts-assembly.ts. */
import type { Store } from '../ledger/store.js';
import { assembleOrderFacts, evidenceOf, orderKey, orderKeyOfReference, type OrderEvidence } from './order-facts-assembly.js';
import { DAY_MS, type OrderFact } from './order-facts.js';

/** eBay's 12-month look-back plus a margin for late cancellations. */
export const ORDER_FACTS_LOOKBACK_DAYS = 400;
export const ORDER_LINES_READ_MAX = 200_000;
export const INBOX_ORDERS_PER_QUERY_MAX = 500;

export interface OrderFactsRead {
  facts: OrderFact[];
  /** True when more lines existed than ORDER_LINES_READ_MAX: the oldest were left out. */
  truncated: boolean;
}

export async function readOrderFacts(store: Store, nowMs: number): Promise<OrderFactsRead> {
  const sinceMs = nowMs - ORDER_FACTS_LOOKBACK_DAYS * DAY_MS;
  const lines = await store.db.selectFrom('order_line')
    .select(['channel', 'order_id', 'sku', 'quantity', 'fulfillment', 'status', 'source_updated_at', 'created_at'])
    .where('created_at', '>', sinceMs).orderBy('created_at', 'desc').limit(ORDER_LINES_READ_MAX + 1).execute();
  const truncated = lines.length > ORDER_LINES_READ_MAX;
  const kept = lines.slice(0, ORDER_LINES_READ_MAX);
  const oversells = await store.db.selectFrom('oversell').select('reference').where('created_at', '>', sinceMs).execute();
  const oversold = new Set(oversells.map((row) => orderKeyOfReference(row.reference)).filter((key): key is string => key !== undefined));
  const cancelledOrders = [...new Set(kept.filter((line) => line.status === 'cancelled').map((line) => orderKey(line.channel, line.order_id)))];
  const evidence = await readEvidence(store, cancelledOrders);
  return { facts: assembleOrderFacts(kept, oversold, evidence), truncated };
}

async function readEvidence(store: Store, keys: readonly string[]): Promise<Map<string, OrderEvidence[]>> {
  const evidence = new Map<string, OrderEvidence[]>();
  for (let start = 0; start < keys.length; start += INBOX_ORDERS_PER_QUERY_MAX) {
    const batch = keys.slice(start, start + INBOX_ORDERS_PER_QUERY_MAX);
    const wanted = new Set(batch);
    const orderIds = [...new Set(batch.map((key) => key.split('\u0000')[1]!))];
    const rows = await store.db.selectFrom('inbox_event').select(['channel', 'order_id', 'payload']).where('order_id', 'in', orderIds).execute();
    for (const row of rows) {
      if (row.order_id === null) continue;
      const key = orderKey(row.channel, row.order_id);
      if (!wanted.has(key)) continue;
      evidence.set(key, [...(evidence.get(key) ?? []), evidenceOf(row.payload)]);
    }
  }
  return evidence;
}
