/**
 * What the ledger publishes must be sellable: for each catalogue shape, sell exactly what the
 * listings show and every sale fits; one more is an oversell. A published quantity the ledger
 * cannot honour is an oversell waiting on a marketplace (I2 one step removed).
 */
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import { LedgerQueries } from '../../../daemon/src/ledger/queries.js';
import type { Store } from '../../../daemon/src/ledger/store.js';
import { openTestStore, STORE_KINDS, type StoreKind } from '../../helpers/stores.js';

describe.each(STORE_KINDS)('published quantities that sell on %s', (kind: StoreKind) => {
  let store: Store;
  let close: () => Promise<void>;
  let catalogue: Catalogue;
  let ledger: Ledger;
  let queries: LedgerQueries;
  let sale = 0;

  beforeAll(async () => {
    ({ store, close } = await openTestStore(kind));
    catalogue = new Catalogue(store);
    ledger = new Ledger(store);
    queries = new LedgerQueries(store);
    await catalogue.ensureDefaults();
  });
  afterAll(async () => close());

  async function must<T>(result: Promise<{ ok: boolean; value?: T }>): Promise<T> {
    const settled = await result;
    expect(settled).toMatchObject({ ok: true });
    return settled.value as T;
  }

  async function pool(parent: string, variations: string[], onHand: number): Promise<void> {
    await must(catalogue.upsertSku({ code: parent, kind: 'variable' }));
    for (const code of variations) await must(catalogue.upsertSku({ code, kind: 'variation', parent, usesParentStock: true }));
    await must(ledger.adjust({ key: `seed:${parent}`, sku: parent, location: 'main', delta: onHand, reason: 'received', channel: null, actor: 'test' }));
  }

  async function list(sku: string): Promise<number> {
    return (await must<{ id: number }>(catalogue.upsertListing({ channel: 'woocommerce', sku }))).id;
  }

  async function published(listingId: number): Promise<number> {
    return (await queries.publishedFor(listingId))!.quantity!;
  }

  async function sellOne(sku: string): Promise<string> {
    sale += 1;
    const answer = await must<{ outcome: { result: string } }>(ledger.sell({ key: `sale:${sale}`, sku, quantity: 1, locations: ['main'], channel: 'woocommerce', actor: 'test' }));
    return answer.outcome.result;
  }

  test('a kit whose components share one pool publishes only the kits the pool can make, and all of them sell', async () => {
    await pool('TEE', ['TEE-RED', 'TEE-BLUE'], 5);
    await must(catalogue.upsertSku({ code: 'TEE-DUO', kind: 'kit' }));
    await must(catalogue.setKitComponents('TEE-DUO', [{ sku: 'TEE-RED', quantity: 1 }, { sku: 'TEE-BLUE', quantity: 1 }]));
    const shown = await published(await list('TEE-DUO'));
    expect(shown).toBe(2);
    for (let kit = 0; kit < shown; kit += 1) expect(await sellOne('TEE-DUO')).toBe('applied');
    expect(await sellOne('TEE-DUO')).toBe('oversold');
  });

  test('listing another variation of a pool queues a push for the listed ones, whose share shrank', async () => {
    await pool('HAT', ['HAT-S', 'HAT-L'], 4);
    const small = await list('HAT-S');
    expect(await published(small)).toBe(4);
    // The engine pushed 4 for HAT-S and drained its outbox rows.
    await store.db.deleteFrom('outbox').where('listing_id', '=', small).execute();
    const large = await list('HAT-L');
    expect({ small: await published(small), large: await published(large) }).toEqual({ small: 2, large: 2 });
    const queued = await store.db.selectFrom('outbox').select('listing_id').where('listing_id', 'in', [small, large]).execute();
    expect(new Set(queued.map((row) => row.listing_id))).toEqual(new Set([small, large]));
  });

  test('variations sharing one pool publish shares that all sell and add up to the pool', async () => {
    await pool('CAP', ['CAP-BLACK', 'CAP-WHITE'], 5);
    const listings = { 'CAP-BLACK': await list('CAP-BLACK'), 'CAP-WHITE': await list('CAP-WHITE') };
    const shares = { 'CAP-BLACK': await published(listings['CAP-BLACK']), 'CAP-WHITE': await published(listings['CAP-WHITE']) };
    expect(shares['CAP-BLACK'] + shares['CAP-WHITE']).toBe(5);
    for (const [sku, shown] of Object.entries(shares)) for (let unit = 0; unit < shown; unit += 1) expect(await sellOne(sku)).toBe('applied');
    expect(await sellOne('CAP-BLACK')).toBe('oversold');
  });
});
