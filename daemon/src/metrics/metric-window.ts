/** Where a metric's window lies at a moment, by the marketplace's own rule: pure. */
import {
  EBAY_EVALUATION_DAY_OF_MONTH, EBAY_LONG_LOOKBACK_MONTHS, EBAY_SHORT_LOOKBACK_MONTHS, EBAY_SHORT_LOOKBACK_TRANSACTIONS_MIN, type MetricRule,
} from './marketplace-rules.js';
import { DAY_MS, type OrderFact } from './order-facts.js';

export interface WindowBounds {
  /** Exclusive start: an order placed exactly at fromMs has left the window. */
  fromMs: number;
  /** Inclusive end. */
  toMs: number;
  /** eBay: the look-back that applies (3 or 12 months). */
  lookbackMonths?: number;
}

/** The same calendar day `months` earlier (UTC), clamped to the month's last day. */
export function monthsBefore(atMs: number, months: number): number {
  const date = new Date(atMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}

/** Orders that count for the seller's metrics: merchant-fulfilled ones on the rule's channel. */
export function countedOrders(rule: MetricRule, facts: readonly OrderFact[]): OrderFact[] {
  return facts.filter((fact) => fact.channel === rule.channel && fact.fulfillment === 'merchant');
}

/** eBay: the last 3 months when they hold at least 400 transactions, otherwise the last 12. */
export function ebayLookbackMonths(facts: readonly OrderFact[], atMs: number): number {
  const shortFromMs = monthsBefore(atMs, EBAY_SHORT_LOOKBACK_MONTHS);
  const inShort = facts.filter((fact) => fact.placedAtMs > shortFromMs && fact.placedAtMs <= atMs).length;
  return inShort >= EBAY_SHORT_LOOKBACK_TRANSACTIONS_MIN ? EBAY_SHORT_LOOKBACK_MONTHS : EBAY_LONG_LOOKBACK_MONTHS;
}

/** The window at `atMs`; `facts` must already be the rule's counted orders. */
export function windowAt(rule: MetricRule, facts: readonly OrderFact[], atMs: number): WindowBounds {
  if (rule.window.kind === 'days') return { fromMs: atMs - rule.window.days * DAY_MS, toMs: atMs };
  const lookbackMonths = ebayLookbackMonths(facts, atMs);
  return { fromMs: monthsBefore(atMs, lookbackMonths), toMs: atMs, lookbackMonths };
}

/** The next monthly eBay evaluation (the 20th, 00:00 UTC) strictly after `atMs`. */
export function nextEbayEvaluationMs(atMs: number): number {
  const date = new Date(atMs);
  const thisMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), EBAY_EVALUATION_DAY_OF_MONTH);
  return thisMonth > atMs ? thisMonth : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, EBAY_EVALUATION_DAY_OF_MONTH);
}
