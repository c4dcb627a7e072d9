/**
 * B8 at test scale, on MariaDB: two dispatchers (each with its own connection pool, as two daemon
 * processes would have) share one database and the same marketplace sandboxes. Claims are leased
 * and fenced, so no claim is pushed twice, and a worker whose lease was taken over cannot finish
 * anything with its stale fence.
 */
import { spawn } from 'node:child_process';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { ChannelName } from '../../daemon/src/channels/channel.js';
import { OutboxClaims } from '../../daemon/src/ledger/outbox-claims.js';
import { LedgerQueries } from '../../daemon/src/ledger/queries.js';
import { openStore, type Store } from '../../daemon/src/ledger/store.js';
import type { PushEvent } from '../../daemon/src/sync/dispatcher.js';
import { SyncEngine } from '../../daemon/src/sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import { isProvablyDead, leaseOwnerId, parseOwner, procTable, type ProcessTable } from '../../daemon/src/sync/lease-owner.js';
import { openTestStore } from '../helpers/stores.js';
import { seedLiveCatalogue } from '../helpers/live-catalogue.js';

const CHANNELS: ChannelName[] = ['ebay', 'walmart', 'tiktok'];
const SKUS = Array.from({ length: 20 }, (_, index) => `F${index}`);
const CHANGES = 150;

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two dispatchers on one MariaDB database (B8)', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let second: Store;
  let fleet: SandboxFleet;

  beforeAll(async () => {
    opened = await openTestStore('mysql');
    second = await openStore(opened.database.url);
    fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0, rateLimits: 'unlimited' });
    const catalogue = syncedCatalogue(opened.store, () => {});
    await seedLiveCatalogue(catalogue, fleet, CHANNELS, SKUS);
  });
  afterAll(async () => {
    await fleet.close();
    await second.close();
    await opened.close();
  });

  test('no claim is ever pushed twice, and every channel still ends at the ledger', async () => {
    const pushes: Array<PushEvent & { worker: number }> = [];
    const engines = [opened.store, second].map((store, index) => new SyncEngine({ store, channels: fleet.members.map((member) => member.channel), owner: `worker-${index}`, pollMs: 25, scheduler: { unlimited: true, concurrency: 4 }, onPush: (event) => pushes.push({ ...event, worker: index }) }));
    const ledger = syncedLedger(opened.store, () => engines.forEach((engine) => engine.wake()));
    engines.forEach((engine) => engine.start());
    try {
      for (let index = 0; index < CHANGES; index += 1) await ledger.adjust({ key: `b8-${index}`, channel: null, actor: 'test', sku: SKUS[(index * 7) % SKUS.length]!, location: 'main', delta: 1 + (index % 3), reason: 'received' });
      const queries = new LedgerQueries(opened.store);
      const expected = new Map((await queries.stockOf()).map((row) => [row.sku, row.available]));
      await until(() => CHANNELS.every((name) => SKUS.every((sku) => fleet.shown(name, sku) === expected.get(sku))), 60_000, 'every channel at the ledger');
      await until(async () => (await opened.store.db.selectFrom('outbox').select('id').limit(1).execute()).length === 0, 10_000, 'an empty outbox');
    } finally {
      for (const engine of engines) await engine.stop();
    }
    const sent = pushes.filter((event) => event.status === 'applied' || event.status === 'accepted');
    const claimKeys = sent.map((event) => `${event.listingId}@${event.version}`);
    expect(new Set(claimKeys).size).toBe(claimKeys.length);
    // Both workers really competed for the same outbox.
    expect(new Set(sent.map((event) => event.worker))).toEqual(new Set([0, 1]));
    expect(await opened.store.db.selectFrom('dead_letter').selectAll().execute()).toEqual([]);
  });

  test('a worker whose lease was taken over is refused by the fence on complete (single and batched), retry and dead-letter', async () => {
    const listing = await opened.store.db.selectFrom('listing').select('id').orderBy('id').executeTakeFirstOrThrow();
    await opened.store.db.insertInto('outbox').values({ listing_id: listing.id, created_at: Date.now() }).execute();
    const channel = await opened.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').select('channel.code').where('listing.id', '=', listing.id).executeTakeFirstOrThrow();
    const stale = new OutboxClaims(opened.store, 'paused-worker');
    const fresh = new OutboxClaims(second, 'takeover-worker');
    const [held] = (await stale.claim([channel.code], 50)).filter((claim) => claim.listingId === listing.id);
    expect(held).toBeDefined();
    // While the lease lasts nobody else can take the listing.
    expect((await fresh.claim([channel.code], 60_000)).filter((claim) => claim.listingId === listing.id)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const [taken] = (await fresh.claim([channel.code], 60_000)).filter((claim) => claim.listingId === listing.id);
    expect(taken?.fence).toBe(held!.fence + 1);
    const record = { quantity: 5, status: 'applied' as const, path: 'single', attempts: 1, latencyMs: 1 };
    expect(await stale.complete(held!, record)).toBe(false);
    expect(await stale.completeMany([{ claim: held!, record }])).toEqual([false]);
    expect(await stale.retryLater(held!, Date.now(), { ...record, status: 'failed' })).toBe(false);
    expect(await stale.deadLetter(held!, { ...record, status: 'dead' })).toBe(false);
    expect(await stale.renew([held!], 60_000)).toEqual([listing.id]);
    // The stale worker's refusals left the rows for the worker that holds the fence.
    expect((await opened.store.db.selectFrom('outbox').select('id').where('listing_id', '=', listing.id).execute()).length).toBeGreaterThan(0);
    expect(await fresh.complete(taken!, record)).toBe(true);
    // Each refused completion of a push the marketplace took (applied: it may have landed after
    // the new holder's) queued the listing once more, with nothing remembered as shown.
    expect((await opened.store.db.selectFrom('outbox').select('id').where('listing_id', '=', listing.id).execute()).length).toBe(2);
    const requeued = await fresh.claim([channel.code], 60_000);
    expect(requeued.filter((claim) => claim.listingId === listing.id).map((claim) => claim.lastQuantity)).toEqual([null]);
    for (const claim of requeued) expect(await fresh.complete(claim, record)).toBe(true);
    expect(await opened.store.db.selectFrom('outbox').select('id').where('listing_id', '=', listing.id).execute()).toEqual([]);
    expect(await opened.store.db.selectFrom('dead_letter').selectAll().execute()).toEqual([]);
  });
});

describe('proving a lease holder dead (released at start, B1)', () => {
  const host = 'a22262e180c6';
  const table = (stat: ReturnType<ProcessTable['stat']>, tag: string | null = host): ProcessTable => ({ hostTag: () => tag ?? undefined, stat: () => stat });
  const owner = `sg1.${host}.4242.1000.abcd1234`;

  test('only a process of this host that is gone, was replaced or is a zombie is dead', () => {
    expect(isProvablyDead(owner, table(null))).toBe(true);
    expect(isProvablyDead(owner, table({ startTicks: '2000', state: 'S' }))).toBe(true);
    expect(isProvablyDead(owner, table({ startTicks: '1000', state: 'Z' }))).toBe(true);
    expect(isProvablyDead(owner, table({ startTicks: '1000', state: 'S' }))).toBe(false);
    expect(isProvablyDead(owner, table({ startTicks: '1000', state: 'T' }))).toBe(false);
    // Another host, no /proc, an unreadable entry, or an id this code did not write: never.
    expect(isProvablyDead(owner, table(null, 'ffffffffffff'))).toBe(false);
    expect(isProvablyDead(owner, table(null, null))).toBe(false);
    expect(isProvablyDead(owner, table(undefined))).toBe(false);
    for (const other of ['worker-0', 'sync-4242-abcd1234', `sg1.${host}.x.1000.abcd`, `sg1.${host}.4242.1000`, `sg2.${host}.4242.1000.abcd`]) expect(isProvablyDead(other, table(null))).toBe(false);
  });

  test('on this machine: this process is alive, a child that exited is dead', async () => {
    const mine = leaseOwnerId();
    expect(parseOwner(mine)?.pid).toBe(process.pid);
    expect(isProvablyDead(mine)).toBe(false);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
    const childOwner = leaseOwnerId(procTable, child.pid!);
    expect(isProvablyDead(childOwner)).toBe(false);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(isProvablyDead(childOwner)).toBe(true);
  });
});
