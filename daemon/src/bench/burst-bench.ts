/**
 * `bench burst`: a burst of movements over many SKUs at a high rate; every channel must converge
 * to the ledger with no rate-limit violation. Each channel is judged by its converge time over its
 * physical bound (physical-bound.ts): the least time its documented rates, bursts and batch sizes
 * allow to show every SKU's final quantity, given when each SKU last changed. The sandboxes run in
 * a child process, so their rate limiters see requests when the daemon sent them.
 */
import type { ChannelName } from '../channels/channel.js';
import { seededRandom } from '../sandbox/kit/seeded-random.js';
import { BULK_GROUP_KEYS } from '../sync/channel-registry.js';
import { BENCH_CHANNELS, countApiCalls, countViolations, createBenchWorldWithSandboxProcess, type BenchWorld } from './bench-world.js';
import { physicalBoundMs, type ReleasedSku } from './physical-bound.js';
import type { ProcessSandboxFleet } from './sandbox-fleet-process.js';

/** Inside every channel's quantity limit (Etsy shows at most 999), so shown = ledger is the test. */
const START_QUANTITY = 500;
const CONVERGE_WAIT_MAX_MS = 15 * 60_000;
const IDLE_GIVE_UP_MS = 3_000;
const CONVERGE_POLL_MS = 20;

export interface BurstChannelResult { converge_ms: number | null; bound_ms: number; ratio: number | null; api_calls: number; naive_api_calls: number; rate_limit_violations: number; violations_by_operation: Record<string, number>; dead_letters: number; listings_wrong: number }
export interface BurstResult { movements: number; skus: number; rate: number; burst_ms: number; channels: Record<string, BurstChannelResult>; converged: boolean; worst_ratio: number | null }

export async function runBurstBench(options: { movements: number; skus: number; rate: number }): Promise<BurstResult> {
  const world = await createBenchWorldWithSandboxProcess({ skus: options.skus, quantity: START_QUANTITY, channels: BENCH_CHANNELS, unlimited: false });
  const random = seededRandom(11);
  const releasedMs = new Map<string, number>();
  const started = performance.now();
  const gapMs = 1000 / options.rate;
  const inFlight: Array<Promise<unknown>> = [];
  for (let index = 0; index < options.movements; index += 1) {
    const due = started + index * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sku = world.skus[Math.floor(random() * world.skus.length)]!;
    const delta = random() < 0.7 ? -1 : 1;
    inFlight.push(world.ledger.adjust({ key: `burst:${index}`, channel: null, actor: 'bench', sku, location: 'main', delta, reason: 'correction' })
      .then(() => { releasedMs.set(sku, Math.max(releasedMs.get(sku) ?? 0, performance.now() - started)); }));
    if (inFlight.length >= 64) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const burstMs = performance.now() - started;
  const touched = [...releasedMs.keys()];
  const expected = new Map<string, number>();
  for (const row of await world.queries.stockOf()) expected.set(row.sku, row.available);
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
      if (touched.every((sku) => world.fleet.shown(name, sku) === expected.get(sku))) convergedAt.set(name, performance.now() - started);
    }
    await new Promise((resolve) => setTimeout(resolve, CONVERGE_POLL_MS));
  }
  const dead = await world.store.db.selectFrom('dead_letter').select(['channel', 'error']).execute();
  const channels: Record<string, BurstChannelResult> = {};
  for (const name of BENCH_CHANNELS) {
    const bound = Math.max(burstMs, physicalBoundMs(world.fleet.get(name).channel.limits, await releasedSkus(world, name, releasedMs), BULK_GROUP_KEYS[name] !== undefined));
    const converge = convergedAt.get(name);
    const requests = await world.fleet.requestLog(name);
    const violationsByOperation: Record<string, number> = {};
    for (const request of requests) if (request.status === 429 && !request.fault) violationsByOperation[request.operation ?? 'unknown'] = (violationsByOperation[request.operation ?? 'unknown'] ?? 0) + 1;
    channels[name] = { converge_ms: converge === undefined ? null : Math.round(converge), bound_ms: Math.round(bound), ratio: converge === undefined ? null : Math.round((converge / bound) * 1000) / 1000, api_calls: countApiCalls(requests), naive_api_calls: options.movements, rate_limit_violations: countViolations(requests), violations_by_operation: violationsByOperation, dead_letters: dead.filter((row) => row.channel === name).length, listings_wrong: touched.filter((sku) => world.fleet.shown(name, sku) !== expected.get(sku)).length };
  }
  await world.close();
  const ratios = Object.values(channels).map((entry) => entry.ratio);
  return { movements: options.movements, skus: options.skus, rate: options.rate, burst_ms: Math.round(burstMs), channels, converged: ratios.every((ratio) => ratio !== null), worst_ratio: ratios.some((ratio) => ratio === null) ? null : Math.max(...(ratios as number[])) };
}

/** Each touched SKU's release time with its bulk group on the channel, from the listing's identifiers. */
async function releasedSkus(world: BenchWorld<ProcessSandboxFleet>, name: ChannelName, releasedMs: ReadonlyMap<string, number>): Promise<ReleasedSku[]> {
  const groupOf = BULK_GROUP_KEYS[name];
  const listings = await world.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').select(['listing.channel_sku', 'listing.identifiers']).where('channel.code', '=', name).execute();
  const identifiersOf = new Map(listings.map((row) => [row.channel_sku, JSON.parse(row.identifiers) as Record<string, string>]));
  return [...releasedMs].map(([sku, released]) => ({ releasedMs: released, group: groupOf ? groupOf({ listing: { sku, identifiers: identifiersOf.get(sku) ?? {} }, quantity: 0, version: 0 }) : sku }));
}
