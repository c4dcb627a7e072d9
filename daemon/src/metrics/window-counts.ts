/** Counting a window's orders and cancellations as they stood at a moment: pure. */
import type { MetricRule } from './marketplace-rules.js';
import type { WindowBounds } from './metric-window.js';
import type { OrderFact } from './order-facts.js';

export interface WindowCounts {
  orders: number;
  /** Cancellations that count against the seller on this marketplace. */
  sellerCancellations: number;
  /** Cancellations that do not count (buyer, or the marketplace where it is not the seller's fault). */
  otherCancellations: number;
  /** Cancellations whose cause no record names: not counted, shown so nobody is surprised. */
  unknownCancellations: number;
}

/** Whether this order's cancellation counts against the seller under the rule. */
export function isCountedCancellation(rule: MetricRule, fact: OrderFact, asOfMs: number): boolean {
  return fact.cancellation !== undefined && fact.cancellation.atMs <= asOfMs && rule.countedCauses.includes(fact.cancellation.cause);
}

/** Counts orders placed inside `bounds`, with cancellations known by `bounds.toMs`. */
export function countWindow(rule: MetricRule, facts: readonly OrderFact[], bounds: WindowBounds): WindowCounts {
  const counts: WindowCounts = { orders: 0, sellerCancellations: 0, otherCancellations: 0, unknownCancellations: 0 };
  for (const fact of facts) {
    if (fact.placedAtMs <= bounds.fromMs || fact.placedAtMs > bounds.toMs) continue;
    counts.orders += 1;
    const cancellation = fact.cancellation;
    if (!cancellation || cancellation.atMs > bounds.toMs) continue;
    if (rule.countedCauses.includes(cancellation.cause)) counts.sellerCancellations += 1;
    else if (cancellation.cause === 'unknown') counts.unknownCancellations += 1;
    else counts.otherCancellations += 1;
  }
  return counts;
}
