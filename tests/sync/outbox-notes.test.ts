/**
 * Commits tell the engine which listings they queued (outbox-notes), and the engine claims those
 * by id instead of scanning the outbox after every commit. On SQLite and MariaDB: a committed
 * change notes every listing it queued, a rolled-back one notes nothing; against the eBay and
 * TikTok sandboxes over HTTP, changes reach the marketplaces with no scan after the start, and a
 * write that notes nothing (the catalogue's) is still found, by the scan its wake asks for.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { ChannelName } from '../../daemon/src/channels/channel.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../daemon/src/ledger/ledger.js';
import { onOutboxCommitted, type OutboxNote } from '../../daemon/src/ledger/outbox-notes.js';
import { enqueueAffectedListings } from '../../daemon/src/ledger/stock-writes.js';
import { SyncEngine } from '../../daemon/src/sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import { seedLiveCatalogue } from '../helpers/live-catalogue.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

describe.each(STORE_KINDS)('outbox notes on %s', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  const listingIds = new Map<string, number>();
  const channelIds = new Map<string, number>();

  beforeAll(async () => {
    opened = await openTestStore(kind);
    const catalogue = new Catalogue(opened.store);
    await catalogue.upsertLocation('main', 'Main');
    for (const code of ['ebay', 'etsy']) await catalogue.upsertChannel({ code, mode: 'live', locations: ['main'] });
    for (const row of await opened.store.db.selectFrom('channel').select(['id', 'code']).execute()) channelIds.set(row.code, row.id);
    for (const sku of ['N1', 'N2']) {
      await catalogue.upsertSku({ code: sku, kind: 'simple' });
      for (const channel of ['ebay', 'etsy']) {
        const listing = await catalogue.upsertListing({ channel, sku });
        if (!listing.ok) throw new Error(listing.error.message);
        listingIds.set(`${channel}:${sku}`, listing.value.id);
      }
    }
  });
  afterAll(() => opened.close());

  test('a committed change notes every listing it queued, with its channel; a refused or rolled-back one notes nothing', async () => {
    const heard: OutboxNote[][] = [];
    const unlisten = onOutboxCommitted(opened.store.db, (notes) => heard.push([...notes]));
    try {
      const ledger = new Ledger(opened.store);
      expect((await ledger.adjust({ key: 'notes-1', channel: null, actor: 'test', sku: 'N1', location: 'main', delta: 3, reason: 'received' })).ok).toBe(true);
      expect(heard).toHaveLength(1);
      expect([...heard[0]!].sort((a, b) => a.listingId - b.listingId)).toEqual([
        { listingId: listingIds.get('ebay:N1'), channelId: channelIds.get('ebay') },
        { listingId: listingIds.get('etsy:N1'), channelId: channelIds.get('etsy') },
      ].sort((a, b) => a.listingId! - b.listingId!));

      // Refused (not enough stock): nothing was written, nothing is noted.
      expect((await ledger.adjust({ key: 'notes-2', channel: null, actor: 'test', sku: 'N2', location: 'main', delta: -5, reason: 'correction' })).ok).toBe(false);
      // Rows queued, then the transaction fails: they never existed, and neither do their notes.
      await expect(opened.store.transaction(async (trx) => {
        const sku = await trx.selectFrom('sku').select('id').where('code', '=', 'N2').executeTakeFirstOrThrow();
        await enqueueAffectedListings(trx, [sku.id], Date.now());
        throw new Error('rolled back on purpose');
      })).rejects.toThrow('rolled back on purpose');
      expect(heard).toHaveLength(1);
    } finally {
      unlisten();
    }
    // Unsubscribed: a later commit is not heard.
    await new Ledger(opened.store).adjust({ key: 'notes-3', channel: null, actor: 'test', sku: 'N2', location: 'main', delta: 1, reason: 'received' });
    expect(heard).toHaveLength(1);
  });
});

describe('the engine claims what commits noted', () => {
  const CHANNELS: ChannelName[] = ['ebay', 'tiktok'];
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  let engine: SyncEngine;

  beforeAll(async () => {
    opened = await openTestStore('sqlite');
    fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0, rateLimits: 'documented' });
    // No periodic scan during the test: only the start's, and those a wake without notes asks for.
    engine = new SyncEngine({ store: opened.store, channels: fleet.members.map((member) => member.channel), pollMs: 3_600_000 });
  });
  afterAll(async () => {
    await engine.stop();
    await fleet.close();
    await opened.close();
  });

  test('changes reach every channel with no outbox scan after the start; a write without notes is found by a scan', async () => {
    const catalogue = syncedCatalogue(opened.store, () => engine.wake());
    const ledger = syncedLedger(opened.store, () => engine.wake());
    const skus = Array.from({ length: 20 }, (_, index) => `NOTE-${index}`);
    await seedLiveCatalogue(catalogue, fleet, CHANNELS, skus);
    engine.start();
    await until(() => engine.dispatcher.inFlightCount === 0, 'the start to settle');
    let scans = 0;
    const findClaimable = engine.claims.findClaimable.bind(engine.claims);
    engine.claims.findClaimable = (...args) => { scans += 1; return findClaimable(...args); };

    await Promise.all(skus.map((sku, index) => ledger.adjust({ key: `note-${sku}`, channel: null, actor: 'test', sku, location: 'main', delta: index + 1, reason: 'received' })));
    await until(() => CHANNELS.every((name) => skus.every((sku, index) => fleet.shown(name, sku) === index + 1)), 'every change on every channel');
    expect(scans).toBe(0);

    // The catalogue notes nothing: a channel paused and live again has its listings queued, and
    // the wake after that commit scans for them.
    await ledger.adjust({ key: 'note-paused', channel: null, actor: 'test', sku: skus[0]!, location: 'main', delta: 100, reason: 'received' });
    await until(() => fleet.shown('ebay', skus[0]!) === 101 && engine.dispatcher.inFlightCount === 0, `${skus[0]} at 101 on eBay`);
    await catalogue.upsertChannel({ code: 'ebay', mode: 'paused' });
    await ledger.adjust({ key: 'note-paused-2', channel: null, actor: 'test', sku: skus[0]!, location: 'main', delta: 100, reason: 'received' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fleet.shown('ebay', skus[0]!)).toBe(101);
    await catalogue.upsertChannel({ code: 'ebay', mode: 'live' });
    await until(() => fleet.shown('ebay', skus[0]!) === 201 && fleet.shown('tiktok', skus[0]!) === 201, `${skus[0]} at 201 on eBay once live again`);
    expect(scans).toBeGreaterThan(0);
  });
});
