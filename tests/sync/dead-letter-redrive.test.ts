/**
 * A push that runs out of attempts on faults that pass (5xx, timeouts) is dead-lettered — counted
 * and kept visible — but its listing does not stay wrong: once the channel answers another push
 * with success (or after a cool-down), the listing is queued again and pushed with the ledger's
 * quantity of that moment (I5), and that success resolves its dead letter. A listing refused for
 * its payload is not re-driven, and its dead letter stays counted.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { Channel, PushPath, PushResult, QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { SyncEngine } from '../../daemon/src/sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import type { PushEvent } from '../../daemon/src/sync/dispatcher.js';
import { openTestStore } from '../helpers/stores.js';
import { seedLiveCatalogue } from '../helpers/live-catalogue.js';

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The eBay connector, except that pushes holding a SKU in `failing` fail as a 5xx (retryable) or,
 * for a SKU in `refused`, as an invalid payload (not retryable), without reaching the sandbox. */
function faulty(channel: Channel, failing: Set<string>, refused: Set<string>): Channel {
  return new Proxy(channel, {
    get(target, property, receiver) {
      if (property !== 'pushQuantities') return Reflect.get(target, property, receiver) as unknown;
      return async (updates: QuantityUpdate[], path: PushPath): Promise<PushResult[]> => {
        const passing = updates.filter((update) => !failing.has(update.listing.sku) && !refused.has(update.listing.sku));
        const results = passing.length > 0 ? await target.pushQuantities(passing, path) : [];
        for (const update of updates) {
          if (failing.has(update.listing.sku)) results.push({ sku: update.listing.sku, version: update.version, status: 'failed', error: { code: 'server_error', message: 'answered 503', retryable: true, status: 503 } });
          else if (refused.has(update.listing.sku)) results.push({ sku: update.listing.sku, version: update.version, status: 'failed', error: { code: 'invalid_request', message: 'answered 400', retryable: false, status: 400 } });
        }
        return results;
      };
    },
  });
}

describe('dead-lettered listings are re-driven', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  let engine: SyncEngine;
  const failing = new Set<string>();
  const refused = new Set<string>();
  const pushes: PushEvent[] = [];

  beforeAll(async () => {
    opened = await openTestStore('sqlite');
    fleet = await startSandboxFleet(['ebay'], { asyncDelayMs: 0, rateLimits: 'documented' });
    engine = new SyncEngine({
      store: opened.store, channels: [faulty(fleet.members[0]!.channel, failing, refused)], pollMs: 100,
      scheduler: { attemptsMax: 2, random: () => 0 }, redrive: { afterMs: 200, cooldownMs: 60_000 }, onPush: (event) => pushes.push(event),
    });
    const catalogue = syncedCatalogue(opened.store, () => engine.wake());
    await seedLiveCatalogue(catalogue, fleet, ['ebay'], ['A', 'B', 'C']);
    engine.start();
  });
  afterAll(async () => {
    await engine.stop();
    await fleet.close();
    await opened.close();
  });

  test('after the channel succeeds again, the dead-lettered listing reaches the ledger; the refused one is left alone', async () => {
    const ledger = syncedLedger(opened.store, () => engine.wake());
    // The listings' first pushes (quantity 0) are done before the faults start.
    await until(() => ['A', 'B', 'C'].every((sku) => pushes.some((push) => push.sku === sku)), 10_000, 'the first pushes');
    const before = pushes.length;
    failing.add('A');
    refused.add('C');
    await ledger.adjust({ key: 'a-1', channel: null, actor: 'test', sku: 'A', location: 'main', delta: 7, reason: 'received' });
    await ledger.adjust({ key: 'c-1', channel: null, actor: 'test', sku: 'C', location: 'main', delta: 4, reason: 'received' });
    await until(() => ['A:7', 'C:4'].every((key) => pushes.some((push) => push.status === 'dead' && `${push.sku}:${push.quantity}` === key)), 10_000, 'A and C dead-lettered');
    expect(fleet.shown('ebay', 'A')).toBe(0);
    // The marketplace recovers; a push of another listing succeeds, and A follows without any new change to A.
    failing.clear();
    await ledger.adjust({ key: 'b-1', channel: null, actor: 'test', sku: 'B', location: 'main', delta: 3, reason: 'received' });
    await until(() => fleet.shown('ebay', 'A') === 7 && fleet.shown('ebay', 'B') === 3, 10_000, 'A = 7 and B = 3 on eBay');
    // The dead letters stay as history; A's is resolved by its successful re-drive, C's still counts.
    expect((await opened.store.db.selectFrom('dead_letter').select(['channel', 'error']).execute()).map((row) => row.error.split(':')[0]).sort()).toEqual(['invalid_request', 'server_error']);
    await until(async () => (await engine.status()).find((status) => status.channel === 'ebay')?.deadLetters === 1, 5_000, 'A\'s dead letter resolved');
    const unresolved = await opened.store.db.selectFrom('dead_letter').select('error').where('resolved_at', 'is', null).execute();
    expect(unresolved.map((row) => row.error.split(':')[0])).toEqual(['invalid_request']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(pushes.slice(before).filter((push) => push.sku === 'C').map((push) => push.status)).toEqual(['dead']);
    expect(fleet.shown('ebay', 'C')).toBe(0);
  });
});
