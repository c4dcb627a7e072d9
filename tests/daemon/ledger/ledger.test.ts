import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import { LedgerQueries } from '../../../daemon/src/ledger/queries.js';
import type { Store } from '../../../daemon/src/ledger/store.js';
import { openTestStore, STORE_KINDS, type StoreKind } from '../../helpers/stores.js';

describe.each(STORE_KINDS)('the ledger on %s', (kind: StoreKind) => {
  let store: Store;
  let close: () => Promise<void>;
  let catalogue: Catalogue;
  let ledger: Ledger;
  let queries: LedgerQueries;
  const actor = 'test';

  beforeAll(async () => {
    ({ store, close } = await openTestStore(kind));
    catalogue = new Catalogue(store);
    ledger = new Ledger(store);
    queries = new LedgerQueries(store);
    await catalogue.ensureDefaults();
    await catalogue.upsertLocation('fba', 'Amazon FBA', 'marketplace');
    await catalogue.upsertChannel({ code: 'ebay', mode: 'live', locations: ['main'] });
  });
  afterAll(async () => close());

  async function skuWithStock(code: string, onHand: number, extra: Partial<Parameters<Catalogue['upsertSku']>[0]> = {}): Promise<void> {
    expect((await catalogue.upsertSku({ code, kind: 'simple', ...extra })).ok).toBe(true);
    if (onHand > 0) expect((await ledger.adjust({ key: `seed:${code}`, sku: code, location: 'main', delta: onHand, reason: 'received', channel: null, actor })).ok).toBe(true);
  }

  test('a receipt becomes a movement and on hand', async () => {
    await skuWithStock('RCV-1', 10);
    expect(await queries.stockOf('RCV-1')).toEqual([{ sku: 'RCV-1', location: 'main', onHand: 10, committed: 0, available: 10, damaged: 0 }]);
    const movements = await queries.movementsOf('RCV-1');
    expect(movements).toHaveLength(1);
    expect(movements[0]).toMatchObject({ deltaOnHand: 10, reason: 'received', key: 'seed:RCV-1' });
  });

  test('replaying a key answers duplicate and changes nothing', async () => {
    await skuWithStock('DUP-1', 5);
    const request = { key: 'order:dup-1', sku: 'DUP-1', quantity: 2, locations: ['main'], channel: 'woocommerce', actor };
    expect(await ledger.sell(request)).toMatchObject({ ok: true, value: { status: 'applied' } });
    expect(await ledger.sell(request)).toMatchObject({ ok: true, value: { status: 'duplicate', outcome: { result: 'applied' } } });
    expect((await queries.stockOf('DUP-1'))[0]!.onHand).toBe(3);
  });

  test('the same key with a different payload is an idempotency conflict and writes nothing', async () => {
    await skuWithStock('CONFLICT-1', 5);
    await ledger.sell({ key: 'order:conflict', sku: 'CONFLICT-1', quantity: 1, locations: ['main'], channel: 'woocommerce', actor });
    const result = await ledger.sell({ key: 'order:conflict', sku: 'CONFLICT-1', quantity: 2, locations: ['main'], channel: 'woocommerce', actor });
    expect(result).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
    expect((await queries.stockOf('CONFLICT-1'))[0]!.onHand).toBe(4);
  });

  test('an order that does not fit is recorded as an oversell and takes nothing', async () => {
    await skuWithStock('OVER-1', 1);
    const result = await ledger.reserve({ key: 'ebay:o1:1', sku: 'OVER-1', quantity: 2, locations: ['main'], channel: 'ebay', orderRef: 'o1', lineRef: '1', actor });
    expect(result).toMatchObject({ ok: true, value: { status: 'applied', outcome: { result: 'oversold', detail: { requested: 2, available: 1 } } } });
    expect((await queries.stockOf('OVER-1'))[0]).toMatchObject({ onHand: 1, committed: 0 });
    const oversells = await store.db.selectFrom('oversell').selectAll().where('intent_key', '=', 'ebay:o1:1').execute();
    expect(oversells).toHaveLength(1);
    expect(oversells[0]).toMatchObject({ channel: 'ebay', requested: 2, available: 1 });
  });

  test('a reservation commits on shipment and releases on cancellation', async () => {
    await skuWithStock('RES-1', 5);
    const line = { channel: 'ebay', orderRef: 'o2', lineRef: '1', actor };
    await ledger.reserve({ ...line, key: 'ebay:o2:1:reserve', sku: 'RES-1', quantity: 2, locations: ['main'] });
    expect((await queries.stockOf('RES-1'))[0]).toMatchObject({ onHand: 5, committed: 2, available: 3 });
    await ledger.commitReservation({ ...line, key: 'ebay:o2:1:ship' });
    expect((await queries.stockOf('RES-1'))[0]).toMatchObject({ onHand: 3, committed: 0, available: 3 });
    await ledger.reserve({ ...line, lineRef: '2', key: 'ebay:o2:2:reserve', sku: 'RES-1', quantity: 1, locations: ['main'] });
    await ledger.releaseReservation({ ...line, lineRef: '2', key: 'ebay:o2:2:cancel' });
    expect((await queries.stockOf('RES-1'))[0]).toMatchObject({ onHand: 3, committed: 0, available: 3 });
    const cancelAgain = await ledger.releaseReservation({ ...line, lineRef: '2', key: 'ebay:o2:2:cancel-again' });
    expect(cancelAgain).toMatchObject({ ok: true, value: { outcome: { result: 'noop' } } });
  });

  test('an order draws from the first location in priority that has the stock', async () => {
    await catalogue.upsertLocation('overflow', 'Overflow warehouse');
    await catalogue.upsertSku({ code: 'PRIO-1', kind: 'simple' });
    await ledger.adjust({ key: 'seed:prio:overflow', sku: 'PRIO-1', location: 'overflow', delta: 3, reason: 'received', channel: null, actor });
    const result = await ledger.reserve({ key: 'ebay:o3:1', sku: 'PRIO-1', quantity: 2, locations: ['main', 'overflow'], channel: 'ebay', orderRef: 'o3', lineRef: '1', actor });
    expect(result).toMatchObject({ ok: true, value: { outcome: { result: 'applied', detail: { placed: [{ location: 'overflow', quantity: 2 }] } } } });
  });

  test('a kit takes its components and is limited by the scarcest one', async () => {
    await skuWithStock('KIT-A', 10);
    await skuWithStock('KIT-B', 3);
    await catalogue.upsertSku({ code: 'KIT-AB', kind: 'kit' });
    expect((await catalogue.setKitComponents('KIT-AB', [{ sku: 'KIT-A', quantity: 2 }, { sku: 'KIT-B', quantity: 1 }])).ok).toBe(true);
    await ledger.sell({ key: 'kit:1', sku: 'KIT-AB', quantity: 2, locations: ['main'], channel: 'woocommerce', actor });
    expect((await queries.stockOf('KIT-A'))[0]!.onHand).toBe(6);
    expect((await queries.stockOf('KIT-B'))[0]!.onHand).toBe(1);
    const oversold = await ledger.sell({ key: 'kit:2', sku: 'KIT-AB', quantity: 2, locations: ['main'], channel: 'woocommerce', actor });
    expect(oversold).toMatchObject({ ok: true, value: { outcome: { result: 'oversold', detail: { short: 'KIT-B' } } } });
    expect((await queries.stockOf('KIT-A'))[0]!.onHand).toBe(6);
  });

  test('variations sharing their parent pool draw on one pool', async () => {
    await skuWithStock('SHIRT', 4, { kind: 'variable' });
    await catalogue.upsertSku({ code: 'SHIRT-RED', kind: 'variation', parent: 'SHIRT', usesParentStock: true, attributes: { color: 'Red' } });
    await catalogue.upsertSku({ code: 'SHIRT-BLUE', kind: 'variation', parent: 'SHIRT', usesParentStock: true, attributes: { color: 'Blue' } });
    await ledger.sell({ key: 'pool:1', sku: 'SHIRT-RED', quantity: 3, locations: ['main'], channel: 'woocommerce', actor });
    expect(await queries.stockOf('SHIRT')).toEqual([expect.objectContaining({ onHand: 1 })]);
    expect(await queries.stockOf('SHIRT-RED')).toEqual([]);
    const blue = await ledger.sell({ key: 'pool:2', sku: 'SHIRT-BLUE', quantity: 2, locations: ['main'], channel: 'woocommerce', actor });
    expect(blue).toMatchObject({ ok: true, value: { outcome: { result: 'oversold' } } });
  });

  test('a count becomes a cycle_count movement of the difference', async () => {
    await skuWithStock('COUNT-1', 10);
    await ledger.reserve({ key: 'ebay:o4:1', sku: 'COUNT-1', quantity: 2, locations: ['main'], channel: 'ebay', orderRef: 'o4', lineRef: '1', actor });
    const result = await ledger.count({ key: 'count:1', sku: 'COUNT-1', location: 'main', available: 5, channel: 'woocommerce', actor });
    expect(result).toMatchObject({ ok: true, value: { outcome: { detail: { expected: 8, counted: 5, delta: -3 } } } });
    expect((await queries.stockOf('COUNT-1'))[0]).toMatchObject({ onHand: 7, committed: 2, available: 5 });
  });

  test('returns restock by condition', async () => {
    await skuWithStock('RET-1', 1);
    await ledger.restock({ key: 'ret:1', sku: 'RET-1', location: 'main', quantity: 1, condition: 'sellable', channel: 'ebay', actor });
    await ledger.restock({ key: 'ret:2', sku: 'RET-1', location: 'main', quantity: 2, condition: 'damaged', channel: 'ebay', actor });
    expect((await queries.stockOf('RET-1'))[0]).toMatchObject({ onHand: 2, damaged: 2, available: 2 });
  });

  test('a decrease below available is refused with insufficient_stock and writes nothing', async () => {
    await skuWithStock('NEG-1', 2);
    const result = await ledger.adjust({ key: 'neg:1', sku: 'NEG-1', location: 'main', delta: -3, reason: 'correction', channel: null, actor });
    expect(result).toMatchObject({ ok: false, error: { code: 'insufficient_stock' } });
    expect((await queries.stockOf('NEG-1'))[0]!.onHand).toBe(2);
    expect(await store.db.selectFrom('intent').select('key').where('key', '=', 'neg:1').execute()).toHaveLength(0);
  });

  test('a SKU that allows backorders may go below zero', async () => {
    await skuWithStock('BACK-1', 1, { allowsBackorders: true });
    const result = await ledger.sell({ key: 'back:1', sku: 'BACK-1', quantity: 3, locations: ['main'], channel: 'woocommerce', actor });
    expect(result).toMatchObject({ ok: true, value: { outcome: { result: 'applied' } } });
    expect((await queries.stockOf('BACK-1'))[0]!.onHand).toBe(-2);
  });

  test('every stock row equals the sum of its movements', async () => {
    expect(await queries.conservationViolations()).toEqual([]);
  });
});
