/**
 * `bench storm`: RELIABILITY.md B7 at full scale. N stock changes over many SKUs while every
 * marketplace sandbox (in a child process, at its documented rates) answers a share of requests
 * with faults — 429s whose Retry-After moves between 1 and 5 s, 5xx, 10 s hangs ended by a reset —
 * and 5% of requests are applied and then lose their response. Judged per channel against B7:
 * every channel equals the ledger within 120 s of the last change while the faults go on, and
 * within 30 s once they stop; no request sent inside an announced Retry-After (beyond those already
 * on the wire); never above the marketplace's bucket (the sandbox's own 429s); attempts per job at
 * most the cap; dead letters counted. It measures and reports; it does not tune the engine.
 */
import { pushRequests, type ChannelLimits, type ChannelName, type RateLimit } from '../channels/channel.js';
import type { RecordedRequest } from '../sandbox/kit/sandbox-server.js';
import { seededRandom } from '../sandbox/kit/seeded-random.js';
import { SCHEDULER_CONCURRENCY_DEFAULT } from '../sync/channel-scheduler.js';
import { PUSH_ATTEMPTS_MAX } from '../sync/retry-policy.js';
import { BENCH_CHANNELS, countApiCalls, countViolations, createBenchWorldWithSandboxProcess } from './bench-world.js';

export const CONVERGE_DURING_FAULTS_MS_MAX = 120_000;
export const CONVERGE_AFTER_FAULTS_MS_MAX = 30_000;
/** After the targets, keep watching this long so a miss is reported with its real time. */
const OVERTIME_MS = 60_000;
const START_QUANTITY = 500;
const DROP_AFTER_APPLY_SHARE = 0.05;
const HANG_MS = 10_000;
const RETRY_AFTER_SECONDS = [1, 2, 3, 4, 5];
const RETRY_AFTER_STEP_MS = 2_000;
const POLL_MS = 100;
/** Requests a scheduler may already have on the wire when a 429 is sent. */
const ON_THE_WIRE_MAX = SCHEDULER_CONCURRENCY_DEFAULT;

export interface StormOptions { changes: number; faults: number; skus: number; rate: number }

export interface StormChannelResult {
  converged_during_faults_ms: number | null;
  converged_after_faults_ms: number | null;
  listings_wrong_at_end: number;
  /** Every request the sandbox received (token calls left out), faulted ones included. */
  requests: number;
  /** Requests that reached an operation (a fault injected before routing names none). */
  api_calls: number;
  faults_injected: Record<string, number>;
  /** 429s after which more requests arrived inside the announced Retry-After than were on the wire; null: no Retry-After (Amazon). */
  retry_after_violations: number | null;
  requests_inside_retry_after: number | null;
  /** Each violation: when the 429 was sent (ms since the first change), its Retry-After, and how
   * long after it (ms) each request that arrived inside it came. */
  retry_after_violation_details: Array<{ at_ms: number; operation: string | undefined; retry_after_s: number; arrivals_ms: number[] }>;
  /** 429s the sandbox sent for its own documented limit: the bucket was exceeded. */
  rate_limit_violations: number;
  /** The busiest 1 s window per operation against what the bucket admits in 1 s (burst + rate). */
  busiest_second: Record<string, { requests: number; bucket_allows: number }>;
  max_attempts: number;
  /** SKUs the channel showed wrong at the last change, and when the faults stopped. */
  wrong_at_last_change: number;
  wrong_when_faults_stopped: number;
  /** The least expected time any scheduler that never sends inside a Retry-After would need, while
   * the faults go on, to land those SKUs (stormBoundMs): an estimate on average fault draws, not a
   * strict bound. Near or above 120 s the during-faults target is out of reach on this channel. */
  bound_during_faults_ms: number;
  dead_letters: number;
  /** Why pushes were dead-lettered (the last error of each, counted). */
  dead_letter_errors: Record<string, number>;
}

export interface StormResult {
  changes: number; skus: number; fault_share: number; knobs: Record<string, number>; changes_ms: number; faults_stopped_after_ms: number;
  attempts_cap: number; channels: Record<string, StormChannelResult>;
  criteria: { converged_within_120s_during_faults: boolean; converged_within_30s_after_faults: boolean; no_request_inside_retry_after: boolean; never_above_bucket: boolean; attempts_within_cap: boolean; dead_letters: number };
  passed: boolean;
}

/** Per-request fault rates whose combined share (the sandbox draws 429, then 5xx, then a hang) is `share`. */
export function faultKnobs(share: number): { rate429: number; rate5xx: number; timeoutRate: number; dropAfterApplyRate: number } {
  const combined = (k: number) => 1 - (1 - 0.4 * k) ** 2 * (1 - 0.2 * k);
  let low = 0;
  let high = 2.5;
  for (let step = 0; step < 60; step += 1) {
    const middle = (low + high) / 2;
    if (combined(middle) < share) low = middle; else high = middle;
  }
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return { rate429: round(0.4 * low), rate5xx: round(0.4 * low), timeoutRate: round(0.2 * low), dropAfterApplyRate: round(Math.min(1, DROP_AFTER_APPLY_SHARE / Math.max(0.01, 1 - share))) };
}

export async function runStormBench(options: StormOptions): Promise<StormResult> {
  const world = await createBenchWorldWithSandboxProcess({ skus: options.skus, quantity: START_QUANTITY, channels: BENCH_CHANNELS, unlimited: false });
  const random = seededRandom(7);
  const knobs = faultKnobs(options.faults);
  const retryAfterAt: Array<{ atMs: number; seconds: number }> = [];
  const setRetryAfter = async (seconds: number) => {
    retryAfterAt.push({ atMs: Date.now(), seconds });
    // Every knob on every PUT: the sandbox's PUT /faults fills the knobs a body leaves out with their defaults (0).
    await Promise.all(BENCH_CHANNELS.map((name) => world.fleet.call(name, 'PUT', '/faults', { ...knobs, hangMs: HANG_MS, retryAfterSeconds: seconds })));
  };
  await Promise.all(BENCH_CHANNELS.map((name) => world.fleet.call(name, 'PUT', '/faults', { ...knobs, hangMs: HANG_MS, retryAfterSeconds: RETRY_AFTER_SECONDS[0] })));
  retryAfterAt.push({ atMs: Date.now(), seconds: RETRY_AFTER_SECONDS[0]! });
  let faultsOn = true;
  let step = 0;
  let rotating: Promise<unknown> = Promise.resolve();
  const rotate = setInterval(() => { if (faultsOn) rotating = setRetryAfter(RETRY_AFTER_SECONDS[(step += 1) % RETRY_AFTER_SECONDS.length]!).catch(() => undefined); }, RETRY_AFTER_STEP_MS);

  const started = performance.now();
  const startedWallMs = Date.now();
  const touched = new Set<string>();
  const gapMs = 1000 / options.rate;
  for (let index = 0; index < options.changes; index += 1) {
    const wait = started + index * gapMs - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sku = world.skus[Math.floor(random() * world.skus.length)]!;
    touched.add(sku);
    await world.ledger.adjust({ key: `storm:${index}`, channel: null, actor: 'bench', sku, location: 'main', delta: random() < 0.6 ? -1 : 2, reason: 'correction' });
  }
  const changesMs = performance.now() - started;
  const lastChange = performance.now();
  const expected = new Map((await world.queries.stockOf()).map((row) => [row.sku, row.available]));
  const wrongOn = (name: ChannelName) => [...touched].filter((sku) => world.fleet.shown(name, sku) !== expected.get(sku)).length;

  const wrongAtLastChange = new Map(BENCH_CHANNELS.map((name) => [name, wrongOn(name)]));
  const during = await watch(BENCH_CHANNELS, wrongOn, lastChange, CONVERGE_DURING_FAULTS_MS_MAX);
  faultsOn = false;
  clearInterval(rotate);
  // A knob change still on its way must not switch the faults back on after they stop.
  await rotating;
  await Promise.all(BENCH_CHANNELS.map((name) => world.fleet.call(name, 'PUT', '/faults', { rate429: 0, rate5xx: 0, timeoutRate: 0, dropAfterApplyRate: 0 })));
  const faultsStopped = performance.now();
  const wrongWhenFaultsStopped = new Map(BENCH_CHANNELS.map((name) => [name, wrongOn(name)]));
  const after = await watch(BENCH_CHANNELS.filter((name) => !during.has(name)), wrongOn, faultsStopped, CONVERGE_AFTER_FAULTS_MS_MAX + OVERTIME_MS);

  const dead = await world.store.db.selectFrom('dead_letter').select(['channel', 'error']).execute();
  const channels: Record<string, StormChannelResult> = {};
  for (const name of BENCH_CHANNELS) {
    const requests = await world.fleet.requestLog(name);
    const inside = name === 'amazon' ? null : retryAfterViolations(requests, retryAfterAt);
    channels[name] = {
      converged_during_faults_ms: during.get(name) ?? null,
      converged_after_faults_ms: during.has(name) ? 0 : after.get(name) ?? null,
      listings_wrong_at_end: wrongOn(name),
      requests: requests.filter((request) => !/token/i.test(request.operation ?? request.path)).length,
      api_calls: countApiCalls(requests),
      faults_injected: tally(requests.filter((request) => request.fault).map((request) => request.fault!)),
      retry_after_violations: inside === null ? null : inside.violations,
      requests_inside_retry_after: inside === null ? null : inside.requests,
      retry_after_violation_details: inside === null ? [] : inside.details.map((detail) => ({ ...detail, at_ms: Math.round(detail.at_ms - startedWallMs) })),
      rate_limit_violations: countViolations(requests),
      busiest_second: busiestSecond(requests, world.fleet.get(name).channel.limits.operations),
      max_attempts: Math.max(0, ...world.pushes.filter((push) => push.channel === name).map((push) => push.attempts)),
      wrong_at_last_change: wrongAtLastChange.get(name) ?? 0,
      wrong_when_faults_stopped: wrongWhenFaultsStopped.get(name) ?? 0,
      bound_during_faults_ms: stormBoundMs(world.fleet.get(name).channel.limits, wrongAtLastChange.get(name) ?? 0, knobs, name !== 'amazon'),
      dead_letters: dead.filter((row) => row.channel === name).length,
      dead_letter_errors: tally(dead.filter((row) => row.channel === name).map((row) => row.error.slice(0, 120))),
    };
  }
  await world.close();
  const all = Object.values(channels);
  const criteria = {
    converged_within_120s_during_faults: all.every((entry) => entry.converged_during_faults_ms !== null),
    converged_within_30s_after_faults: all.every((entry) => entry.converged_after_faults_ms !== null && entry.converged_after_faults_ms <= CONVERGE_AFTER_FAULTS_MS_MAX),
    no_request_inside_retry_after: all.every((entry) => !entry.retry_after_violations),
    never_above_bucket: all.every((entry) => entry.rate_limit_violations === 0),
    attempts_within_cap: all.every((entry) => entry.max_attempts <= PUSH_ATTEMPTS_MAX),
    dead_letters: all.reduce((sum, entry) => sum + entry.dead_letters, 0),
  };
  return {
    changes: options.changes, skus: options.skus, fault_share: options.faults, knobs: { ...knobs, hangMs: HANG_MS }, changes_ms: Math.round(changesMs), faults_stopped_after_ms: Math.round(faultsStopped - lastChange),
    attempts_cap: PUSH_ATTEMPTS_MAX, channels, criteria,
    passed: criteria.converged_within_120s_during_faults && criteria.converged_within_30s_after_faults && criteria.no_request_inside_retry_after && criteria.never_above_bucket && criteria.attempts_within_cap,
  };
}

/**
 * The least expected time to land `skus` pushes on a channel while the storm goes on, for ANY scheduler
 * that never sends on an operation inside a Retry-After (B7) and never above its documented rate:
 * pure. Each request meets a 429 with probability q (then its operation is silent for the
 * Retry-After, 3 s on average over the bench's 1..5 s rotation; Amazon announces none, and the
 * wait is one token at the documented rate), a 5xx or a hang after it; only the rest land (a lost
 * response after applying counts as landed). Between two 429s come 1/q − 1 other requests on
 * average, of which at most the burst can go the moment the Retry-After ends and the rest at the
 * documented rate; so an operation lands, on average, at most
 *   (1/q − 1)(1 − p5xx)(1 − phang) / (wait + max(0, 1/q − 1 − burst) / rate)
 * requests a second, each carrying one SKU (single), bulkBatchMax (bulk) or the whole backlog
 * (a feed carries the whole backlog and its first attempt may land: no bound). The best path
 * counts. Optimistic (full bucket after every Retry-After, no hang occupying a slot, no stale
 * quantity ever pushed, SKUs of one product never sharing a call) but on average draws: a lucky
 * run may beat it by a little.
 */
export function stormBoundMs(limits: ChannelLimits, skus: number, knobs: { rate429: number; rate5xx: number; timeoutRate: number }, announcesRetryAfter: boolean): number {
  if (skus === 0) return 0;
  const q = Math.max(1e-9, knobs.rate429);
  const landing = (1 - knobs.rate5xx) * (1 - knobs.timeoutRate);
  const meanRetryAfterMs = (RETRY_AFTER_SECONDS.reduce((sum, seconds) => sum + seconds, 0) / RETRY_AFTER_SECONDS.length) * 1000;
  let skusPerSecond = 0;
  // Each path on its own (Etsy's single and bulk calls share one operation: the better counts).
  for (const path of ['single', 'bulk'] as const) {
    const operation = limits.pushOperation[path];
    const rate = operation ? limits.operations[operation] : undefined;
    if (!operation || !rate) continue;
    const waitMs = announcesRetryAfter ? meanRetryAfterMs : 1000 / rate.ratePerSecond;
    const between = 1 / q - 1;
    // Never more than the documented rate lets through, whatever the bursts.
    const landedPerSecond = Math.min(rate.ratePerSecond * (1 - q) * landing, (between * landing) / (waitMs / 1000 + Math.max(0, between - rate.burst) / rate.ratePerSecond));
    // Requests carry SKUs: one per single call, bulkBatchMax per bulk call, each call costing its
    // requests (Etsy: a read per call and a write per listing).
    const perCall = path === 'bulk' ? Math.max(1, limits.bulkBatchMax) : 1;
    skusPerSecond = Math.max(skusPerSecond, (landedPerSecond * perCall) / pushRequests(limits, path, perCall));
  }
  const singlesMs = skusPerSecond > 0 ? (skus / skusPerSecond) * 1000 : Infinity;
  const feed = limits.pushOperation.feed;
  // One feed that lands carries every SKU, and the first attempt may land: no bound beyond 0.
  if (feed && limits.feedBatchMax >= skus) return 0;
  return Math.round(singlesMs);
}

/** Watches until every channel shows the ledger or the time is up; answers when each got there (ms from `fromMs`). */
async function watch(names: readonly ChannelName[], wrongOn: (name: ChannelName) => number, fromMs: number, limitMs: number): Promise<Map<ChannelName, number>> {
  const reached = new Map<ChannelName, number>();
  while (reached.size < names.length && performance.now() - fromMs <= limitMs) {
    for (const name of names) if (!reached.has(name) && wrongOn(name) === 0) reached.set(name, Math.round(performance.now() - fromMs));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return reached;
}

/** 429s (injected, with the Retry-After in force then) after which more requests on the same
 * operation arrived before it ran out than the scheduler could already have had on the wire. A
 * Retry-After holds the operation it answered: the marketplaces limit each API on its own. */
function retryAfterViolations(requests: readonly RecordedRequest[], schedule: ReadonlyArray<{ atMs: number; seconds: number }>): { violations: number; requests: number; details: Array<{ at_ms: number; operation: string | undefined; retry_after_s: number; arrivals_ms: number[] }> } {
  const details: Array<{ at_ms: number; operation: string | undefined; retry_after_s: number; arrivals_ms: number[] }> = [];
  const secondsAt = (atMs: number) => {
    // Around a change of the knob either value may have been sent: take the shorter wait.
    const inForce = (at: number) => [...schedule].reverse().find((entry) => entry.atMs <= at)?.seconds ?? RETRY_AFTER_SECONDS[0]!;
    return Math.min(inForce(atMs), inForce(atMs - 250));
  };
  let violations = 0;
  let inside = 0;
  const sorted = [...requests].sort((a, b) => a.atMs - b.atMs);
  for (const [index, limited] of sorted.entries()) {
    if (limited.fault !== 'rate_limited') continue;
    const endsMs = limited.atMs + secondsAt(limited.atMs) * 1000;
    const arrivals: number[] = [];
    for (let next = index + 1; next < sorted.length && sorted[next]!.atMs < endsMs; next += 1) if (sorted[next]!.atMs > limited.atMs && sorted[next]!.operation === limited.operation && !/token/i.test(sorted[next]!.operation ?? '')) arrivals.push(sorted[next]!.atMs - limited.atMs);
    if (arrivals.length > ON_THE_WIRE_MAX) {
      violations += 1;
      inside += arrivals.length - ON_THE_WIRE_MAX;
      details.push({ at_ms: limited.atMs, operation: limited.operation, retry_after_s: secondsAt(limited.atMs), arrivals_ms: arrivals.slice(0, 30) });
    }
  }
  return { violations, requests: inside, details };
}

function busiestSecond(requests: readonly RecordedRequest[], limits: Record<string, RateLimit>): Record<string, { requests: number; bucket_allows: number }> {
  const byOperation = new Map<string, number[]>();
  for (const request of requests) if (request.operation && !/token/i.test(request.operation)) byOperation.set(request.operation, [...(byOperation.get(request.operation) ?? []), request.atMs]);
  const busiest: Record<string, { requests: number; bucket_allows: number }> = {};
  for (const [operation, times] of byOperation) {
    times.sort((a, b) => a - b);
    let most = 0;
    for (let start = 0, end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= 1000) start += 1;
      most = Math.max(most, end - start + 1);
    }
    const limit = limits[operation];
    if (limit) busiest[operation] = { requests: most, bucket_allows: Math.floor(limit.burst + limit.ratePerSecond) };
  }
  return busiest;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
