/**
 * Each marketplace's seller metrics that overselling damages, as data: window, limit, and which
 * cancellations count against the seller. Sources: shared/marketplaces.md sections 0, 1.8, 2.8,
 * 3.8, 4.8 and 5.8.
 */
import type { CancelCause } from './order-facts.js';
import type { RateLimit } from './rate-math.js';

export const AMAZON_CANCELLATION_WINDOW_DAYS = 7;
export const AMAZON_CANCELLATION_LIMIT_BASIS_POINTS = 250;
export const AMAZON_ORDER_DEFECT_WINDOW_DAYS = 60;
export const AMAZON_ORDER_DEFECT_LIMIT_BASIS_POINTS = 100;
export const EBAY_SHORT_LOOKBACK_MONTHS = 3;
export const EBAY_LONG_LOOKBACK_MONTHS = 12;
/** At or above this many transactions in the short look-back, eBay evaluates the short one. */
export const EBAY_SHORT_LOOKBACK_TRANSACTIONS_MIN = 400;
export const EBAY_TOP_RATED_LIMIT_BASIS_POINTS = 50;
export const EBAY_TOP_RATED_ALLOWANCE_DEFECTS = 3;
export const EBAY_ABOVE_STANDARD_LIMIT_BASIS_POINTS = 200;
export const EBAY_ABOVE_STANDARD_ALLOWANCE_DEFECTS = 4;
/** eBay evaluates seller levels monthly on this day of the month (UTC). */
export const EBAY_EVALUATION_DAY_OF_MONTH = 20;
export const WALMART_CANCELLATION_WINDOW_DAYS = 30;
export const WALMART_CANCELLATION_LIMIT_BASIS_POINTS = 200;
/** marketplaces.md 4.8 names no window for SFCR; 30 days is our assumption until one is sourced. */
export const TIKTOK_CANCELLATION_WINDOW_DAYS = 30;
export const TIKTOK_CANCELLATION_LIMIT_BASIS_POINTS = 250;
/** Etsy's Star Seller review looks at the prior 3 months; Etsy publishes no cancellation limit. */
export const ETSY_REVIEW_WINDOW_DAYS = 90;

export type MetricId =
  | 'amazon_cancellation_rate'
  | 'ebay_defect_rate_top_rated'
  | 'ebay_defect_rate_above_standard'
  | 'walmart_cancellation_rate'
  | 'tiktok_seller_fault_cancellation_rate'
  | 'etsy_seller_cancellations';

/** How the window is measured: a fixed number of days, or eBay's look-back chosen by volume. */
export type MetricWindow = { kind: 'days'; days: number } | { kind: 'ebay_lookback' };

export interface MetricRule {
  id: MetricId;
  channel: string;
  label: string;
  window: MetricWindow;
  /** Absent for metrics the marketplace publishes no limit for (Etsy): reported, never alerted. */
  limit?: RateLimit;
  /** Which cancellation causes count against the seller on this marketplace. */
  countedCauses: readonly CancelCause[];
}

const SELLER: readonly CancelCause[] = ['seller_out_of_stock', 'seller_other'];

export const METRIC_RULES: readonly MetricRule[] = [
  {
    id: 'amazon_cancellation_rate', channel: 'amazon', label: 'Pre-fulfilment cancel rate',
    window: { kind: 'days', days: AMAZON_CANCELLATION_WINDOW_DAYS },
    limit: { limitBasisPoints: AMAZON_CANCELLATION_LIMIT_BASIS_POINTS, comparison: 'below' },
    countedCauses: SELLER, // buyer cancellations do not count (1.8)
  },
  {
    id: 'ebay_defect_rate_top_rated', channel: 'ebay', label: 'Transaction defect rate (Top Rated)',
    window: { kind: 'ebay_lookback' },
    limit: { limitBasisPoints: EBAY_TOP_RATED_LIMIT_BASIS_POINTS, comparison: 'at_most', allowanceCount: EBAY_TOP_RATED_ALLOWANCE_DEFECTS },
    countedCauses: SELLER, // out of stock or unable to ship (2.8)
  },
  {
    id: 'ebay_defect_rate_above_standard', channel: 'ebay', label: 'Transaction defect rate (Above Standard)',
    window: { kind: 'ebay_lookback' },
    limit: { limitBasisPoints: EBAY_ABOVE_STANDARD_LIMIT_BASIS_POINTS, comparison: 'at_most', allowanceCount: EBAY_ABOVE_STANDARD_ALLOWANCE_DEFECTS },
    countedCauses: SELLER,
  },
  {
    id: 'walmart_cancellation_rate', channel: 'walmart', label: 'Cancellation rate',
    window: { kind: 'days', days: WALMART_CANCELLATION_WINDOW_DAYS },
    limit: { limitBasisPoints: WALMART_CANCELLATION_LIMIT_BASIS_POINTS, comparison: 'at_most' },
    // Walmart's auto-cancel of an unshipped line counts against the seller too (3.7).
    countedCauses: [...SELLER, 'marketplace'],
  },
  {
    id: 'tiktok_seller_fault_cancellation_rate', channel: 'tiktok', label: 'Seller-fault cancellation rate',
    window: { kind: 'days', days: TIKTOK_CANCELLATION_WINDOW_DAYS },
    limit: { limitBasisPoints: TIKTOK_CANCELLATION_LIMIT_BASIS_POINTS, comparison: 'at_most' },
    countedCauses: SELLER,
  },
  {
    id: 'etsy_seller_cancellations', channel: 'etsy', label: 'Seller cancellations (no published limit)',
    window: { kind: 'days', days: ETSY_REVIEW_WINDOW_DAYS },
    countedCauses: SELLER,
  },
];

export function rulesFor(channel: string): MetricRule[] {
  return METRIC_RULES.filter((rule) => rule.channel === channel);
}
