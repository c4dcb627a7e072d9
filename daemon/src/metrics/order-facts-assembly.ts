/**
 * Order facts from the orders inbox's records: pure. `order_line` holds each line's newest
 * status, quantity and fulfilment; the cancellation's cause lives only in the notification
 * payloads (`inbox_event`), and oversells in the ledger's `oversell` table. A cancellation whose
 * cause no payload names but whose order the ledger recorded as oversold is the seller's, out of
 * stock: that is the one way an oversold order ends.
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
  created_at: number;
}

/** What one stored notification says about an order: its placement time and line causes. */
export interface OrderEvidence {
  createdAtMs?: number;
  causes: CancelCause[];
}

export const orderKey = (channel: string, orderId: string): string => `${channel}\u0000${orderId}`;

const REFERENCE = /^([a-z0-9_-]+):\/\/order\/(.+)\/line\/[^/]+$/;

/** The order an oversell's reference names (`amazon://order/123/line/1`), if any. */
export function orderKeyOfReference(reference: string | null): string | undefined {
  const match = reference ? REFERENCE.exec(reference) : null;
  return match ? orderKey(match[1]!, match[2]!) : undefined;
}

/** Reads an inbox payload (a ChannelEvent as JSON) for what it says about the order. */
export function evidenceOf(payload: string): OrderEvidence {
  try {
    const event = JSON.parse(payload) as { order?: { createdAt?: unknown; lines?: Array<{ cancelReason?: unknown }> } };
    const createdAtMs = typeof event.order?.createdAt === 'string' ? Date.parse(event.order.createdAt) : Number.NaN;
    const causes = (event.order?.lines ?? []).map((line) => line.cancelReason).filter((cause): cause is CancelCause => CANCEL_CAUSES.includes(cause as CancelCause));
    return Number.isFinite(createdAtMs) ? { createdAtMs, causes } : { causes };
  } catch {
    return { causes: [] };
  }
}

/** The most telling cause: a named seller cause over a marketplace or buyer one, any over unknown. */
function strongestCause(causes: readonly CancelCause[], isOversold: boolean): CancelCause {
  for (const cause of ['seller_out_of_stock', 'seller_other', 'marketplace', 'buyer'] as const) if (causes.includes(cause)) return cause;
  return isOversold ? 'seller_out_of_stock' : 'unknown';
}

export function assembleOrderFacts(lines: readonly OrderLineRecord[], oversold: ReadonlySet<string>, evidence: ReadonlyMap<string, OrderEvidence[]>): OrderFact[] {
  const byOrder = new Map<string, OrderLineRecord[]>();
  for (const line of lines) {
    const key = orderKey(line.channel, line.order_id);
    byOrder.set(key, [...(byOrder.get(key) ?? []), line]);
  }
  return [...byOrder.entries()].map(([key, orderLines]) => {
    const first = orderLines[0]!;
    const found = evidence.get(key) ?? [];
    const isOversold = oversold.has(key);
    const placedAtMs = found.find((item) => item.createdAtMs !== undefined)?.createdAtMs ?? Math.min(...orderLines.map((line) => Number(line.created_at)));
    const fact: OrderFact = {
      channel: first.channel, orderId: first.order_id, placedAtMs, fulfillment: first.fulfillment === 'marketplace' ? 'marketplace' : 'merchant',
      lines: orderLines.map((line) => ({ sku: line.sku, quantity: Number(line.quantity) })), isOversold,
    };
    const cancelled = orderLines.filter((line) => line.status === 'cancelled');
    if (cancelled.length > 0) fact.cancellation = { atMs: Math.min(...cancelled.map((line) => Number(line.source_updated_at))), cause: strongestCause(found.flatMap((item) => item.causes), isOversold) };
    return fact;
  });
}
