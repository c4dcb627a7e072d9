/**
 * Re-driving dead-lettered listings survives a restart: a listing dead-lettered by a marketplace
 * fault is pushed by the next engine started on the same ledger with no other trigger (I5); the
 * doubled cool-down of a listing that kept dying holds across the restart; a success resolves the
 * dead letter; a dead letter a peer left (and never re-drove) is found by a rescan; and two workers on one ledger re-drive one death once. Against the real eBay
 * sandbox over HTTP, on SQLite and MariaDB.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { newId } from '../../daemon/src/ledger/ids.js';
import { claimRedrives, resolveDeadListing } from '../../daemon/src/ledger/redrive-store.js';
import { openStore } from '../../daemon/src/ledger/store.js';
import type { PushEvent } from '../../daemon/src/sync/dispatcher.js';
import { SyncEngine, type SyncEngineOptions } from '../../daemon/src/sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import { seedLiveCatalogue } from '../helpers/live-catalogue.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(STORE_KINDS)('dead-lettered listings re-driven across a restart on %s', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  const engines: SyncEngine[] = [];
  const pushes: PushEvent[] = [];

  const startEngine = (redrive: NonNullable<SyncEngineOptions['redrive']>): SyncEngine => {
    const engine = new SyncEngine({
      store: opened.store, channels: [fleet.get('ebay').channel], pollMs: 100,
      scheduler: { attemptsMax: 2, random: () => 0 }, redrive, onPush: (event) => pushes.push(event),
    });
    engines.push(engine);
    engine.start();
    return engine;
  };
  const listingId = async (sku: string): Promise<number> => (await opened.store.db.selectFrom('listing').select('id').where('channel_sku', '=', sku).executeTakeFirstOrThrow()).id;
  const deadLetters = (sku: string) => opened.store.db.selectFrom('dead_letter').select(['error', 'resolved_at', 'created_at']).where('reference', 'like', `listing:%:${sku}`).orderBy('created_at').execute();
  const redriveRow = async (sku: string) => opened.store.db.selectFrom('listing_redrive').selectAll().where('listing_id', '=', await listingId(sku)).executeTakeFirst();
  const faults = (rate5xx: number) => fleet.call('ebay', 'PUT', '/faults', { rate5xx });

  beforeEach(async () => {
    pushes.length = 0;
    opened = await openTestStore(kind);
    fleet = await startSandboxFleet(['ebay'], { asyncDelayMs: 0, rateLimits: 'documented' });
    const first = startEngine({ afterMs: 200, cooldownMs: 60_000 });
    await seedLiveCatalogue(syncedCatalogue(opened.store, () => first.wake()), fleet, ['ebay'], ['A', 'B']);
    // The listings' first pushes (quantity 0) are done, and the token fetched, before the faults start.
    await until(() => ['A', 'B'].every((sku) => pushes.some((push) => push.sku === sku && push.status === 'applied')), 10_000, 'the first pushes');
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
    await fleet.close();
    await opened.close();
  });

  test('a listing dead-lettered before a restart reaches the ledger quantity with no other trigger, and its dead letter is resolved', async () => {
    const [first] = engines;
    await faults(1);
    await syncedLedger(opened.store, () => first!.wake()).adjust({ key: 'a-1', channel: null, actor: 'test', sku: 'A', location: 'main', delta: 7, reason: 'received' });
    await until(() => pushes.some((push) => push.sku === 'A' && push.status === 'dead'), 10_000, 'A dead-lettered');
    expect((await deadLetters('A')).map((row) => [row.error.split(':')[0], row.resolved_at])).toEqual([['server_error', null]]);
    // The daemon goes down before the re-drive; the marketplace recovers while it is away.
    await engines.shift()!.stop();
    await faults(0);
    expect(fleet.shown('ebay', 'A')).toBe(0);

    const second = startEngine({ afterMs: 200, cooldownMs: 500 });
    await until(() => fleet.shown('ebay', 'A') === 7, 10_000, 'A = 7 on eBay after the restart');
    await until(async () => (await deadLetters('A')).every((row) => row.resolved_at !== null), 5_000, 'the dead letter resolved');
    expect(await redriveRow('A')).toBeUndefined();
    expect((await second.status()).find((status) => status.channel === 'ebay')?.deadLetters).toBe(0);
    expect(fleet.shown('ebay', 'B')).toBe(0);
  });

  test('the doubled cool-down of a listing that died again after its re-drive holds across a restart', async () => {
    const cooldownMs = 800;
    await engines.shift()!.stop();
    const first = startEngine({ afterMs: 60_000, cooldownMs });
    await faults(1);
    await syncedLedger(opened.store, () => first.wake()).adjust({ key: 'a-1', channel: null, actor: 'test', sku: 'A', location: 'main', delta: 7, reason: 'received' });
    // Dies, is re-driven after one cool-down, dies again: the next re-drive is owed after two.
    await until(() => pushes.filter((push) => push.sku === 'A' && push.status === 'dead').length >= 2, 15_000, 'A dead-lettered twice');
    await engines.shift()!.stop();
    await faults(0);
    const died = await deadLetters('A');
    expect(died).toHaveLength(2);
    expect(Number((await redriveRow('A'))?.redrives)).toBe(1);
    const lastDiedAtMs = Number(died[1]!.created_at);

    startEngine({ afterMs: 60_000, cooldownMs });
    await until(() => fleet.shown('ebay', 'A') === 7, 15_000, 'A = 7 on eBay after the restart');
    // Not after one cool-down (the count forgotten), nor never (the listing forgotten): after two.
    expect(Date.now() - lastDiedAtMs).toBeGreaterThanOrEqual(2 * cooldownMs);
    await until(async () => (await deadLetters('A')).every((row) => row.resolved_at !== null), 5_000, 'both dead letters resolved');
    expect(await redriveRow('A')).toBeUndefined();
  });

  test('a dead letter another daemon wrote and never came back to re-drive is found by the next rescan, without a restart', async () => {
    // What a peer leaves behind when it dies for good right after a dead letter: A's stock changed
    // and its push gave up, so no outbox row is left (they go with the dead letter).
    await engines.shift()!.stop();
    await syncedLedger(opened.store, () => {}).adjust({ key: 'a-peer', channel: null, actor: 'test', sku: 'A', location: 'main', delta: 7, reason: 'received' });
    const id = await listingId('A');
    await opened.store.db.deleteFrom('outbox').where('listing_id', '=', id).execute();
    // This engine starts with nothing to claim and nothing dead in the ledger yet...
    startEngine({ afterMs: 200, cooldownMs: 300, rescanMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // ...and the peer's dead letter lands after it loaded: only a rescan can find it.
    await opened.store.db.insertInto('dead_letter').values({ id: newId('dl'), kind: 'push', channel: 'ebay', reference: `listing:${id}:A`, payload: '{}', error: 'server_error: answered 500', attempts: 2, resolved_at: null, created_at: Date.now() }).execute();
    expect(fleet.shown('ebay', 'A')).toBe(0);
    await until(() => fleet.shown('ebay', 'A') === 7, 10_000, 'A = 7 on eBay, re-driven after a rescan');
    await until(async () => (await deadLetters('A')).every((row) => row.resolved_at !== null), 5_000, 'the dead letter resolved');
  });

  test('two workers on one ledger queue one death once; a new death may be re-driven again; a resolved one not at all', async () => {
    await engines.shift()!.stop();
    const id = await listingId('A');
    const deadLetter = (suffix: string, createdAtMs: number) => opened.store.db.insertInto('dead_letter').values({
      id: `dl_test_${suffix}`, kind: 'push', channel: 'ebay', reference: `listing:${id}:A`, payload: '{}', error: 'server_error: answered 503', attempts: 2, resolved_at: null, created_at: createdAtMs,
    }).execute();
    const outboxRows = async () => (await opened.store.db.selectFrom('outbox').select('id').where('listing_id', '=', id).execute()).length;
    const diedAtMs = Date.now() - 60_000;
    await deadLetter('1', diedAtMs);
    // A second pool on the same database stands for a second daemon process.
    const other = await openStore(opened.database.url);
    try {
      const claim = (store: typeof other) => claimRedrives(store, [{ channel: 'ebay', listingId: id }]);
      // At once on MariaDB. SQLite's busy wait blocks the whole process, so two connections in one
      // process (unlike two daemons) would stall each other: there the second claims after the first.
      const claims = kind === 'mysql' ? await Promise.all([claim(opened.store), claim(other)]) : [await claim(opened.store), await claim(other)];
      expect(claims.map(([claim]) => claim?.outcome).sort()).toEqual(['requeued', 'taken']);
      expect(await outboxRows()).toBe(1);
      expect(await claimRedrives(other, [{ channel: 'ebay', listingId: id }])).toEqual([{ listingId: id, outcome: 'taken', redrives: 1 }]);

      await deadLetter('2', diedAtMs + 1_000);
      expect(await claimRedrives(other, [{ channel: 'ebay', listingId: id }])).toEqual([{ listingId: id, outcome: 'requeued', redrives: 2 }]);
      expect(await outboxRows()).toBe(2);

      await resolveDeadListing(opened.store, 'ebay', id, diedAtMs + 2_000);
      expect(await claimRedrives(opened.store, [{ channel: 'ebay', listingId: id }])).toEqual([{ listingId: id, outcome: 'settled', redrives: 0 }]);
      expect(await outboxRows()).toBe(2);
      expect(await redriveRow('A')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
