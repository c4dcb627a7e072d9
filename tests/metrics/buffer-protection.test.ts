import { describe, expect, test } from '@jest/globals';
import { poissonBuffer, recommendBuffer, salesVelocity } from '../../daemon/src/metrics/buffer-recommendation.js';
import { countOversells, listingKey, planProtection, planReversal, type ListingView, type ProtectionInput } from '../../daemon/src/metrics/protection-plan.js';
import { NOW_MS, orders } from './order-fact-builders.js';

const HOUR_MS = 3_600_000;

describe('buffer recommendation', () => {
  test.each([
    ['no demand needs no buffer', 0, 0],
    ['a mean of 1/12 unit during the latency needs a buffer of 1 at 1% risk', 1 / 12, 1],
    ['a mean of 10 units during the latency needs 18 (the 99% quantile of Poisson(10))', 10, 18],
  ])('%s', (_name, mean, buffer) => {
    expect(poissonBuffer(mean, 0.01)).toBe(buffer);
  });

  test('the risk on a channel comes from sales on the other channels during its propagation latency', () => {
    const facts = [...orders('woocommerce', 14, { sku: 'MUG', daysAgo: 3 }), ...orders('amazon', 700, { sku: 'MUG', daysAgo: 3 })];
    const velocity = salesVelocity(facts, NOW_MS);
    const recommendation = recommendBuffer({ channel: 'amazon', sku: 'MUG', currentBuffer: 0, propagationLatencyMs: HOUR_MS }, velocity);
    expect(recommendation.otherChannelsUnitsPerDay).toBe(2);
    expect(recommendation.expectedUnitsDuringLatency).toBeCloseTo(1 / 12, 10);
    expect(recommendation.oversellRiskFraction).toBeCloseTo(1 - Math.exp(-1 / 12), 10);
    expect(recommendation.recommendedBuffer).toBe(1);
  });

  test('a fast seller elsewhere and a slow channel call for a bigger buffer', () => {
    const velocity = salesVelocity(orders('woocommerce', 1_680, { sku: 'MUG', daysAgo: 2 }), NOW_MS); // 240 a day
    expect(recommendBuffer({ channel: 'ebay', sku: 'MUG', currentBuffer: 2, propagationLatencyMs: HOUR_MS }, velocity).recommendedBuffer).toBe(18);
  });
});

const listing = (channel: string, sku: string, overrides: Partial<ListingView> = {}): ListingView => ({ channel, sku, buffer: null, active: true, effectiveBuffer: 0, ...overrides });
const recommendation = (channel: string, sku: string, recommendedBuffer: number) => ({ channel, sku, otherChannelsUnitsPerDay: 24, propagationLatencyMs: HOUR_MS, expectedUnitsDuringLatency: 1, currentBuffer: 0, oversellRiskFraction: 0.63, recommendedBuffer });

function input(overrides: Partial<ProtectionInput> = {}): ProtectionInput {
  return {
    settings: { amazon: { raiseBuffer: true, pauseRepeatOversellers: true } },
    levels: { amazon: 'warning', ebay: 'breached' },
    listings: [listing('amazon', 'MUG'), listing('amazon', 'CUP'), listing('ebay', 'MUG')],
    recommendations: [recommendation('amazon', 'MUG', 3), recommendation('ebay', 'MUG', 3), recommendation('amazon', 'CUP', 0)],
    oversells: new Map([[listingKey('amazon', 'CUP'), 2]]),
    open: [],
    ...overrides,
  };
}

describe('protection planning', () => {
  test('at warning, an opted-in channel pauses the SKU that keeps overselling and raises the buffer of the fast seller', () => {
    expect(planProtection(input()).map((action) => [action.kind, action.channel, action.sku, action.after])).toEqual([
      ['pause_listing', 'amazon', 'CUP', { buffer: null, active: false }],
      ['raise_buffer', 'amazon', 'MUG', { buffer: 3, active: true }],
    ]);
  });

  test('a channel that did not opt in is never touched, even when breached', () => {
    expect(planProtection(input()).some((action) => action.channel === 'ebay')).toBe(false);
  });

  test('nothing is done while the channel is ok', () => {
    expect(planProtection(input({ levels: { amazon: 'ok' } }))).toEqual([]);
  });

  test('an action already applied and not reverted is not planned again', () => {
    expect(planProtection(input({ open: [{ kind: 'raise_buffer', channel: 'amazon', sku: 'MUG' }, { kind: 'pause_listing', channel: 'amazon', sku: 'CUP' }] }))).toEqual([]);
  });

  test('a buffer already at the recommendation is left alone', () => {
    expect(planProtection(input({ listings: [listing('amazon', 'MUG', { buffer: 3, effectiveBuffer: 3 })] }))).toEqual([]);
  });

  test('reverting writes back exactly the settings the action replaced', () => {
    const [pause] = planProtection(input());
    expect(planReversal(pause!)).toEqual({ channel: 'amazon', sku: 'CUP', buffer: null, active: true });
  });

  test('oversells are counted per channel and SKU over the last 30 days', () => {
    const facts = [...orders('amazon', 2, { sku: 'CUP', oversold: true }), ...orders('amazon', 1, { sku: 'CUP', oversold: true, daysAgo: 31 }), ...orders('ebay', 1, { sku: 'CUP', oversold: true })];
    const counts = countOversells(facts, NOW_MS);
    expect([counts.get(listingKey('amazon', 'CUP')), counts.get(listingKey('ebay', 'CUP'))]).toEqual([2, 1]);
  });
});
