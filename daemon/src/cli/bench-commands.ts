/** `shelfguard bench propagation|burst|oversell-sim|reconcile|storm`: the sync engine's benchmarks. */
import type { Command } from 'commander';
import { CliError, parseIntegerOption, printJson } from './output.js';

function report(result: object, json: boolean | undefined): void {
  if (json) printJson(result);
  else process.stdout.write(`${Object.entries(result).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join('\n')}\n`);
}

export function addBenchCommands(bench: Command): void {
  bench.command('propagation')
    .description('time from an acknowledged stock event to every sandbox showing the new quantity')
    .option('--rate <n>', 'events per second', '5').option('--seconds <n>', 'how long to send', '10').option('--channels <n>', 'marketplace sandboxes (1-5)', '5')
    .option('--unlimited', 'lift the sandboxes\' rate limits (the engine\'s own capacity)')
    .option('--warm-up <seconds>', 'seconds of events at the same rate before the measured ones, reported apart (default 3 with --unlimited, else 0: under the documented limits a warm-up would spend the buckets the measured events are to find)').option('--json', 'print JSON')
    .action(async (options: { rate: string; seconds: string; channels: string; unlimited?: boolean; warmUp?: string; json?: boolean }) => {
      const { runPropagationBench, WARM_UP_SECONDS_DEFAULT } = await import('../bench/propagation-bench.js');
      const unlimited = options.unlimited === true;
      const warmUpSeconds = options.warmUp === undefined ? (unlimited ? WARM_UP_SECONDS_DEFAULT : 0) : parseIntegerOption('warm-up', options.warmUp, 0, 600);
      const result = await runPropagationBench({ rate: parseIntegerOption('rate', options.rate, 1, 5_000), seconds: parseIntegerOption('seconds', options.seconds, 1, 3_600), channels: parseIntegerOption('channels', options.channels, 1, 5), unlimited, warmUpSeconds });
      report(result, options.json);
      if (!result.converged) process.exitCode = 1;
    });
  bench.command('burst')
    .description('a burst of movements: every channel converges within its rate limits; converge time over the physical bound')
    .option('--movements <n>', 'movements', '10000').option('--skus <n>', 'distinct SKUs', '1000').option('--rate <n>', 'movements per second', '1000').option('--json', 'print JSON')
    .action(async (options: { movements: string; skus: string; rate: string; json?: boolean }) => {
      const { runBurstBench } = await import('../bench/burst-bench.js');
      const result = await runBurstBench({ movements: parseIntegerOption('movements', options.movements, 1, 1_000_000), skus: parseIntegerOption('skus', options.skus, 1, 100_000), rate: parseIntegerOption('rate', options.rate, 1, 100_000) });
      report(result, options.json);
      if (!result.converged) process.exitCode = 1;
    });
  bench.command('oversell-sim')
    .description('a simulated peak day: oversold orders under 15- and 5-minute polling, this engine, and this engine with buffers')
    .option('--seed <n>', 'random seed', '1').option('--orders-per-hour <n>', 'orders per hour over all channels', '600').option('--skus <n>', 'SKUs', '200')
    .option('--propagation-ms <n>', 'the engine\'s propagation time to model (measure it with bench propagation)', '250').option('--json', 'print JSON')
    .action(async (options: { seed: string; ordersPerHour: string; skus: string; propagationMs: string; json?: boolean }) => {
      const { runOversellSim } = await import('../bench/oversell-sim.js');
      report(runOversellSim({ seed: parseIntegerOption('seed', options.seed, 0, 2 ** 31), ordersPerHour: parseIntegerOption('orders-per-hour', options.ordersPerHour, 1, 1_000_000), skus: parseIntegerOption('skus', options.skus, 1, 100_000), propagationMs: parseIntegerOption('propagation-ms', options.propagationMs, 0, 3_600_000) }), options.json);
    });
  bench.command('reconcile')
    .description('a full reconciliation of N SKUs on five channels through the bulk read paths, with planted drift')
    .option('--skus <n>', 'SKUs', '10000').option('--drift <n>', 'listings to change behind the engine\'s back per channel', '20').option('--json', 'print JSON')
    .action(async (options: { skus: string; drift: string; json?: boolean }) => {
      const { runReconcileBench } = await import('../bench/reconcile-bench.js');
      const result = await runReconcileBench({ skus: parseIntegerOption('skus', options.skus, 1, 100_000), driftPerChannel: parseIntegerOption('drift', options.drift, 0, 10_000) });
      report(result, options.json);
      if (result.drift_found !== result.drift_planted) process.exitCode = 1;
    });
  bench.command('storm')
    .description('B7: stock changes while every marketplace sandbox answers a share of requests with 429s, 5xx, hangs and lost responses; convergence, Retry-After, bucket, attempts and dead letters')
    .option('--changes <n>', 'stock changes', '2000').option('--faults <share>', 'share of requests answered with a fault (0 to 0.9)', '0.3')
    .option('--skus <n>', 'distinct SKUs', '200').option('--rate <n>', 'changes per second', '50').option('--json', 'print JSON')
    .action(async (options: { changes: string; faults: string; skus: string; rate: string; json?: boolean }) => {
      const faults = Number(options.faults);
      if (!(Number.isFinite(faults) && faults >= 0 && faults <= 0.9)) throw new CliError(`--faults must be a share from 0 to 0.9, got ${JSON.stringify(options.faults)}`, 2);
      const { runStormBench } = await import('../bench/storm-bench.js');
      const result = await runStormBench({ changes: parseIntegerOption('changes', options.changes, 1, 1_000_000), faults, skus: parseIntegerOption('skus', options.skus, 1, 100_000), rate: parseIntegerOption('rate', options.rate, 1, 10_000) });
      report(result, options.json);
      if (!result.passed) process.exitCode = 1;
    });
}
