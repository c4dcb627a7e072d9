/**
 * `bench propagation`: events at a steady rate, each on a different SKU; for each, the time from
 * its acknowledgement (the ledger commit returned) to each sandbox having applied the new
 * quantity, read from the sandbox's own state.
 */
import { percentile } from '../sync/latency-window.js';
import { BENCH_CHANNELS, createBenchWorld, rateLimitViolations } from './bench-world.js';

export interface PropagationResult {
  rate: number; seconds: number; channels: number; unlimited: boolean;
  events: number; pushes: number; throttled: number; rate_limit_violations: number; violations_by_channel: Record<string, number>; converged: boolean;
  p50_ms: number | null; p99_ms: number | null; p99_all_channels_ms: number | null; max_ms: number | null;
  /** Where the tail comes from: p99 per channel. */
  p99_by_channel_ms: Record<string, number | null>;
}

const START_QUANTITY = 100;
const SETTLE_MS_MAX = 60_000;

export async function runPropagationBench(options: { rate: number; seconds: number; channels: number; unlimited: boolean }): Promise<PropagationResult> {
  const channels = BENCH_CHANNELS.slice(0, options.channels);
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const world = await createBenchWorld({ skus: total, quantity: START_QUANTITY, channels, unlimited: options.unlimited });
  const pairs: number[] = [];
  const pairsByChannel = new Map<string, number[]>(channels.map((name) => [name, []]));
  const perEvent: number[] = [];
  const waiting = new Map<string, { ackMs: number; left: Set<string>; slowest: number }>();
  let watching = true;
  let settleDeadline = Infinity;
  const watcher = (async () => {
    while (watching || waiting.size > 0) {
      const now = performance.now();
      for (const [sku, entry] of waiting) {
        for (const name of entry.left) {
          if (world.fleet.shown(name, sku) === START_QUANTITY - 1) { entry.left.delete(name); pairs.push(now - entry.ackMs); pairsByChannel.get(name)!.push(now - entry.ackMs); entry.slowest = Math.max(entry.slowest, now - entry.ackMs); }
        }
        if (entry.left.size === 0) { waiting.delete(sku); perEvent.push(entry.slowest); }
      }
      if (!watching && performance.now() > settleDeadline) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const started = performance.now();
  const gapMs = 1000 / options.rate;
  const sends: Array<Promise<void>> = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + index * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sku = world.skus[index]!;
    sends.push(world.ledger.adjust({ key: `prop:${sku}`, channel: null, actor: 'bench', sku, location: 'main', delta: -1, reason: 'correction' }).then(() => {
      waiting.set(sku, { ackMs: performance.now(), left: new Set(channels), slowest: 0 });
    }));
  }
  await Promise.all(sends);
  settleDeadline = performance.now() + SETTLE_MS_MAX;
  watching = false;
  await watcher;
  const stats = [...world.engine.schedulers.values()].map((scheduler) => scheduler.stats());
  const result: PropagationResult = {
    rate: options.rate, seconds: options.seconds, channels: channels.length, unlimited: options.unlimited,
    events: total, pushes: world.pushes.filter((event) => event.status === 'applied' || event.status === 'accepted').length,
    throttled: stats.reduce((sum, entry) => sum + entry.throttled, 0), rate_limit_violations: channels.reduce((sum, name) => sum + rateLimitViolations(world, name), 0),
    violations_by_channel: Object.fromEntries(channels.map((name) => [name, rateLimitViolations(world, name)])),
    converged: waiting.size === 0,
    p50_ms: round(percentile(pairs, 0.5)), p99_ms: round(percentile(pairs, 0.99)), p99_all_channels_ms: round(percentile(perEvent, 0.99)), max_ms: round(percentile(pairs, 1)),
    p99_by_channel_ms: Object.fromEntries(channels.map((name) => [name, round(percentile(pairsByChannel.get(name)!, 0.99))])),
  };
  await world.close();
  return result;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
