/** Reads order facts from the store for the metrics: the I/O edge of order-facts-assembly.ts. */
import type { Store } from '../ledger/store.js';
import { assembleOrderFacts, orderKeyOfReference } from './order-facts-assembly.js';
import { DAY_MS, type OrderFact } from './order-facts.js';

/** eBay's 12-month look-back plus a margin for late cancellations. */
export const ORDER_FACTS_LOOKBACK_DAYS = 400;
export const ORDER_LINES_READ_MAX = 200_000;

export interface OrderFactsRead {
  facts: OrderFact[];
  /** True when more lines existed than ORDER_LINES_READ_MAX: the oldest were left out. */
  truncated: boolean;
}

export async function readOrderFacts(store: Store, nowMs: number): Promise<OrderFactsRead> {
  const sinceMs = nowMs - ORDER_FACTS_LOOKBACK_DAYS * DAY_MS;
  const lines = await store.db.selectFrom('order_line')
    .select(['channel', 'order_id', 'sku', 'quantity', 'fulfillment', 'status', 'source_updated_at', 'cancel_reason', 'placed_at', 'created_at'])
    .where('created_at', '>', sinceMs).orderBy('created_at', 'desc').limit(ORDER_LINES_READ_MAX + 1).execute();
  const truncated = lines.length > ORDER_LINES_READ_MAX;
  const oversells = await store.db.selectFrom('oversell').select('reference').where('created_at', '>', sinceMs).execute();
  const oversold = new Set(oversells.map((row) => orderKeyOfReference(row.reference)).filter((key): key is string => key !== undefined));
  return { facts: assembleOrderFacts(lines.slice(0, ORDER_LINES_READ_MAX), oversold), truncated };
}
