/**
 * `shelfguard` — the daemon's command line. Each command validates its arguments and prints data
 * as JSON with --json. Failures the operator can act on are one line on stderr with exit code 1
 * (2 for usage); nothing here prints a secret.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig } from './config.js';
import { CliError, parseIntegerOption, printJson } from './cli/output.js';
import { SANDBOX_NAMES } from './cli/sandbox-names.js';
import { addBenchCommands } from './cli/bench-commands.js';
import { addDeadLetterCommands } from './cli/dead-letter-commands.js';
import { addSyncCommands } from './cli/sync-commands.js';
import { addCrashBenchCommand } from './cli/crash-bench-command.js';

// Each command loads what it needs when it runs, so `--help` and small commands start fast
// instead of loading the daemon, every connector and the AWS SDK first.

const program = new Command('shelfguard')
  .description('Shelfguard: one truth about stock across WooCommerce and the marketplaces it sells on')
  .showHelpAfterError()
  .exitOverride();

program.command('serve')
  .description('run the daemon: the plugin events API, the admin API, health and metrics')
  .option('--no-migrate', 'do not apply pending migrations at start')
  .action(async (options: { migrate: boolean }) => {
    const config = loadConfig();
    const { createLogger } = await import('./logger.js');
    const { startDaemon } = await import('./main.js');
    const logger = createLogger(config.logLevel);
    const daemon = await startDaemon(config, logger, { migrate: options.migrate });
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down: finishing accepted requests');
      daemon.stop().then(() => process.exit(0), (error: unknown) => { logger.error({ err: String(error) }, 'shutdown failed'); process.exit(1); });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });

program.command('migrate')
  .description('apply pending ledger migrations to SHELFGUARD_DATABASE_URL')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => {
    const config = loadConfig();
    const { openStore } = await import('./ledger/store.js');
    const { migrateToLatest } = await import('./ledger/migrations.js');
    const store = await openStore(config.databaseUrl);
    try {
      const applied = await migrateToLatest(store.db as never);
      if (options.json) printJson({ database: store.description, applied });
      else process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'the ledger is up to date\n');
    } finally {
      await store.close();
    }
  });

program.command('status')
  .description('what the ledger holds: SKUs, movements, reservations, oversells, outbox backlog, channels')
  .option('--json', 'print the status as JSON')
  .action(async (options: { json?: boolean }) => (await import('./cli/status-command.js')).statusCommand(loadConfig(), options));

const audit = program.command('audit').description('explain the ledger');
audit.command('why')
  .description("a SKU's movements in order and how each channel's published quantity follows from them")
  .argument('<sku>', 'the SKU code')
  .option('--json', 'print the explanation as JSON')
  .action(async (sku: string, options: { json?: boolean }) => (await import('./cli/audit-command.js')).auditWhyCommand(loadConfig(), sku, options));

const bench = program.command('bench').description('benchmarks that print figures');
bench.command('oversell')
  .description('concurrent one-unit orders from several channels against limited stock; exactly the stock must be accepted')
  .addOption(new Option('--store <store>', 'ledger store').choices(['sqlite', 'mysql']).default('sqlite'))
  .option('--orders <n>', 'concurrent orders', '1000')
  .option('--stock <n>', 'units in stock', '100')
  .option('--channels <n>', 'channels the orders come from', '5')
  .option('--json', 'print the result as JSON')
  .action(async (options: { store: 'sqlite' | 'mysql'; orders: string; stock: string; channels: string; json?: boolean }) => {
    const { runOversellBench } = await import('./bench/oversell-bench.js');
    const result = await runOversellBench({
      store: options.store,
      orders: parseIntegerOption('orders', options.orders, 1, 100_000),
      stock: parseIntegerOption('stock', options.stock, 0, 1_000_000),
      channels: parseIntegerOption('channels', options.channels, 1, 100),
      mysqlUrl: process.env.SHELFGUARD_DATABASE_URL,
    });
    if (options.json) printJson(result);
    else process.stdout.write(`${result.store}: ${result.accepted} accepted, ${result.rejected} rejected, ${result.oversold} oversold of ${result.stock} units; min available ${result.min_available}; decision p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; ${result.seconds} s\n`);
    if (result.oversold > 0 || result.accepted !== Math.min(result.stock, result.orders)) process.exitCode = 1;
  });

addBenchCommands(bench);
addCrashBenchCommand(bench);
addSyncCommands(program);
addDeadLetterCommands(program);

program.command('sandbox')
  .description('run one marketplace sandbox; its first stdout line is JSON {marketplace, baseUrl, credentials}')
  .addArgument(program.createArgument('<marketplace>', 'which marketplace').choices(SANDBOX_NAMES))
  .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
  .option('--notify-url <url>', "where to send the marketplace's notifications")
  .addOption(new Option('--rate-limits <mode>', 'enforce the documented rate limits or lift them').choices(['documented', 'unlimited']).default('documented'))
  .option('--async-delay-ms <n>', 'delay of asynchronous processing (feeds, listing patches)', '0')
  .action(async (marketplace: string, options: { port: string; notifyUrl?: string; rateLimits: 'documented' | 'unlimited'; asyncDelayMs: string }) => (await import('./cli/sandbox-command.js')).sandboxCommand(marketplace, {
    port: parseIntegerOption('port', options.port, 0, 65_535),
    rateLimits: options.rateLimits,
    asyncDelayMs: parseIntegerOption('async-delay-ms', options.asyncDelayMs, 0, 600_000),
    ...(options.notifyUrl ? { notifyUrl: options.notifyUrl } : {}),
  }));

program.command('metrics')
  .description("every channel's seller metrics (cancellation and defect rates), limits, headroom and forecast")
  .option('--json', 'print the metrics as JSON')
  .action(async (options: { json?: boolean }) => (await import('./cli/metrics-command.js')).metricsCommand(loadConfig(), options));

program.command('demo')
  .description('run the daemon on an embedded SQLite ledger with a sample store and show what happens')
  .option('--seconds <n>', 'how long to run the simulated store', '20')
  .option('--json', 'end with a JSON summary instead of the live view')
  .action(async (options: { seconds: string; json?: boolean }) => (await import('./cli/demo-command.js')).demoCommand({ seconds: parseIntegerOption('seconds', options.seconds, 1, 86_400), json: options.json === true }));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError || error instanceof CliError) {
    process.stderr.write(`shelfguard: ${error.message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 2;
  } else {
    process.stderr.write(`shelfguard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
