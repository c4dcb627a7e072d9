/**
 * `bench propagation`: events at a steady rate, each on a different SKU; for each, the time from
 * its acknowledgement (the ledger commit returned) to each sandbox having applied the new
 * quantity, read from the sandbox's own state.
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
}

const START_QUANTITY = 100;
const SETTLE_MS_MAX = 60_000;
const SETTLE_POLL_MS = 50;
const WARM_UP_WAIT_MAX_MS = 30_000;

export async function runPropagationBench(options: { rate: number; seconds: number; channels: number; unlimited: boolean }): Promise<PropagationResult> {
  const channels = BENCH_CHANNELS.slice(0, options.channels);
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  // The sandboxes run in a child process and report each quantity the moment they apply it, so
  // the figures are the engine's: no polling loop here, no sandbox work on the daemon's loop.
  const world = await createBenchWorldWithSandboxProcess({ skus: total + 1, quantity: START_QUANTITY, channels, unlimited: options.unlimited });
  await warmUp(world, channels, world.skus[total]!);
  const ackAt = new Map<string, number>();
  const appliedAt = new Map<string, Map<string, number>>();
  let appliedPairs = 0;
  world.fleet.onApplied((change) => {
    if (change.quantity !== START_QUANTITY - 1) return;
    const bySku = appliedAt.get(change.sku) ?? new Map<string, number>();
    if (!bySku.has(change.name)) appliedPairs += 1;
    bySku.set(change.name, change.atMs);
    appliedAt.set(change.sku, bySku);
  });
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const sandboxCpuAtStart = world.fleet.cpuMs();
  const gapMs = 1000 / options.rate;
  const sends: Array<Promise<void>> = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + index * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sku = world.skus[index]!;
    sends.push(world.ledger.adjust({ key: `prop:${sku}`, channel: null, actor: 'bench', sku, location: 'main', delta: -1, reason: 'correction' }).then(() => { ackAt.set(sku, wallClockMs()); }));
  }
  await Promise.all(sends);
  const settleDeadline = performance.now() + SETTLE_MS_MAX;
  while (appliedPairs < total * channels.length && performance.now() < settleDeadline) await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  const measuredMs = performance.now() - started;
  const daemonCpu = process.cpuUsage(cpuAtStart);
  const sandboxCpuAtEnd = world.fleet.cpuMs();
  const sandboxCpuMs = sandboxCpuAtStart === undefined || sandboxCpuAtEnd === undefined ? null : sandboxCpuAtEnd - sandboxCpuAtStart;
  const pairs: number[] = [];
  const pairsByChannel = new Map<string, number[]>(channels.map((name) => [name, []]));
  const perEvent: number[] = [];
  for (const [sku, ack] of ackAt) {
    const bySku = appliedAt.get(sku);
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
  const violations = new Map<string, number>();
  const calls: Record<string, Record<string, number>> = {};
  for (const name of channels) {
    const requests = await world.fleet.requestLog(name);
    violations.set(name, countViolations(requests));
    calls[name] = {};
    for (const request of requests) if (request.operation && !/token/i.test(request.operation)) calls[name][request.operation] = (calls[name][request.operation] ?? 0) + 1;
  }
  const stats = [...world.engine.schedulers.values()].map((scheduler) => scheduler.stats());
  const result: PropagationResult = {
    rate: options.rate, seconds: options.seconds, channels: channels.length, unlimited: options.unlimited,
    events: total, pushes: world.pushes.filter((event) => event.sku !== world.skus[total] && (event.status === 'applied' || event.status === 'accepted')).length,
    throttled: stats.reduce((sum, entry) => sum + entry.throttled, 0), rate_limit_violations: [...violations.values()].reduce((sum, count) => sum + count, 0),
    violations_by_channel: Object.fromEntries(violations),
    converged: appliedPairs === total * channels.length,
    p50_ms: round(percentile(pairs, 0.5)), p99_ms: round(percentile(pairs, 0.99)), p99_all_channels_ms: round(percentile(perEvent, 0.99)), max_ms: round(percentile(pairs, 1)),
    p99_by_channel_ms: Object.fromEntries(channels.map((name) => [name, round(percentile(pairsByChannel.get(name)!, 0.99))])),
    scheduler_p99_by_channel_ms: Object.fromEntries(channels.map((name) => [name, round(percentile(world.pushes.filter((event) => event.channel === name && event.sku !== world.skus[total] && (event.status === 'applied' || event.status === 'accepted')).map((event) => event.latencyMs), 0.99))])),
    api_calls_by_channel: calls,
    measured_ms: Math.round(measuredMs),
    cpu_ms: { daemon: Math.round((daemonCpu.user + daemonCpu.system) / 1000), sandboxes: sandboxCpuMs },
    daemon_cpu_ms_per_event: round((daemonCpu.user + daemonCpu.system) / 1000 / total)!,
    sandbox_cpu_ms_per_request: sandboxCpuMs === null ? null : round(sandboxCpuMs / Math.max(1, Object.values(calls).reduce((sum, byOperation) => sum + Object.values(byOperation).reduce((inner, count) => inner + count, 0), 0))),
  };
  await world.close();
  return result;
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
