/**
 * `shelfguard dead-letters list|retry|resolve`: what gave up, and the operator's two answers to it.
 * They work on the ledger directly. A running daemon picks up a retried listing or inbox event on
 * its next poll, within a second.
 */
import type { Command } from 'commander';
import { CHANNEL_CODE_PATTERN } from '../channels/channel.js';
import { loadConfig } from '../config.js';
import { DEAD_LETTERS_LIST_MAX, listDeadLetters, resolveDeadLetters, retryDeadLetters, unresolvedDeadLetterIds, type DeadLetterActionResult } from '../ledger/dead-letters.js';
import { migrateToLatest } from '../ledger/migrations.js';
import { openStore, type Store } from '../ledger/store.js';
import { CliError, formatTable, parseIntegerOption, printJson } from './output.js';

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig().databaseUrl);
  try {
    await migrateToLatest(store.db as never);
    return await work(store);
  } finally {
    await store.close();
  }
}

function channelOption(channel: string | undefined): string | undefined {
  if (channel !== undefined && !CHANNEL_CODE_PATTERN.test(channel)) throw new CliError(`--channel must be a channel code such as ebay, got ${JSON.stringify(channel.slice(0, 40))}`, 2);
  return channel;
}

/** The dead letters an action names: the ids given, or every unresolved one (of --channel). */
async function targets(store: Store, ids: string[], options: { channel?: string; all?: boolean }): Promise<string[]> {
  const channel = channelOption(options.channel);
  const everything = options.all === true || channel !== undefined;
  if (ids.length > 0 && everything) throw new CliError('name dead letter ids, or --channel / --all, not both', 2);
  if (ids.length === 0 && !everything) throw new CliError('name the dead letter ids to act on, or --channel <code> or --all', 2);
  return ids.length > 0 ? ids : unresolvedDeadLetterIds(store, channel);
}

async function run(action: (store: Store, ids: string[]) => Promise<DeadLetterActionResult[]>, ids: string[], options: { channel?: string; all?: boolean; json?: boolean }): Promise<void> {
  await withStore(async (store) => {
    let results: DeadLetterActionResult[];
    try {
      results = await action(store, await targets(store, ids, options));
    } catch (error) {
      if (error instanceof RangeError) throw new CliError(error.message, 2);
      throw error;
    }
    if (options.json) printJson({ results });
    else if (results.length === 0) process.stdout.write('no dead letters to act on\n');
    else process.stdout.write(`${formatTable(['id', 'kind', 'channel', 'reference', 'outcome'], results.map((result) => [result.id, result.kind, result.channel, result.reference, result.outcome]))}\n`);
    if (results.some((result) => result.outcome === 'not_found')) process.exitCode = 1;
  });
}

export function addDeadLetterCommands(program: Command): void {
  const deadLetters = program.command('dead-letters').description('pushes and marketplace events that gave up: list them, retry them, resolve them');
  deadLetters.command('list')
    .description('the unresolved dead letters, newest first')
    .option('--channel <code>', 'only this channel')
    .option('--limit <n>', `at most this many (1-${DEAD_LETTERS_LIST_MAX})`, '100')
    .option('--json', 'print JSON')
    .action(async (options: { channel?: string; limit: string; json?: boolean }) => {
      const limit = parseIntegerOption('limit', options.limit, 1, DEAD_LETTERS_LIST_MAX);
      const channel = channelOption(options.channel);
      await withStore(async (store) => {
        const rows = await listDeadLetters(store, { limit, ...(channel ? { channel } : {}) });
        if (options.json) { printJson({ deadLetters: rows }); return; }
        if (rows.length === 0) { process.stdout.write('no unresolved dead letters\n'); return; }
        const now = Date.now();
        process.stdout.write(`${formatTable(['id', 'kind', 'channel', 'reference', 'attempts', 'age', 'error'], rows.map((row) => [row.id, row.kind, row.channel, row.reference, row.attempts, age(now - Number(row.created_at)), row.error.slice(0, 100)]))}\n`);
      });
    });
  deadLetters.command('retry')
    .description("queue each dead letter's work again and resolve it: a push's listing gets the ledger's quantity now, an inbox event is applied again")
    .argument('[ids...]', 'dead letter ids (dl_…)')
    .option('--channel <code>', "every unresolved dead letter of this channel")
    .option('--all', 'every unresolved dead letter')
    .option('--json', 'print JSON')
    .action(async (ids: string[], options: { channel?: string; all?: boolean; json?: boolean }) => run((store, targetIds) => retryDeadLetters(store, targetIds), ids, options));
  deadLetters.command('resolve')
    .description('acknowledge dead letters without acting on them')
    .argument('[ids...]', 'dead letter ids (dl_…)')
    .option('--channel <code>', 'every unresolved dead letter of this channel')
    .option('--all', 'every unresolved dead letter')
    .option('--json', 'print JSON')
    .action(async (ids: string[], options: { channel?: string; all?: boolean; json?: boolean }) => run((store, targetIds) => resolveDeadLetters(store, targetIds), ids, options));
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
