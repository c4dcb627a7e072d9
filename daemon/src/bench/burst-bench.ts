/**
 * `bench burst`: a burst of movements over many SKUs at a high rate; every channel must converge
 * to the ledger with no rate-limit violation. Each channel's physical bound is the longer of the
 * burst itself and the least time its documented rates and batch sizes allow to update the
 * distinct SKUs (bursts of tokens included); the engine is judged by converge time over bound.
 */
import type { ChannelLimits } from '../channels/channel.js';
import { seededRandom } from '../sandbox/kit/seeded-random.js';
import { apiCalls, BENCH_CHANNELS, createBenchWorld, rateLimitViolations, type BenchWorld } from './bench-world.js';

/** Inside every channel's quantity limit (Etsy shows at most 999), so shown = ledger is the test. */
const START_QUANTITY = 500;
const CONVERGE_WAIT_MAX_MS = 15 * 60_000;
const IDLE_GIVE_UP_MS = 3_000;

export interface BurstChannelResult { converge_ms: number | null; bound_ms: number; ratio: number | null; api_calls: number; naive_api_calls: number; rate_limit_violations: number; violations_by_operation: Record<string, number>; dead_letters: number; listings_wrong: number }
export interface BurstResult { movements: number; skus: number; rate: number; burst_ms: number; channels: Record<string, BurstChannelResult>; converged: boolean; worst_ratio: number | null }

/** Least time to publish `distinct` SKUs on a channel by its documented limits: pure. */
export function physicalBoundMs(limits: ChannelLimits, distinct: number): number {
  const options: number[] = [];
  for (const path of ['single', 'bulk', 'feed'] as const) {
    const operation = limits.pushOperation[path];
    const rate = operation ? limits.operations[operation] : undefined;
    if (!rate) continue;
    const perCall = path === 'single' ? 1 : path === 'bulk' ? limits.bulkBatchMax : limits.feedBatchMax;
    const calls = Math.ceil(distinct / Math.max(1, perCall));
    options.push((Math.max(0, calls - rate.burst) / rate.ratePerSecond) * 1000);
  }
  return Math.min(...options);
}

export async function runBurstBench(options: { movements: number; skus: number; rate: number }): Promise<BurstResult> {
  const world = await createBenchWorld({ skus: options.skus, quantity: START_QUANTITY, channels: BENCH_CHANNELS, unlimited: false });
  const random = seededRandom(11);
  const touched = new Set<string>();
  const started = performance.now();
  const gapMs = 1000 / options.rate;
  const inFlight: Array<Promise<unknown>> = [];
  for (let index = 0; index < options.movements; index += 1) {
    const due = started + index * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sku = world.skus[Math.floor(random() * world.skus.length)]!;
    touched.add(sku);
    const delta = random() < 0.7 ? -1 : 1;
    inFlight.push(world.ledger.adjust({ key: `burst:${index}`, channel: null, actor: 'bench', sku, location: 'main', delta, reason: 'correction' }));
    if (inFlight.length >= 64) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const burstMs = performance.now() - started;
  const expected = new Map<string, number>();
  for (const row of await world.queries.stockOf()) expected.set(row.sku, row.available);
  const channels: Record<string, BurstChannelResult> = {};
  const convergedAt = new Map<string, number>();
  const deadline = performance.now() + CONVERGE_WAIT_MAX_MS;
  let idleSinceMs: number | null = null;
  while (convergedAt.size < BENCH_CHANNELS.length && performance.now() < deadline) {
    // An idle engine (empty outbox, nothing claimed) will not converge any further: report what
    // was reached instead of waiting out the deadline.
    const idle = world.engine.dispatcher.inFlightCount === 0 && (await world.store.db.selectFrom('outbox').select('id').limit(1).execute()).length === 0;
    idleSinceMs = idle ? idleSinceMs ?? performance.now() : null;
    if (idleSinceMs !== null && performance.now() - idleSinceMs > IDLE_GIVE_UP_MS) break;
    for (const name of BENCH_CHANNELS) {
      if (convergedAt.has(name)) continue;
      if ([...touched].every((sku) => world.fleet.shown(name, sku) === expected.get(sku))) convergedAt.set(name, performance.now() - started);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const dead = await world.store.db.selectFrom('dead_letter').select(['channel', 'error']).execute();
  for (const name of BENCH_CHANNELS) {
    const bound = Math.max(burstMs, physicalBoundMs(world.fleet.get(name).channel.limits, touched.size));
    const converge = convergedAt.get(name);
    channels[name] = { converge_ms: converge === undefined ? null : Math.round(converge), bound_ms: Math.round(bound), ratio: converge === undefined ? null : Math.round((converge / bound) * 1000) / 1000, api_calls: apiCalls(world, name), naive_api_calls: options.movements, rate_limit_violations: rateLimitViolations(world, name), violations_by_operation: violationsByOperation(world, name), dead_letters: dead.filter((row) => row.channel === name).length, listings_wrong: [...touched].filter((sku) => world.fleet.shown(name, sku) !== expected.get(sku)).length };
  }
  await world.close();
  const ratios = Object.values(channels).map((entry) => entry.ratio);
  return { movements: options.movements, skus: options.skus, rate: options.rate, burst_ms: Math.round(burstMs), channels, converged: ratios.every((ratio) => ratio !== null), worst_ratio: ratios.some((ratio) => ratio === null) ? null : Math.max(...(ratios as number[])) };
}

/** Which operations the sandbox refused for its own limits: where a violation came from. */
function violationsByOperation(world: BenchWorld, name: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of world.fleet.get(name).sandbox.requests) if (request.status === 429 && !request.fault) counts[request.operation ?? 'unknown'] = (counts[request.operation ?? 'unknown'] ?? 0) + 1;
  return counts;
}
