/**
 * Order facts from the orders inbox's records: pure. `order_line` holds each line's newest
 * status, quantity, fulfilment, the marketplace's placement time and, once cancelled, who
 * cancelled it (migration 0008, filled by the order processor from the connector's mapping of the
 * marketplace's cancel payload); oversells live in the ledger's `oversell` table. A cancellation
 * whose cause no record names but whose order the ledger recorded as oversold is the seller's, out
 * of stock: that is the one way an oversold order ends.
 */
import { CANCEL_CAUSES, type CancelCause, type OrderFact } from './order-facts.js';

export interface OrderLineRecord {
  channel: string;
  order_id: string;
  sku: string;
  quantity: number;
  fulfillment: string;
  status: string;
  source_updated_at: number;
  /** Null on lines that are not cancelled, and on lines stored before migration 0008. */
  cancel_reason: string | null;
  /** The marketplace's placement time; null on lines stored before migration 0008. */
  placed_at: number | null;
  created_at: number;
}

export const orderKey = (channel: string, orderId: string): string => `${channel}\u0000${orderId}`;

const REFERENCE = /^([a-z0-9_-]+):\/\/order\/(.+)\/line\/[^/]+$/;

/** The order an oversell's reference names (`amazon://order/123/line/1`), if any. */
export function orderKeyOfReference(reference: string | null): string | undefined {
  const match = reference ? REFERENCE.exec(reference) : null;
  return match ? orderKey(match[1]!, match[2]!) : undefined;
}

/** A stored reason as a cause; anything outside the closed list reads as unknown. */
export function causeOf(reason: string | null): CancelCause | undefined {
  if (reason === null) return undefined;
  return CANCEL_CAUSES.includes(reason as CancelCause) ? (reason as CancelCause) : 'unknown';
}

/** The most telling cause: a named seller cause over a marketplace or buyer one, any over unknown. */
function strongestCause(causes: readonly CancelCause[], isOversold: boolean): CancelCause {
  for (const cause of ['seller_out_of_stock', 'seller_other', 'marketplace', 'buyer'] as const) if (causes.includes(cause)) return cause;
  return isOversold ? 'seller_out_of_stock' : 'unknown';
}

export function assembleOrderFacts(lines: readonly OrderLineRecord[], oversold: ReadonlySet<string>): OrderFact[] {
  const byOrder = new Map<string, OrderLineRecord[]>();
  for (const line of lines) {
    const key = orderKey(line.channel, line.order_id);
    byOrder.set(key, [...(byOrder.get(key) ?? []), line]);
  }
  return [...byOrder.entries()].map(([key, orderLines]) => {
    const first = orderLines[0]!;
    const isOversold = oversold.has(key);
    const placed = orderLines.map((line) => line.placed_at).filter((value): value is number => value !== null).map(Number);
    const placedAtMs = placed.length > 0 ? Math.min(...placed) : Math.min(...orderLines.map((line) => Number(line.created_at)));
    const fact: OrderFact = {
      channel: first.channel, orderId: first.order_id, placedAtMs, fulfillment: first.fulfillment === 'marketplace' ? 'marketplace' : 'merchant',
      lines: orderLines.map((line) => ({ sku: line.sku, quantity: Number(line.quantity) })), isOversold,
    };
    const cancelled = orderLines.filter((line) => line.status === 'cancelled');
    if (cancelled.length > 0) {
      const causes = cancelled.map((line) => causeOf(line.cancel_reason)).filter((cause): cause is CancelCause => cause !== undefined);
      fact.cancellation = { atMs: Math.min(...cancelled.map((line) => Number(line.source_updated_at))), cause: strongestCause(causes, isOversold) };
    }
    return fact;
  });
}
