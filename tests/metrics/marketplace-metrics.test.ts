import { describe, expect, test } from '@jest/globals';
import { evaluateMetric } from '../../daemon/src/metrics/evaluate-metric.js';
import { METRIC_RULES, type MetricId } from '../../daemon/src/metrics/marketplace-rules.js';
import type { OrderFact } from '../../daemon/src/metrics/order-facts.js';
import { NOW_MS, orders } from './order-fact-builders.js';

const rule = (id: MetricId) => METRIC_RULES.find((candidate) => candidate.id === id)!;
const evaluate = (id: MetricId, facts: OrderFact[]) => evaluateMetric(rule(id), facts, NOW_MS, 2);

describe('Amazon pre-fulfilment cancel rate (7 days, below 2.5%)', () => {
  test.each([
    ['9 seller cancellations in 400 orders is 2.25% and meets the target with room for 1 more', 400, 9, 225, true, 1],
    ['10 seller cancellations in 400 orders is exactly 2.5% and misses a target that must be below 2.5%', 400, 10, 250, false, 0],
    ['no cancellations in 200 orders absorbs 5 more (5 of 205 is 2.44%)', 200, 0, 0, true, 5],
    ['one seller cancellation in 39 orders is 2.56% and misses the target', 39, 1, 10_000 / 39, false, 0],
  ])('%s', (_name, total, cancelled, rate, meets, room) => {
    const facts = [...orders('amazon', total - cancelled), ...orders('amazon', cancelled, { cause: 'seller_out_of_stock' })];
    const result = evaluate('amazon_cancellation_rate', facts);
    expect([result.orders, result.sellerCancellations, result.rateBasisPoints, result.meets, result.headroom]).toEqual([total, cancelled, rate, meets, room]);
  });

  test('buyer cancellations do not count against the seller', () => {
    const result = evaluate('amazon_cancellation_rate', [...orders('amazon', 380), ...orders('amazon', 20, { cause: 'buyer' })]);
    expect([result.sellerCancellations, result.otherCancellations, result.rateBasisPoints]).toEqual([0, 20, 0]);
  });

  test('orders placed more than 7 days ago have left the window', () => {
    const result = evaluate('amazon_cancellation_rate', [...orders('amazon', 100), ...orders('amazon', 5, { daysAgo: 8, cause: 'seller_other' })]);
    expect([result.orders, result.sellerCancellations]).toEqual([100, 0]);
  });

  test('FBA orders never count, whoever cancelled them', () => {
    const result = evaluate('amazon_cancellation_rate', [...orders('amazon', 100), ...orders('amazon', 5, { fulfillment: 'marketplace', cause: 'seller_other' })]);
    expect([result.orders, result.sellerCancellations]).toEqual([100, 0]);
  });

  test('cancellations of unknown cause are shown apart and not counted', () => {
    const result = evaluate('amazon_cancellation_rate', [...orders('amazon', 100), ...orders('amazon', 3, { cause: 'unknown' })]);
    expect([result.sellerCancellations, result.unknownCancellations]).toEqual([0, 3]);
  });
});

describe('eBay transaction defect rate (Top Rated at most 0.5%, Above Standard at most 2%)', () => {
  test.each([
    ['5 defects in 1,000 transactions is 0.5%: still Top Rated', 1000, 5, true, true],
    ['6 defects in 1,000 transactions is 0.6%: Above Standard, no longer Top Rated', 1000, 6, false, true],
    ['20 defects in 1,000 transactions is 2%: still Above Standard', 1000, 20, false, true],
    ['21 defects in 1,000 transactions is 2.1% from more than 4 buyers: Below Standard', 1000, 21, false, false],
    ['3 defects in 100 transactions is 3% but within the 3-defect allowance: Top Rated', 100, 3, true, true],
    ['4 defects in 100 transactions is 4% but within the 4-defect allowance: Above Standard', 100, 4, false, true],
    ['5 defects in 100 transactions is 5% and past the allowance: Below Standard', 100, 5, false, false],
  ])('%s', (_name, total, defects, topRated, aboveStandard) => {
    const facts = [...orders('ebay', total - defects, { daysAgo: 10 }), ...orders('ebay', defects, { daysAgo: 10, cause: 'seller_out_of_stock' })];
    expect([evaluate('ebay_defect_rate_top_rated', facts).meets, evaluate('ebay_defect_rate_above_standard', facts).meets]).toEqual([topRated, aboveStandard]);
  });

  test('400 transactions in the last 3 months use the 3-month look-back, so older defects no longer count', () => {
    const facts = [...orders('ebay', 400, { daysAgo: 30 }), ...orders('ebay', 9, { daysAgo: 200, cause: 'seller_out_of_stock' })];
    const result = evaluate('ebay_defect_rate_above_standard', facts);
    expect([result.window.lookbackMonths, result.orders, result.sellerCancellations]).toEqual([3, 400, 0]);
  });

  test('399 transactions in the last 3 months fall back to the 12-month look-back, which keeps older defects', () => {
    const facts = [...orders('ebay', 399, { daysAgo: 30 }), ...orders('ebay', 9, { daysAgo: 200, cause: 'seller_out_of_stock' })];
    const result = evaluate('ebay_defect_rate_above_standard', facts);
    expect([result.window.lookbackMonths, result.orders, result.sellerCancellations, result.meets]).toEqual([12, 408, 9, false]);
  });

  test('5 defects in 1,000 transactions leave no room at Top Rated and room for 15 at Above Standard', () => {
    const facts = [...orders('ebay', 995, { daysAgo: 5 }), ...orders('ebay', 5, { daysAgo: 5, cause: 'seller_other' })];
    expect([evaluate('ebay_defect_rate_top_rated', facts).headroom, evaluate('ebay_defect_rate_above_standard', facts).headroom]).toEqual([0, 15]);
    expect(evaluate('ebay_defect_rate_top_rated', facts).alertLevel).toBe('critical');
  });
});

describe('Walmart cancellation rate (30 days, at most 2%)', () => {
  test.each([
    ['5 seller cancellations in 250 orders is exactly 2% and meets the standard', 250, 5, true, 0],
    ['6 seller cancellations in 250 orders is 2.4% and misses it', 250, 6, false, 0],
    ['4 seller cancellations in 250 orders absorb 1 more (5 of 251 is 1.99%)', 250, 4, true, 1],
  ])('%s', (_name, total, cancelled, meets, room) => {
    const facts = [...orders('walmart', total - cancelled, { daysAgo: 20 }), ...orders('walmart', cancelled, { daysAgo: 20, cause: 'seller_out_of_stock' })];
    const result = evaluate('walmart_cancellation_rate', facts);
    expect([result.meets, result.headroom]).toEqual([meets, room]);
  });

  test("Walmart's auto-cancellations count against the seller and buyer cancellations do not", () => {
    const result = evaluate('walmart_cancellation_rate', [...orders('walmart', 100), ...orders('walmart', 2, { cause: 'marketplace' }), ...orders('walmart', 7, { cause: 'buyer' })]);
    expect([result.sellerCancellations, result.otherCancellations]).toEqual([2, 7]);
  });

  test('WFS orders are excluded and orders older than 30 days have left the window', () => {
    const result = evaluate('walmart_cancellation_rate', [...orders('walmart', 50), ...orders('walmart', 3, { fulfillment: 'marketplace', cause: 'seller_other' }), ...orders('walmart', 3, { daysAgo: 31, cause: 'seller_other' })]);
    expect([result.orders, result.sellerCancellations]).toEqual([50, 0]);
  });
});

describe('TikTok Shop seller-fault cancellation rate (at most 2.5%) and Etsy', () => {
  test.each([
    ['5 seller-fault cancellations in 200 orders is exactly 2.5% and meets the limit', 5, true],
    ['6 seller-fault cancellations in 200 orders is 3% and misses it', 6, false],
  ])('%s', (_name, cancelled, meets) => {
    const facts = [...orders('tiktok', 200 - cancelled), ...orders('tiktok', cancelled, { cause: 'seller_out_of_stock' })];
    expect(evaluate('tiktok_seller_fault_cancellation_rate', facts).meets).toBe(meets);
  });

  test('Etsy publishes no cancellation limit: the count is shown, never judged or alerted', () => {
    const result = evaluate('etsy_seller_cancellations', [...orders('etsy', 10), ...orders('etsy', 4, { cause: 'seller_other' })]);
    expect([result.sellerCancellations, result.meets, result.headroom, result.alertLevel]).toEqual([4, null, null, 'ok']);
  });
});
