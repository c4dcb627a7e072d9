/** `shelfguard bench crash`: kill -9 the daemon during a burst of signed events (RELIABILITY B1). */
import { Option, type Command } from 'commander';
import { parseIntegerOption, printJson } from './output.js';

export function addCrashBenchCommand(bench: Command): void {
  bench.command('crash')
    .description('kill -9 the daemon (a child process) K times during N signed movements: 0 lost, 0 duplicated, every channel converges')
    .option('--movements <n>', 'movements the driver sends', '5000').option('--skus <n>', 'distinct SKUs', '200').option('--kills <n>', 'SIGKILLs of the daemon', '20')
    .option('--channels <n>', 'marketplace sandboxes wired to the daemon (0-5)', '5').option('--seed <n>', 'random seed (plan and kill moments)', '1')
    .addOption(new Option('--store <store>', 'ledger store (mysql takes its server from SHELFGUARD_DATABASE_URL)').choices(['sqlite', 'mysql']).default('sqlite'))
    .option('--json', 'print JSON')
    .action(async (options: { movements: string; skus: string; kills: string; channels: string; seed: string; store: 'sqlite' | 'mysql'; json?: boolean }) => {
      const { runCrashBench } = await import('../bench/crash-bench.js');
      const result = await runCrashBench({
        movements: parseIntegerOption('movements', options.movements, 1, 1_000_000), skus: parseIntegerOption('skus', options.skus, 1, 10_000),
        kills: parseIntegerOption('kills', options.kills, 0, 1_000), channels: parseIntegerOption('channels', options.channels, 0, 5),
        seed: parseIntegerOption('seed', options.seed, 0, 2 ** 31), store: options.store,
      });
      if (options.json) printJson(result);
      else process.stdout.write(`${Object.entries(result).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join('\n')}\n`);
      if (!result.passed) process.exitCode = 1;
    });
}
