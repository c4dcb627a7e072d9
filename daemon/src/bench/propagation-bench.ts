/**
 * `bench propagation`: events at a steady rate, each on a different SKU; for each, the time from
 * its acknowledgement (the ledger commit returned) to each sandbox having applied the new
 * quantity, read from the sandbox's own state. A warm-up at the same rate comes first (its
 * figures reported apart), so the figures are those of a daemon that has been running.
 */
import { percentile } from '../sync/latency-window.js';
import { BENCH_CHANNELS, countViolations, createBenchWorldWithSandboxProcess, type BenchWorld } from './bench-world.js';
import { wallClockMs, type ProcessSandboxFleet } from './sandbox-fleet-process.js';

export interface PropagationResult {
  rate: number; seconds: number; channels: number; unlimited: boolean;
  events: number; pushes: number; throttled: number; rate_limit_violations: number; violations_by_channel: Record<string, number>; converged: boolean;
  p50_ms: number | null; p99_ms: number | null; p99_all_channels_ms: number | null; max_ms: number | null;
  /** Where the tail comes from: p99 per channel. */
  p99_by_channel_ms: Record<string, number | null>;
  /** p99 of the scheduler's part alone (handed to the channel's scheduler → the channel answered). */
  scheduler_p99_by_channel_ms: Record<string, number | null>;
  /** Requests each sandbox received (tokens left out, the warm-up event in), by operation. */
  api_calls_by_channel: Record<string, Record<string, number>>;
  /** From the first event until every sandbox applied the last (or the settle wait ended). */
  measured_ms: number;
  /** CPU time in that window: the daemon's process (engine, ledger, HTTP client — and the bench's
   * event loop, which is small) and the sandboxes' process (the five marketplaces' servers). With
   * two cores, each must stay well under `measured_ms` for the engine to keep up. */
  cpu_ms: { daemon: number; sandboxes: number | null };
  daemon_cpu_ms_per_event: number;
  sandbox_cpu_ms_per_request: number | null;
  /** The warm-up before the measured events (see PropagationOptions.warmUpSeconds): its own
   * figures, those of a daemon just started. */
  warm_up: { seconds: number; events: number; converged: boolean; p50_ms: number | null; p99_ms: number | null; max_ms: number | null };
}

const START_QUANTITY = 100;
const SETTLE_MS_MAX = 60_000;
const SETTLE_POLL_MS = 50;
const WARM_UP_WAIT_MAX_MS = 30_000;

export interface PropagationOptions {
  rate: number; seconds: number; channels: number; unlimited: boolean;
  /** Seconds of events at the same rate, on SKUs of their own, sent and applied before the
   * measured ones (0, the default: none). Their figures are reported apart, as `warm_up`. Meant
   * for --unlimited: under the documented limits they would spend the buckets the measured events
   * are to find (Walmart's single updates refill at 3.3 a second, below a rate of 5). */
  warmUpSeconds?: number;
}

/** The CLI's warm-up with --unlimited. */
export const WARM_UP_SECONDS_DEFAULT = 3;

/** One phase's events: each SKU once, at the rate, and when each channel applied it. */
interface Phase { ackAt: Map<string, number>; appliedAt: Map<string, Map<string, number>>; measuredMs: number; converged: boolean }

export async function runPropagationBench(options: PropagationOptions): Promise<PropagationResult> {
  const channels = BENCH_CHANNELS.slice(0, options.channels);
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const warmUpSeconds = options.warmUpSeconds ?? 0;
  const warmUpTotal = Math.round(options.rate * warmUpSeconds);
  // The sandboxes run in a child process and report each quantity the moment they apply it, so
  // the figures are the engine's: no polling loop here, no sandbox work on the daemon's loop.
  const world = await createBenchWorldWithSandboxProcess({ skus: total + 1 + warmUpTotal, quantity: START_QUANTITY, channels, unlimited: options.unlimited });
  const measuredSkus = world.skus.slice(0, total);
  const warmUpSkus = world.skus.slice(total + 1);
  await warmUp(world, channels, world.skus[total]!);
  const appliedAt = new Map<string, Map<string, number>>();
  world.fleet.onApplied((change) => {
    if (change.quantity !== START_QUANTITY - 1) return;
    const bySku = appliedAt.get(change.sku) ?? new Map<string, number>();
    bySku.set(change.name, change.atMs);
    appliedAt.set(change.sku, bySku);
  });
  // A daemon runs for weeks: its code is compiled and optimised, its connections open, its
  // database warm. Seconds at the rate first measure that daemon rather than one just started;
  // what they took is reported too, as warm_up.
  const warm = warmUpTotal > 0 ? await sendPhase(world, channels, warmUpSkus, options.rate, 'prop-warm', appliedAt) : undefined;
  const cpuAtStart = process.cpuUsage();
  const sandboxCpuAtStart = world.fleet.cpuMs();
  const measured = await sendPhase(world, channels, measuredSkus, options.rate, 'prop', appliedAt);
  const daemonCpu = process.cpuUsage(cpuAtStart);
  const sandboxCpuAtEnd = world.fleet.cpuMs();
  const sandboxCpuMs = sandboxCpuAtStart === undefined || sandboxCpuAtEnd === undefined ? null : sandboxCpuAtEnd - sandboxCpuAtStart;
  const { pairs, pairsByChannel, perEvent } = latencies(measured, channels);
  const violations = new Map<string, number>();
  const calls: Record<string, Record<string, number>> = {};
  for (const name of channels) {
    const requests = await world.fleet.requestLog(name);
    violations.set(name, countViolations(requests));
    calls[name] = {};
    for (const request of requests) if (request.operation && !/token/i.test(request.operation)) calls[name][request.operation] = (calls[name][request.operation] ?? 0) + 1;
  }
  const stats = [...world.engine.schedulers.values()].map((scheduler) => scheduler.stats());
  const measuredSet = new Set(measuredSkus);
  const measuredPushes = world.pushes.filter((event) => measuredSet.has(event.sku) && (event.status === 'applied' || event.status === 'accepted'));
  const warmFigures = warm ? latencies(warm, channels) : undefined;
  const result: PropagationResult = {
    rate: options.rate, seconds: options.seconds, channels: channels.length, unlimited: options.unlimited,
    events: total, pushes: measuredPushes.length,
    throttled: stats.reduce((sum, entry) => sum + entry.throttled, 0), rate_limit_violations: [...violations.values()].reduce((sum, count) => sum + count, 0),
    violations_by_channel: Object.fromEntries(violations),
    converged: measured.converged,
    p50_ms: round(percentile(pairs, 0.5)), p99_ms: round(percentile(pairs, 0.99)), p99_all_channels_ms: round(percentile(perEvent, 0.99)), max_ms: round(percentile(pairs, 1)),
    p99_by_channel_ms: Object.fromEntries(channels.map((name) => [name, round(percentile(pairsByChannel.get(name)!, 0.99))])),
    scheduler_p99_by_channel_ms: Object.fromEntries(channels.map((name) => [name, round(percentile(measuredPushes.filter((event) => event.channel === name).map((event) => event.latencyMs), 0.99))])),
    api_calls_by_channel: calls,
    measured_ms: Math.round(measured.measuredMs),
    cpu_ms: { daemon: Math.round((daemonCpu.user + daemonCpu.system) / 1000), sandboxes: sandboxCpuMs },
    daemon_cpu_ms_per_event: round((daemonCpu.user + daemonCpu.system) / 1000 / total)!,
    sandbox_cpu_ms_per_request: sandboxCpuMs === null ? null : round(sandboxCpuMs / Math.max(1, Object.values(calls).reduce((sum, byOperation) => sum + Object.values(byOperation).reduce((inner, count) => inner + count, 0), 0))),
    warm_up: { seconds: warmUpSeconds, events: warmUpTotal, converged: warm?.converged ?? true, p50_ms: round(percentile(warmFigures?.pairs ?? [], 0.5)), p99_ms: round(percentile(warmFigures?.pairs ?? [], 0.99)), max_ms: round(percentile(warmFigures?.pairs ?? [], 1)) },
  };
  await world.close();
  return result;
}

/** Sends one event per SKU at the rate, then waits until every channel applied every one (or the
 * settle wait ended). The figures count from each event's acknowledgement. */
async function sendPhase(world: BenchWorld<ProcessSandboxFleet>, channels: string[], skus: string[], rate: number, keyPrefix: string, appliedAt: Map<string, Map<string, number>>): Promise<Phase> {
  const ackAt = new Map<string, number>();
  const started = performance.now();
  const gapMs = 1000 / rate;
  const sends: Array<Promise<void>> = [];
  for (let index = 0; index < skus.length; index += 1) {
    const due = started + index * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sku = skus[index]!;
    sends.push(world.ledger.adjust({ key: `${keyPrefix}:${sku}`, channel: null, actor: 'bench', sku, location: 'main', delta: -1, reason: 'correction' }).then(() => { ackAt.set(sku, wallClockMs()); }));
  }
  await Promise.all(sends);
  const applied = () => skus.reduce((sum, sku) => sum + (appliedAt.get(sku)?.size ?? 0), 0);
  const settleDeadline = performance.now() + SETTLE_MS_MAX;
  while (applied() < skus.length * channels.length && performance.now() < settleDeadline) await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  return { ackAt, appliedAt, measuredMs: performance.now() - started, converged: applied() === skus.length * channels.length };
}

/** Latency per (event, channel), per channel, and per event (its slowest channel). */
function latencies(phase: Phase, channels: string[]): { pairs: number[]; pairsByChannel: Map<string, number[]>; perEvent: number[] } {
  const pairs: number[] = [];
  const pairsByChannel = new Map<string, number[]>(channels.map((name) => [name, []]));
  const perEvent: number[] = [];
  for (const [sku, ack] of phase.ackAt) {
    const bySku = phase.appliedAt.get(sku);
    if (!bySku || bySku.size < channels.length) continue;
    let slowest = 0;
    for (const [name, atMs] of bySku) {
      const latency = Math.max(0, atMs - ack);
      pairs.push(latency);
      pairsByChannel.get(name)!.push(latency);
      slowest = Math.max(slowest, latency);
    }
    perEvent.push(slowest);
  }
  return { pairs, pairsByChannel, perEvent };
}

/** One event on a spare SKU first, waited for on every channel: the figures are then the steady
 * state's, not the first connection's, token's or lazily compiled validator's. */
async function warmUp(world: BenchWorld<ProcessSandboxFleet>, channels: string[], sku: string): Promise<void> {
  await world.ledger.adjust({ key: `prop-warm-up:${sku}`, channel: null, actor: 'bench', sku, location: 'main', delta: -1, reason: 'correction' });
  const deadline = performance.now() + WARM_UP_WAIT_MAX_MS;
  while (channels.some((name) => world.fleet.shown(name, sku) !== START_QUANTITY - 1)) {
    if (performance.now() > deadline) throw new Error(`the warm-up event did not reach every sandbox within ${WARM_UP_WAIT_MAX_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
