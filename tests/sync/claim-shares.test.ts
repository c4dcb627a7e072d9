/**
 * OutboxClaims.claimShares on SQLite and MariaDB: one claim across channels gives each channel at
 * most its share, oldest outbox row first, and says whether it saw every claimable row — the
 * dispatcher stops asking for a channel only then.
 */
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { OutboxClaims } from '../../daemon/src/ledger/outbox-claims.js';
import { openTestStore } from '../helpers/stores.js';

describe.each(['sqlite', 'mysql'] as const)('claimShares on %s', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  const listingIds = new Map<string, number>();

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

  test('each channel gets its oldest rows up to its share; sawAll only when nothing claimable was left out', async () => {
    await opened.store.db.deleteFrom('outbox').execute();
    const now = Date.now();
    // Rows in this order: etsy S0..S3 first (oldest), then ebay S0..S3; tiktok has none.
    for (const channel of ['etsy', 'ebay']) for (let index = 0; index < 4; index += 1) await opened.store.db.insertInto('outbox').values({ listing_id: listingIds.get(`${channel}:S${index}`)!, created_at: now }).execute();
    const claims = new OutboxClaims(opened.store, 'worker-a');

    const first = await claims.claimShares(new Map([['etsy', 2], ['ebay', 3], ['tiktok', 5]]), 60_000);
    const names = (channel: string) => first.claims.filter((claim) => claim.channel === channel).map((claim) => claim.listingId).sort((a, b) => a - b);
    expect(names('etsy')).toEqual([listingIds.get('etsy:S0'), listingIds.get('etsy:S1')]);
    expect(names('ebay')).toEqual([listingIds.get('ebay:S0'), listingIds.get('ebay:S1'), listingIds.get('ebay:S2')]);
    expect(names('tiktok')).toEqual([]);
    // Eight rows, a limit of ten: every claimable row was seen.
    expect(first.sawAll).toBe(true);

    // The claimed listings are leased now: what is left is etsy S2, S3 and ebay S3.
    const second = await claims.claimShares(new Map([['etsy', 1], ['ebay', 1]]), 60_000);
    expect(second.claims.map((claim) => claim.listingId)).toEqual([listingIds.get('etsy:S2')]);
    // The limit (2) was reached by etsy's two rows: ebay's row was not seen, so not "all".
    expect(second.sawAll).toBe(false);

    const third = await claims.claimShares(new Map([['ebay', 1]]), 60_000);
    expect(third.claims.map((claim) => claim.listingId)).toEqual([listingIds.get('ebay:S3')]);
    const last = await claims.claimShares(new Map([['ebay', 5], ['tiktok', 5]]), 60_000);
    expect(last).toEqual({ claims: [], sawAll: true });
  });
});
