/**
 * The two queries the dispatcher claims with, on SQLite and MariaDB. findClaimable (the periodic
 * scan) lists the claimable listings of some channels, oldest outbox row first, up to a limit, and
 * says whether it saw them all. claimListings (a commit's noted listings, or what a scan found)
 * leases only those still claimable: with outbox rows, held by no one, channel not paused.
 */
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { OutboxClaims } from '../../daemon/src/ledger/outbox-claims.js';
import { openTestStore } from '../helpers/stores.js';

describe.each(['sqlite', 'mysql'] as const)('outbox claim queries on %s', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  const listingIds = new Map<string, number>();
  const id = (key: string) => listingIds.get(key)!;

  beforeAll(async () => {
    opened = await openTestStore(kind);
    const catalogue = new Catalogue(opened.store);
    await catalogue.upsertLocation('main', 'Main');
    for (const code of ['ebay', 'etsy', 'tiktok']) await catalogue.upsertChannel({ code, mode: 'live', locations: ['main'] });
    for (let index = 0; index < 4; index += 1) {
      await catalogue.upsertSku({ code: `S${index}`, kind: 'simple' });
      for (const channel of ['ebay', 'etsy', 'tiktok']) {
        const listing = await catalogue.upsertListing({ channel, sku: `S${index}` });
        if (!listing.ok) throw new Error(listing.error.message);
        listingIds.set(`${channel}:S${index}`, listing.value.id);
      }
    }
  });
  afterAll(() => opened.close());

  beforeEach(async () => {
    await opened.store.db.deleteFrom('outbox').execute();
    await opened.store.db.updateTable('listing_sync').set({ lease_owner: null, lease_until: null }).execute();
    const now = Date.now();
    // Rows in this order: etsy S0..S3 first (oldest), then ebay S0..S3; tiktok has none.
    for (const channel of ['etsy', 'ebay']) for (let index = 0; index < 4; index += 1) await opened.store.db.insertInto('outbox').values({ listing_id: id(`${channel}:S${index}`), created_at: now }).execute();
  });

  test('findClaimable lists claimable listings oldest row first, up to its limit, and says when it saw them all', async () => {
    const claims = new OutboxClaims(opened.store, 'worker-a');
    const all = await claims.findClaimable(['etsy', 'ebay', 'tiktok'], 10);
    expect(all.candidates).toEqual([
      ...[0, 1, 2, 3].map((index) => ({ listingId: id(`etsy:S${index}`), channel: 'etsy' })),
      ...[0, 1, 2, 3].map((index) => ({ listingId: id(`ebay:S${index}`), channel: 'ebay' })),
    ]);
    expect(all.sawAll).toBe(true);
    expect(await claims.findClaimable(['ebay'], 2)).toEqual({ candidates: [0, 1].map((index) => ({ listingId: id(`ebay:S${index}`), channel: 'ebay' })), sawAll: false });
    expect(await claims.findClaimable(['tiktok'], 5)).toEqual({ candidates: [], sawAll: true });
    // Nothing was leased by looking.
    expect((await claims.findClaimable(['etsy'], 10)).candidates).toHaveLength(4);
  });

  test('claimListings leases only listings still claimable: with outbox rows, held by no one, channel not paused', async () => {
    const first = new OutboxClaims(opened.store, 'worker-a');
    const second = new OutboxClaims(opened.store, 'worker-b');
    const taken = await first.claimListings([id('etsy:S0'), id('etsy:S1')], 60_000);
    expect(taken.map((claim) => [claim.listingId, claim.channel, claim.outboxIds.length])).toEqual([[id('etsy:S0'), 'etsy', 1], [id('etsy:S1'), 'etsy', 1]]);

    // etsy S0 is held by the first worker, tiktok S0 has no outbox row: only ebay S0 is taken.
    const others = await second.claimListings([id('etsy:S0'), id('ebay:S0'), id('tiktok:S0')], 60_000);
    expect(others.map((claim) => claim.listingId)).toEqual([id('ebay:S0')]);
    // A scan no longer lists what is held.
    expect((await second.findClaimable(['etsy', 'ebay'], 10)).candidates.map((candidate) => candidate.listingId)).toEqual([id('etsy:S2'), id('etsy:S3'), id('ebay:S1'), id('ebay:S2'), id('ebay:S3')]);

    await opened.store.db.updateTable('channel').set({ mode: 'paused' }).where('code', '=', 'ebay').execute();
    try {
      expect(await second.claimListings([id('ebay:S1')], 60_000)).toEqual([]);
    } finally {
      await opened.store.db.updateTable('channel').set({ mode: 'live' }).where('code', '=', 'ebay').execute();
    }
    expect((await second.claimListings([id('ebay:S1')], 60_000)).map((claim) => claim.listingId)).toEqual([id('ebay:S1')]);
  });

  test('channelsOf names each noted listing\'s channel, whether or not the note carried it', async () => {
    const claims = new OutboxClaims(opened.store, 'worker-a');
    const channelId = Number((await opened.store.db.selectFrom('channel').select('id').where('code', '=', 'ebay').executeTakeFirstOrThrow()).id);
    expect(await claims.channelsOf([{ listingId: id('etsy:S2') }, { listingId: id('ebay:S3'), channelId }, { listingId: 999_999 }])).toEqual([
      { listingId: id('etsy:S2'), channel: 'etsy' },
      { listingId: id('ebay:S3'), channel: 'ebay' },
    ]);
    // Known now: answered without reading the ledger.
    expect(await claims.channelsOf([{ listingId: id('ebay:S0'), channelId }])).toEqual([{ listingId: id('ebay:S0'), channel: 'ebay' }]);
  });
});
