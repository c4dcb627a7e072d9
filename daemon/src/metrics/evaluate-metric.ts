/**
 * One metric evaluated at a moment from order facts: the rate, whether it meets the limit,
 * headroom, when the counted cancellations leave the window and what the rate becomes then, and
 * the trend over the window. Pure.
 */
import { alertLevelOf, type AlertLevel } from './alert-level.js';
import type { MetricId, MetricRule } from './marketplace-rules.js';
import { countedOrders, windowAt, type WindowBounds } from './metric-window.js';
import type { OrderFact } from './order-facts.js';
import { headroom, meetsLimit, rateBasisPoints, type RateLimit } from './rate-math.js';
import { countWindow, isCountedCancellation, type WindowCounts } from './window-counts.js';

/** Forecast points: the first this many times a counted cancellation leaves the window. */
export const FORECAST_EXITS_MAX = 10;
export const TREND_POINTS = 8;
/** A change of rate smaller than this over the trend reads as flat. */
export const TREND_FLAT_BASIS_POINTS = 10;

export interface ExitForecast {
  /** When the cancellation leaves the window, assuming no new orders. */
  atMs: number;
  orderId: string;
  rateAfterBasisPoints: number | null;
  meetsAfter: boolean | null;
  headroomAfter: number | null;
}

export interface TrendPoint {
  atMs: number;
  rateBasisPoints: number | null;
}

export interface MetricEvaluation extends WindowCounts {
  metric: MetricId;
  channel: string;
  label: string;
  atMs: number;
  window: WindowBounds;
  rateBasisPoints: number | null;
  limit: RateLimit | null;
  /** null for metrics without a published limit. */
  meets: boolean | null;
  headroom: number | null;
  exits: ExitForecast[];
  /** When a missed limit is met again through exits alone; null when it is met now or never. */
  recoversAtMs: number | null;
  trend: { points: TrendPoint[]; direction: 'rising' | 'falling' | 'flat' };
  alertLevel: AlertLevel;
}

function judge(rule: MetricRule, counts: WindowCounts): { meets: boolean | null; headroom: number | null } {
  if (!rule.limit) return { meets: null, headroom: null };
  return { meets: meetsLimit(counts.sellerCancellations, counts.orders, rule.limit), headroom: headroom(counts.sellerCancellations, counts.orders, rule.limit) };
}

function forecastExits(rule: MetricRule, facts: readonly OrderFact[], bounds: WindowBounds, nowMs: number): ExitForecast[] {
  const lengthMs = bounds.toMs - bounds.fromMs;
  const leaving = facts.filter((fact) => fact.placedAtMs > bounds.fromMs && fact.placedAtMs <= bounds.toMs && isCountedCancellation(rule, fact, nowMs))
    .sort((a, b) => a.placedAtMs - b.placedAtMs).slice(0, FORECAST_EXITS_MAX);
  return leaving.map((fact) => {
    const atMs = fact.placedAtMs + lengthMs;
    // Same window length as now (eBay's look-back is held); every cancellation known now counts.
    const counts = countWindow(rule, facts, { fromMs: atMs - lengthMs, toMs: atMs });
    const verdict = judge(rule, counts);
    return { atMs, orderId: fact.orderId, rateAfterBasisPoints: rateBasisPoints(counts.sellerCancellations, counts.orders), meetsAfter: verdict.meets, headroomAfter: verdict.headroom };
  });
}

/** The change across the points with a rate, along their least-squares line (robust to one outlier end). */
function fittedChange(points: readonly TrendPoint[]): number {
  const known = points.map((point, index) => [index, point.rateBasisPoints] as const).filter((pair): pair is readonly [number, number] => pair[1] !== null);
  if (known.length < 2) return 0;
  const meanX = known.reduce((sum, [x]) => sum + x, 0) / known.length;
  const meanY = known.reduce((sum, [, y]) => sum + y, 0) / known.length;
  const covariance = known.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = known.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return (covariance / variance) * (known[known.length - 1]![0] - known[0]![0]);
}

function trendOf(rule: MetricRule, facts: readonly OrderFact[], bounds: WindowBounds): MetricEvaluation['trend'] {
  const lengthMs = bounds.toMs - bounds.fromMs;
  const stepMs = Math.floor(lengthMs / (TREND_POINTS - 1));
  const points: TrendPoint[] = [];
  for (let index = TREND_POINTS - 1; index >= 0; index -= 1) {
    const atMs = bounds.toMs - index * stepMs;
    const counts = countWindow(rule, facts, { fromMs: atMs - lengthMs, toMs: atMs });
    points.push({ atMs, rateBasisPoints: rateBasisPoints(counts.sellerCancellations, counts.orders) });
  }
  const change = fittedChange(points);
  const direction = change > TREND_FLAT_BASIS_POINTS ? 'rising' : change < -TREND_FLAT_BASIS_POINTS ? 'falling' : 'flat';
  return { points, direction };
}

/** Evaluates `rule` at `nowMs`. */
export function evaluateMetric(rule: MetricRule, allFacts: readonly OrderFact[], nowMs: number, alertHeadroomCancellations: number): MetricEvaluation {
  const facts = countedOrders(rule, allFacts);
  const bounds = windowAt(rule, facts, nowMs);
  const counts = countWindow(rule, facts, bounds);
  const verdict = judge(rule, counts);
  const exits = forecastExits(rule, facts, bounds, nowMs);
  const recovery = verdict.meets === false ? exits.find((exit) => exit.meetsAfter === true) : undefined;
  return {
    metric: rule.id, channel: rule.channel, label: rule.label, atMs: nowMs, window: bounds, ...counts,
    rateBasisPoints: rateBasisPoints(counts.sellerCancellations, counts.orders),
    limit: rule.limit ?? null, meets: verdict.meets, headroom: verdict.headroom,
    exits, recoversAtMs: recovery?.atMs ?? null,
    trend: trendOf(rule, facts, bounds),
    // A window without orders has no rate to judge: headroom is still reported, but a channel
    // that has sold nothing yet (a newly connected one) is not critical and raises no alert.
    alertLevel: counts.orders === 0 ? 'ok' : alertLevelOf(verdict.meets, verdict.headroom, alertHeadroomCancellations),
  };
}
