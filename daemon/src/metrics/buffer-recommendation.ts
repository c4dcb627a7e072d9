/**
 * Oversell risk per SKU and channel, and the buffer that keeps it small: pure. While a sale on
 * one channel propagates to another (the measured push latency), the other channel still shows
 * the old quantity; the units sold elsewhere in that time are Poisson with mean
 * velocity × latency, and the buffer is that demand's quantile at the accepted risk.
 */
import { DAY_MS, type OrderFact } from './order-facts.js';

export const VELOCITY_WINDOW_DAYS = 7;
export const OVERSELL_RISK_TARGET_FRACTION = 0.01;
export const BUFFER_RECOMMENDATION_MAX_UNITS = 50;

/** Units ordered per day by channel and SKU over the window (cancelled orders were demand too). */
export function salesVelocity(facts: readonly OrderFact[], nowMs: number, windowDays = VELOCITY_WINDOW_DAYS): Map<string, Map<string, number>> {
  const fromMs = nowMs - windowDays * DAY_MS;
  const velocity = new Map<string, Map<string, number>>();
  for (const fact of facts) {
    if (fact.placedAtMs <= fromMs || fact.placedAtMs > nowMs) continue;
    const bySku = velocity.get(fact.channel) ?? new Map<string, number>();
    for (const line of fact.lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
    velocity.set(fact.channel, bySku);
  }
  // Units first, divided once, so whole-day figures stay exact.
  for (const bySku of velocity.values()) for (const [sku, units] of bySku) bySku.set(sku, units / windowDays);
  return velocity;
}

/** P(X > units) for X ~ Poisson(mean). */
export function poissonTail(mean: number, units: number): number {
  if (mean <= 0) return 0;
  let term = Math.exp(-mean);
  let cumulative = term;
  for (let k = 1; k <= units; k += 1) { term *= mean / k; cumulative += term; }
  return Math.max(0, 1 - cumulative);
}

/** The smallest buffer whose tail is at most the risk target, capped. */
export function poissonBuffer(mean: number, riskFraction: number, maxUnits = BUFFER_RECOMMENDATION_MAX_UNITS): number {
  for (let units = 0; units < maxUnits; units += 1) if (poissonTail(mean, units) <= riskFraction) return units;
  return maxUnits;
}

export interface BufferRecommendation {
  channel: string;
  sku: string;
  /** Units per day sold on the other channels, which this channel learns of only after the latency. */
  otherChannelsUnitsPerDay: number;
  propagationLatencyMs: number;
  expectedUnitsDuringLatency: number;
  currentBuffer: number;
  /** Chance that more units than the current buffer sell elsewhere before this channel is updated. */
  oversellRiskFraction: number;
  recommendedBuffer: number;
}

export interface BufferInput {
  channel: string;
  sku: string;
  currentBuffer: number;
  /** Measured push latency to this channel (a high percentile), in ms. */
  propagationLatencyMs: number;
}

export function recommendBuffer(input: BufferInput, velocity: Map<string, Map<string, number>>, riskFraction = OVERSELL_RISK_TARGET_FRACTION): BufferRecommendation {
  let otherChannelsUnitsPerDay = 0;
  for (const [channel, bySku] of velocity) if (channel !== input.channel) otherChannelsUnitsPerDay += bySku.get(input.sku) ?? 0;
  const expected = (otherChannelsUnitsPerDay * input.propagationLatencyMs) / DAY_MS;
  return {
    channel: input.channel, sku: input.sku, otherChannelsUnitsPerDay, propagationLatencyMs: input.propagationLatencyMs,
    expectedUnitsDuringLatency: expected, currentBuffer: input.currentBuffer,
    oversellRiskFraction: poissonTail(expected, input.currentBuffer),
    recommendedBuffer: poissonBuffer(expected, riskFraction),
  };
}
