import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { shouldAlert, alertLevelOf } from '../../daemon/src/metrics/alert-level.js';
import { evaluateMetric } from '../../daemon/src/metrics/evaluate-metric.js';
import { METRIC_RULES } from '../../daemon/src/metrics/marketplace-rules.js';
import { monthsBefore, nextEbayEvaluationMs } from '../../daemon/src/metrics/metric-window.js';
import { DAY_MS } from '../../daemon/src/metrics/order-facts.js';
import { orderDefectRate } from '../../daemon/src/metrics/order-defect-rate.js';
import { headroom, meetsLimit, type RateLimit } from '../../daemon/src/metrics/rate-math.js';
import { NOW_MS, orders } from './order-fact-builders.js';

const amazon = METRIC_RULES.find((rule) => rule.id === 'amazon_cancellation_rate')!;

describe('headroom', () => {
  test('absorbing exactly the headroom still meets the limit and one more misses it, for any counts and limits', () => {
    const limits = fc.record({ limitBasisPoints: fc.integer({ min: 1, max: 5_000 }), comparison: fc.constantFrom('below' as const, 'at_most' as const), allowanceCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }) });
    fc.assert(fc.property(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 300 }), limits, (total, cancelled, limit) => {
      const count = Math.min(cancelled, total);
      const clean: RateLimit = limit.allowanceCount === undefined ? { limitBasisPoints: limit.limitBasisPoints, comparison: limit.comparison } : limit;
      if (!meetsLimit(count, total, clean)) return headroom(count, total, clean) === 0;
      const room = headroom(count, total, clean);
      return meetsLimit(count + room, total + room, clean) && !meetsLimit(count + room + 1, total + room + 1, clean);
    }), { seed: 7, numRuns: 2_000 });
  });
});

describe('forecast: when the oldest cancellations leave the window', () => {
  // 100 orders: seller cancellations placed 6.5 and 5.5 days ago, and one yesterday among 98 orders.
  const facts = [
    ...orders('amazon', 1, { daysAgo: 6.5, cause: 'seller_out_of_stock' }),
    ...orders('amazon', 1, { daysAgo: 5.5, cause: 'seller_out_of_stock' }),
    ...orders('amazon', 97), ...orders('amazon', 1, { cause: 'seller_other' }),
  ];
  const result = evaluateMetric(amazon, facts, NOW_MS, 2);

  test('3 seller cancellations in 100 orders is 3%: the 7-day target is missed', () => {
    expect([result.rateBasisPoints, result.meets, result.alertLevel]).toEqual([300, false, 'breached']);
  });

  test('each counted cancellation leaves 7 days after its order, oldest first, with the rate that follows', () => {
    expect(result.exits.map((exit) => [(exit.atMs - NOW_MS) / DAY_MS, exit.rateAfterBasisPoints, exit.meetsAfter])).toEqual([
      [0.5, 20_000 / 99, true], [1.5, 10_000 / 98, true], [6, null, true],
    ]);
  });

  test('the target is met again when the first cancellation leaves, half a day from now', () => {
    expect(result.recoversAtMs).toBe(NOW_MS + 0.5 * DAY_MS);
  });

  test('a metric that meets its limit has no recovery time', () => {
    expect(evaluateMetric(amazon, orders('amazon', 10), NOW_MS, 2).recoversAtMs).toBeNull();
  });
});

describe('trend', () => {
  test('cancellations in the last day after a clean week read as rising', () => {
    const facts = [...orders('amazon', 50, { daysAgo: 6 }), ...orders('amazon', 50, { daysAgo: 0.5 }), ...orders('amazon', 2, { daysAgo: 0.5, cause: 'seller_out_of_stock' })];
    const result = evaluateMetric(amazon, facts, NOW_MS, 2);
    expect([result.trend.direction, result.trend.points.length, result.trend.points.at(-1)!.atMs]).toEqual(['rising', 8, NOW_MS]);
  });

  test('cancellations that happened long ago in the window and none since read as falling', () => {
    const facts = [...orders('amazon', 20, { daysAgo: 6.9, cause: 'seller_out_of_stock' }), ...orders('amazon', 200, { daysAgo: 0.5 })];
    expect(evaluateMetric(amazon, facts, NOW_MS, 2).trend.direction).toBe('falling');
  });

  test('a steady clean rate reads as flat', () => {
    const facts = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5].flatMap((daysAgo) => orders('amazon', 10, { daysAgo }));
    expect(evaluateMetric(amazon, facts, NOW_MS, 2).trend.direction).toBe('flat');
  });
});

describe('alert levels', () => {
  test.each([
    ['a missed limit is breached', false, 0, 'breached'],
    ['no room for one more is critical', true, 0, 'critical'],
    ['room at or below the configured level is a warning', true, 2, 'warning'],
    ['more room than the configured level is ok', true, 3, 'ok'],
    ['a metric without a limit is ok', null, null, 'ok'],
  ] as const)('%s', (_name, meets, room, level) => {
    expect(alertLevelOf(meets, room, 2)).toBe(level);
  });

  test('a window without orders is ok and raises nothing, though one seller cancellation would miss the limit', () => {
    const evaluation = evaluateMetric(amazon, [], NOW_MS, 2);
    expect(evaluation.orders).toBe(0);
    expect(evaluation.headroom).toBe(0);
    expect(evaluation.rateBasisPoints).toBeNull();
    expect(evaluation.alertLevel).toBe('ok');
  });

  test.each([
    ['the first warning is sent', undefined, 'warning', true],
    ['a first ok sends nothing', undefined, 'ok', false],
    ['the same level again sends nothing', 'warning', 'warning', false],
    ['a worsening is sent', 'warning', 'critical', true],
    ['an easing that is not yet ok sends nothing', 'breached', 'warning', false],
    ['recovery to ok is sent once', 'critical', 'ok', true],
  ] as const)('%s', (_name, previous, current, expected) => {
    expect(shouldAlert(previous, current)).toBe(expected);
  });
});

describe('windows and the Order Defect Rate', () => {
  test('a month back from 31 March is the last day of February', () => {
    expect(new Date(monthsBefore(Date.UTC(2026, 2, 31, 10), 1)).toISOString()).toBe('2026-02-28T10:00:00.000Z');
  });

  test('the next eBay evaluation is the coming 20th, or next month’s once the 20th has begun', () => {
    expect([nextEbayEvaluationMs(Date.UTC(2026, 5, 15)), nextEbayEvaluationMs(Date.UTC(2026, 5, 20, 1))]).toEqual([Date.UTC(2026, 5, 20), Date.UTC(2026, 6, 20)]);
  });

  test('an order with negative feedback and a claim is one defective order; 5 in 600 is 0.83% and below 1% with room for 1', () => {
    const defects = [{ orderId: 'a', hasNegativeFeedback: true, hasClaim: true, hasChargeback: false }, ...['b', 'c', 'd', 'e'].map((orderId) => ({ orderId, hasNegativeFeedback: false, hasClaim: false, hasChargeback: true }))];
    const result = orderDefectRate(600, defects);
    expect([result.defectiveOrders, result.meets, result.headroom]).toEqual([5, true, 1]);
  });

  test('6 defective orders in 600 is exactly 1% and misses a target that must be below 1%', () => {
    const defects = ['a', 'b', 'c', 'd', 'e', 'f'].map((orderId) => ({ orderId, hasNegativeFeedback: true, hasClaim: false, hasChargeback: false }));
    expect(orderDefectRate(600, defects).meets).toBe(false);
  });
});
