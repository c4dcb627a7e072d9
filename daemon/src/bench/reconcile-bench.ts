/**
 * `bench reconcile`: N SKUs on five channels, a few quantities changed in each sandbox behind the
 * engine's back, then one full reconciliation — a recorded run, as `shelfguard reconcile` starts
 * it — through every channel's paged bulk read at its documented page size and rate (channels
 * read side by side, each within its own budget).
 */
import type { ChannelName } from '../channels/channel.js';
import { Catalogue } from '../ledger/catalogue.js';
import { ReconcileRuns } from '../reconcile/reconcile-runs.js';
import { Reconciler } from '../reconcile/reconciler.js';
import { seededRandom } from '../sandbox/kit/seeded-random.js';
import { BENCH_CHANNELS, apiCalls, createBenchWorld, rateLimitViolations } from './bench-world.js';

/** api_calls: requests the sandboxes received during the run (token calls excluded), as the
 * marketplaces would count them; per channel also the reconciler's own count of page reads. */
export interface ReconcileBenchResult { skus: number; channels: number; run_status: string; drift_recorded: number; seconds: number; api_calls: number; drift_planted: number; drift_found: number; false_drift: number; rate_limit_violations: number; per_channel: Record<string, { seconds: number; api_calls: number; page_reads: number; drift: number }> }

const START_QUANTITY = 50;

export async function runReconcileBench(options: { skus: number; driftPerChannel: number }): Promise<ReconcileBenchResult> {
  const world = await createBenchWorld({ skus: options.skus, quantity: START_QUANTITY, channels: BENCH_CHANNELS, unlimited: false, engine: false });
  const random = seededRandom(5);
  const planted = new Set<string>();
  for (const name of BENCH_CHANNELS) {
    while ([...planted].filter((key) => key.startsWith(`${name}/`)).length < Math.min(options.driftPerChannel, options.skus)) {
      const sku = world.skus[Math.floor(random() * world.skus.length)]!;
      const listing = world.fleet.get(name).sandbox.context.state.listings.get(sku)!;
      listing.quantity = START_QUANTITY + 1 + Math.floor(random() * 10);
      planted.add(`${name}/${sku}`);
    }
  }
  const reconciler = new Reconciler(world.store, (name) => world.engine.channel(name), new Catalogue(world.store), world.ledger, (channel, operation, work) => world.engine.schedulers.get(channel)!.call(operation, work));
  const callsBefore = new Map(BENCH_CHANNELS.map((name) => [name, apiCalls(world, name)]));
  const started = performance.now();
  // The product's path: one recorded run over every channel, as `shelfguard reconcile` starts it.
  const begun = await new ReconcileRuns(world.store, reconciler).start('cli', { fix: false });
  if (!begun.ok) throw new Error(`the reconciliation run did not start: ${begun.message}`);
  const { run, reports } = await begun.finished;
  const seconds = (performance.now() - started) / 1000;
  const callsOf = (name: string) => apiCalls(world, name as ChannelName) - (callsBefore.get(name as ChannelName) ?? 0);
  const found = reports.flatMap((report) => report.drift.map((item) => `${report.channel}/${item.sku}`));
  const result: ReconcileBenchResult = {
    skus: options.skus, channels: BENCH_CHANNELS.length, run_status: run.status, drift_recorded: run.driftStored, seconds: Math.round(seconds * 10) / 10, api_calls: BENCH_CHANNELS.reduce((sum, name) => sum + callsOf(name), 0),
    drift_planted: planted.size, drift_found: found.filter((key) => planted.has(key)).length, false_drift: found.filter((key) => !planted.has(key)).length,
    rate_limit_violations: BENCH_CHANNELS.reduce((sum, name) => sum + rateLimitViolations(world, name), 0),
    per_channel: Object.fromEntries(reports.map((report) => [report.channel, { seconds: report.seconds, api_calls: callsOf(report.channel), page_reads: report.apiCalls, drift: report.drift.length, ...(report.error ? { error: report.error } : {}) }])),
  };
  await world.close();
  return result;
}
