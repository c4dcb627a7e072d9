/**
 * I3/I4 at the edges of the key: an idempotency key is an external identity compared byte for
 * byte. Marketplace and webhook ids are often random mixed-case strings (`msg_2KWPBgLlAfxdpx2…`),
 * so two keys that differ only in letter case, an accent or a trailing space are two intents on
 * every store — never a duplicate, never a conflict that drops the second event.
 */
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import type { Store } from '../../../daemon/src/ledger/store.js';
import { openTestStore, STORE_KINDS, type StoreKind } from '../../helpers/stores.js';

const pairs: Array<{ name: string; first: string; second: string }> = [
  { name: 'two keys that differ only in letter case are two intents', first: 'plugin:msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', second: 'plugin:msg_2kwpbgllafxdpx2ai54ppj85f4w' },
  { name: 'two keys that differ only in an accent are two intents', first: 'etsy:receipt-café', second: 'etsy:receipt-cafe' },
  { name: 'two keys that differ only in a trailing space are two intents', first: 'ebay:notification-77', second: 'ebay:notification-77 ' },
];

describe.each(STORE_KINDS)('idempotency keys on %s', (kind: StoreKind) => {
  let store: Store;
  let close: () => Promise<void>;
  let ledger: Ledger;

  beforeAll(async () => {
    ({ store, close } = await openTestStore(kind));
    ledger = new Ledger(store);
    const catalogue = new Catalogue(store);
    await catalogue.ensureDefaults();
    expect((await catalogue.upsertSku({ code: 'KEY-1', kind: 'simple' })).ok).toBe(true);
  });
  afterAll(async () => close());

  test.each(pairs)('$name', async ({ first, second }) => {
    const receipt = (key: string) => ledger.adjust({ key, sku: 'KEY-1', location: 'main', delta: 1, reason: 'received', channel: null, actor: 'key-test' });
    expect(await receipt(first)).toMatchObject({ ok: true, value: { status: 'applied' } });
    expect(await receipt(second)).toMatchObject({ ok: true, value: { status: 'applied' } });
    expect(await receipt(first)).toMatchObject({ ok: true, value: { status: 'duplicate' } });
    const movements = await store.db.selectFrom('movement').select('intent_key').where('intent_key', 'in', [first, second]).execute();
    expect(movements.map((movement) => movement.intent_key).sort()).toEqual([first, second].sort());
  });
});
