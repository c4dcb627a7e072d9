/** Builders for order facts in metric tests: N orders at a time, some cancelled by a cause. */
import { DAY_MS, type CancelCause, type OrderFact } from '../../daemon/src/metrics/order-facts.js';

export const NOW_MS = Date.UTC(2026, 5, 15, 12, 0, 0);

let sequence = 0;

export function orders(channel: string, count: number, options: { daysAgo?: number; cause?: CancelCause; fulfillment?: 'merchant' | 'marketplace'; sku?: string; quantity?: number; oversold?: boolean } = {}): OrderFact[] {
  const placedAtMs = NOW_MS - (options.daysAgo ?? 1) * DAY_MS;
  return Array.from({ length: count }, () => {
    sequence += 1;
    const fact: OrderFact = {
      channel, orderId: `${channel}-${sequence}`, placedAtMs, fulfillment: options.fulfillment ?? 'merchant',
      lines: [{ sku: options.sku ?? 'SKU-1', quantity: options.quantity ?? 1 }], isOversold: options.oversold ?? false,
    };
    if (options.cause) fact.cancellation = { atMs: placedAtMs + 60_000, cause: options.cause };
    return fact;
  });
}
