/**
 * `shelfguard channel validate|promote|pause <channel>`, `reconcile [--channel X] [--fix]` and
 * `sku lint`: operator commands over the configured channels (SHELFGUARD_CHANNELS or the config
 * file), each with --json.
 */
import type { Command } from 'commander';
import type { ChannelName } from '../channels/channel.js';
import { loadConfig, type Config } from '../config.js';
import { migrateToLatest } from '../ledger/migrations.js';
import { openStore, type Store } from '../ledger/store.js';
import { ReconcileRuns } from '../reconcile/reconcile-runs.js';
import { Reconciler } from '../reconcile/reconciler.js';
import { lintSkus } from '../reconcile/sku-lint.js';
import { createConnector } from '../sync/channel-registry.js';
import { promoteChannel, setChannelMode, validateChannel } from '../sync/channel-modes.js';
import { SyncEngine } from '../sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../sync/synced-ledger.js';
import { CliError, printJson } from './output.js';

async function withReconciler<T>(config: Config, work: (reconciler: Reconciler, context: { store: Store; catalogue: ReturnType<typeof syncedCatalogue> }) => Promise<T>): Promise<T> {
  const store = await openStore(config.databaseUrl);
  try {
    await migrateToLatest(store.db as never);
    const channels = Object.entries(config.channels).map(([name, connection]) => createConnector(name as ChannelName, { baseUrl: connection!.baseUrl, credentials: connection!.credentials, requestTimeoutMs: connection!.requestTimeoutMs }));
    const engine = new SyncEngine({ store, channels });
    const catalogue = syncedCatalogue(store, () => {});
    const reconciler = new Reconciler(store, (name) => engine.channel(name), catalogue, syncedLedger(store, () => {}), (channel, operation, call) => engine.schedulers.get(channel)?.call(operation, call) ?? call());
    return await work(reconciler, { store, catalogue });
  } finally {
    await store.close();
  }
}

/** Every secret the configuration holds, kept out of the run's recorded error text. */
function configuredSecrets(config: Config): string[] {
  const channelSecrets = Object.values(config.channels).flatMap((connection) => Object.values(connection?.credentials ?? {}));
  return [config.secret, config.previousSecret, config.adminToken, ...channelSecrets].filter((value): value is string => typeof value === 'string');
}

function progressBar(): (channel: string, read: number, expected: number) => void {
  if (!process.stderr.isTTY) return () => {};
  return (channel, read, expected) => {
    const width = 30;
    const done = expected > 0 ? Math.min(1, read / expected) : 1;
    process.stderr.write(`\r${channel.padEnd(12)} [${'#'.repeat(Math.round(done * width)).padEnd(width)}] ${read}/${expected}   `);
    if (done >= 1) process.stderr.write('\n');
  };
}

export function addSyncCommands(program: Command): void {
  const channel = program.command('channel').description('channel modes: shadow (rehearse), live, paused');
  channel.command('validate').argument('<channel>').option('--json', 'print JSON').description('compare what the channel shows with what Shelfguard would push; nothing is pushed')
    .action(async (name: string, options: { json?: boolean }) => withReconciler(loadConfig(), async (reconciler) => {
      const report = await validateChannel(reconciler, name);
      if (options.json) printJson(report);
      else process.stdout.write(`${name}: ${report.ok ? `${report.drifted} of ${report.listingsChecked} listings differ (${(report.driftRatio * 100).toFixed(2)}%); ${report.promotable ? 'ready to promote' : 'not ready to promote'}` : `cannot validate: ${report.error}`}\n${report.sample.slice(0, 20).map((item) => `  ${item.sku}: shows ${item.shown ?? '—'}, ledger says ${item.expected ?? '—'} (${item.cause})`).join('\n')}\n`);
      if (!report.ok) process.exitCode = 1;
    }));
  channel.command('promote').argument('<channel>').option('--threshold <ratio>', 'largest share of differing listings allowed', '0.02').option('--force', 'promote even above the threshold').option('--json', 'print JSON')
    .action(async (name: string, options: { threshold: string; force?: boolean; json?: boolean }) => withReconciler(loadConfig(), async (reconciler, { catalogue }) => {
      const threshold = Number(options.threshold);
      if (!(threshold >= 0 && threshold <= 1)) throw new CliError('--threshold must be a number from 0 to 1', 2);
      const result = await promoteChannel(reconciler, catalogue, name, threshold, options.force === true);
      if (options.json) printJson(result); else process.stdout.write(`${result.message}\n`);
      if (!result.promoted) process.exitCode = 1;
    }));
  channel.command('pause').argument('<channel>').option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => withReconciler(loadConfig(), async (_reconciler, { catalogue }) => {
      const result = await setChannelMode(catalogue, name, 'paused');
      if (options.json) printJson(result); else process.stdout.write(`${result.message}\n`);
      if (!result.ok) process.exitCode = 1;
    }));

  program.command('reconcile').description('compare every channel with the ledger; --fix corrects drift through pushes or counted movements')
    .option('--channel <name>', 'only this channel').option('--fix', 'correct what differs').option('--json', 'print JSON')
    .action(async (options: { channel?: string; fix?: boolean; json?: boolean }) => { const config = loadConfig(); return withReconciler(config, async (reconciler, { store }) => {
      // Recorded in the reconciliation history like scheduled and admin runs; one run at a time.
      const runs = new ReconcileRuns(store, reconciler, () => configuredSecrets(config));
      const started = await runs.start('cli', { ...(options.channel ? { channels: [options.channel] } : {}), fix: options.fix === true, ...(options.json ? {} : { onProgress: progressBar() }) });
      if (!started.ok) throw new CliError(started.message, started.code === 'unknown_channel' ? 2 : 1);
      const { run, reports } = await started.finished;
      if (options.json) printJson({ runId: run.id, status: run.status, ...(run.error ? { error: run.error } : {}), reports });
      else for (const report of reports) process.stdout.write(`${report.channel}: ${report.ok ? `${report.listingsChecked} listings, ${report.drift.length} drifted${options.fix ? `, ${report.fixed} fixed` : ''} (${report.apiCalls} calls, ${report.seconds} s)` : `failed: ${report.error}`}\n${report.drift.slice(0, 20).map((item) => `  ${item.sku}: shows ${item.shown ?? '—'}, ledger says ${item.expected ?? '—'} (${item.cause})`).join('\n')}${report.drift.length ? '\n' : ''}`);
      if (!options.json) process.stdout.write(`run ${run.id}: ${run.status}${run.status === 'failed' && run.error ? ` (${run.error})` : ''}\n`);
      if (run.status !== 'finished') process.exitCode = 1;
    }); });

  program.command('sku').description('SKU tools').command('lint').description('find what breaks sync before it happens').option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const store = await openStore(config.databaseUrl);
      try {
        await migrateToLatest(store.db as never);
        const findings = await lintSkus(store);
        if (options.json) printJson({ findings });
        else process.stdout.write(findings.length === 0 ? 'no problems found\n' : `${findings.map((finding) => `${finding.kind}: ${finding.message}`).join('\n')}\n`);
        if (findings.length > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
