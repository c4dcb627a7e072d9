/**
 * Propagation latency over the last minutes, per channel and per minute, for the admin Overview's
 * chart: pure. It is computed from the persisted push records (time and latency of every push a
 * marketplace accepted), so it survives restarts and covers every daemon worker sharing a ledger,
 * unlike the in-memory window behind the current p50/p99.
 */
import { percentile } from './latency-window.js';

export const MINUTE_MS = 60_000;
/** The longest history the admin API serves, in minutes. */
export const LATENCY_HISTORY_MINUTES_MAX = 180;

export interface TimedLatency {
  channel: string;
  atMs: number;
  latencyMs: number;
}

export interface LatencyBucket {
  /** Start of the minute, ISO 8601 UTC. */
  at: string;
  p50_ms: number | null;
  p99_ms: number | null;
  pushes: number;
}

export interface ChannelLatencyHistory {
  channel: string;
  buckets: LatencyBucket[];
}

/** First millisecond of the oldest minute in a history of `minutes` minutes ending with the minute of `nowMs`. */
export function historyStartMs(nowMs: number, minutes: number): number {
  return Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
}

/**
 * One series per channel (every channel named, even without pushes, sorted by code) with one
 * bucket per minute, oldest first, the current (partial) minute last. Buckets without pushes have
 * null percentiles. Samples outside the window are ignored.
 */
export function latencyHistory(samples: readonly TimedLatency[], channels: readonly string[], nowMs: number, minutes: number): ChannelLatencyHistory[] {
  const startMs = historyStartMs(nowMs, minutes);
  const endMs = startMs + minutes * MINUTE_MS;
  const grouped = new Map<string, number[][]>();
  for (const channel of new Set([...channels, ...samples.map((sample) => sample.channel)])) grouped.set(channel, Array.from({ length: minutes }, () => []));
  for (const sample of samples) {
    if (sample.atMs < startMs || sample.atMs >= endMs) continue;
    grouped.get(sample.channel)![Math.floor((sample.atMs - startMs) / MINUTE_MS)]!.push(sample.latencyMs);
  }
  return [...grouped.keys()].sort().map((channel) => ({
    channel,
    buckets: grouped.get(channel)!.map((values, index) => ({
      at: new Date(startMs + index * MINUTE_MS).toISOString(),
      p50_ms: percentile(values, 0.5),
      p99_ms: percentile(values, 0.99),
      pushes: values.length,
    })),
  }));
}
