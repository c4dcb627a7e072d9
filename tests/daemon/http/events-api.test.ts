import { STORE_KINDS, type StoreKind } from '../../helpers/stores.js';
import { lineReduced, newSecret, productUpserted, startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';

describe.each(STORE_KINDS)('the events API on %s', (kind: StoreKind) => {
  let test_: TestDaemon;
  beforeAll(async () => { test_ = await startTestDaemon(kind); });
  afterAll(async () => test_.stop());

  async function stockOf(sku: string): Promise<{ onHand: number; available: number } | undefined> {
    const { json } = await test_.admin(`/v1/admin/stock?sku=${encodeURIComponent(sku)}`);
    return json.stock[0];
  }

  test('a signed batch is applied event by event and its product opens with its stock level', async () => {
    const { status, json } = await test_.postEvents({ site: 'test.shop', events: [productUpserted(10, 'TEST-1', 10), lineReduced(501, { id: 10, sku: 'TEST-1' }, 2)] });
    expect(status).toBe(200);
    expect(json.results.map((result: { status: string }) => result.status)).toEqual(['applied', 'applied']);
    expect(await stockOf('TEST-1')).toMatchObject({ onHand: 8, available: 8 });
  });

  test('a redelivered batch answers duplicate for every event and changes nothing', async () => {
    const batch = { site: 'test.shop', events: [lineReduced(502, { id: 10, sku: 'TEST-1' }, 1)] };
    expect((await test_.postEvents(batch)).json.results[0].status).toBe('applied');
    const again = await test_.postEvents(batch);
    expect(again.status).toBe(200);
    expect(again.json.results[0].status).toBe('duplicate');
    expect(await stockOf('TEST-1')).toMatchObject({ onHand: 7 });
  });

  test('five concurrent deliveries of one event make one effect and five answers', async () => {
    const batch = { site: 'test.shop', events: [lineReduced(503, { id: 10, sku: 'TEST-1' }, 1)] };
    const replies = await Promise.all(Array.from({ length: 5 }, () => test_.postEvents(batch)));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.map((reply) => reply.json.results[0].status).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await stockOf('TEST-1')).toMatchObject({ onHand: 6 });
  });

  test('the same key with a different payload is rejected as a conflict and changes nothing', async () => {
    const original = lineReduced(504, { id: 10, sku: 'TEST-1' }, 1);
    await test_.postEvents({ site: 'test.shop', events: [original] });
    const { json } = await test_.postEvents({ site: 'test.shop', events: [{ ...original, quantity: 3 }] });
    expect(json.results[0]).toMatchObject({ status: 'rejected', code: 'idempotency_conflict' });
    expect(await stockOf('TEST-1')).toMatchObject({ onHand: 5 });
  });

  test('an invalid event is rejected naming its field while the rest of the batch applies', async () => {
    const bad = { ...lineReduced(505, { id: 10 }, 1), quantity: 1.5 };
    const { status, json } = await test_.postEvents({ site: 'test.shop', events: [bad, lineReduced(506, { id: 10 }, 1)] });
    expect(status).toBe(200);
    expect(json.results[0]).toMatchObject({ status: 'rejected', code: 'invalid_event' });
    expect(json.results[0].message).toContain('/events/0/quantity');
    expect(json.results[1].status).toBe('applied');
  });

  test('an order that WooCommerce took beyond the ledger is recorded as an oversell, and its restore resolves it', async () => {
    await test_.postEvents({ site: 'test.shop', events: [productUpserted(20, 'SCARCE', 1)] });
    const reduce = lineReduced(601, { id: 20, sku: 'SCARCE' }, 3);
    expect((await test_.postEvents({ site: 'test.shop', events: [reduce] })).json.results[0].status).toBe('applied');
    expect(await stockOf('SCARCE')).toMatchObject({ onHand: 1 });
    const oversells = (await test_.admin('/v1/admin/oversells')).json.oversells;
    expect(oversells.find((row: { sku: string }) => row.sku === 'SCARCE')).toMatchObject({ channel: 'woocommerce', requested: 3, available: 1, resolution: null });
    const restore = { ...reduce, id: 'wc:test.shop:601:restore:1', type: 'order.line.restored' };
    expect((await test_.postEvents({ site: 'test.shop', events: [restore] })).json.results[0].status).toBe('applied');
    expect(await stockOf('SCARCE')).toMatchObject({ onHand: 1 });
    const after = (await test_.admin('/v1/admin/oversells')).json.oversells;
    expect(after.find((row: { sku: string }) => row.sku === 'SCARCE').resolution).toBe('order_restored');
  });

  test('a stock level set in WooCommerce becomes the difference against what the ledger expected', async () => {
    await test_.postEvents({ site: 'test.shop', events: [productUpserted(30, 'COUNTED', 5)] });
    const set = { id: 'wc:test.shop:product:30:set:1', type: 'stock.set', occurred_at: new Date().toISOString(), product: { id: 30, sku: 'COUNTED' }, quantity: 9, source: 'admin' };
    expect((await test_.postEvents({ site: 'test.shop', events: [set] })).json.results[0].status).toBe('applied');
    expect(await stockOf('COUNTED')).toMatchObject({ onHand: 9 });
    const why = await test_.admin('/v1/admin/skus/COUNTED/why');
    expect(why.json.movements.map((movement: { reason: string; deltaOnHand: number }) => [movement.reason, movement.deltaOnHand])).toEqual([['cycle_count', 5], ['cycle_count', 4]]);
  });

  test('a SKU renamed in WooCommerce keeps its stock and history under the new code', async () => {
    await test_.postEvents({ site: 'test.shop', events: [productUpserted(40, 'OLD-CODE', 4)] });
    await test_.postEvents({ site: 'test.shop', events: [productUpserted(40, 'NEW-CODE', 4)] });
    expect(await stockOf('NEW-CODE')).toMatchObject({ onHand: 4 });
    expect(await stockOf('OLD-CODE')).toBeUndefined();
  });

  test('a request signed with another secret is refused with 401 and writes nothing', async () => {
    const { status, json } = await test_.postEvents({ site: 'test.shop', events: [lineReduced(701, { id: 10 }, 1)] }, { secret: newSecret() });
    expect(status).toBe(401);
    expect(json.error).toBe('signature_mismatch');
    expect(await stockOf('TEST-1')).toMatchObject({ onHand: 4 });
  });

  test('the admin API refuses a missing or wrong bearer token', async () => {
    expect((await fetch(`${test_.daemon.url}/v1/admin/skus`)).status).toBe(401);
    expect((await fetch(`${test_.daemon.url}/v1/admin/skus`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status).toBe(401);
    expect((await test_.admin('/v1/admin/skus')).status).toBe(200);
  });

  test('health is alive and readiness reports the migrated database', async () => {
    expect((await fetch(`${test_.daemon.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${test_.daemon.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: kind });
    const metrics = await (await fetch(`${test_.daemon.url}/metrics`)).text();
    expect(metrics).toContain('shelfguard_events_total');
  });

  test('neither the secret nor the admin token appears in the logs', () => {
    const logs = test_.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [test_.secret, test_.secret.slice(6), test_.adminToken, Buffer.from(test_.adminToken).toString('base64')]) expect(logs).not.toContain(secret);
  });
});

describe('the admin API settings on sqlite', () => {
  let test_: TestDaemon;
  beforeAll(async () => {
    test_ = await startTestDaemon('sqlite');
    await test_.daemon.catalogue.upsertChannel({ code: 'ebay', mode: 'live', locations: ['main'] });
    await test_.postEvents({ site: 'test.shop', events: [productUpserted(11, 'TUNE-1', 10)] });
    await test_.daemon.catalogue.upsertListing({ channel: 'ebay', sku: 'TUNE-1' });
  });
  afterAll(async () => test_.stop());

  async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${test_.daemon.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${test_.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: await response.json() };
  }

  test('a listing buffer and cap change what the channel is shown', async () => {
    const listing = (await test_.admin('/v1/admin/listings?channel=ebay')).json.listings[0];
    expect(listing.published).toBe(10);
    const buffered = await post(`/v1/admin/listings/${listing.id}/settings`, { buffer: 3 });
    expect(buffered).toMatchObject({ status: 200, json: { listing: { buffer: 3, published: 7 } } });
    expect((await post(`/v1/admin/listings/${listing.id}/settings`, { cap: 5 })).json.listing.published).toBe(5);
    expect((await post(`/v1/admin/listings/${listing.id}/settings`, { buffer: null, cap: null })).json.listing.published).toBe(10);
  });

  test('a channel buffer applies to listings without their own', async () => {
    expect((await post('/v1/admin/channels/ebay/settings', { buffer: 2 })).json.channel.buffer).toBe(2);
    expect((await test_.admin('/v1/admin/listings?channel=ebay')).json.listings[0].published).toBe(8);
  });

  test('bad settings are refused naming the field and change nothing', async () => {
    const listing = (await test_.admin('/v1/admin/listings?channel=ebay')).json.listings[0];
    expect(await post(`/v1/admin/listings/${listing.id}/settings`, { buffer: -1 })).toMatchObject({ status: 422, json: { error: 'invalid_settings' } });
    expect((await post(`/v1/admin/listings/${listing.id}/settings`, { buffer: 1, colour: 'red' })).json.message).toContain('colour');
    expect((await post('/v1/admin/listings/999999/settings', { buffer: 1 })).status).toBe(404);
    expect((await post('/v1/admin/channels/nope/settings', { buffer: 1 })).status).toBe(404);
    expect((await test_.admin('/v1/admin/listings?channel=ebay')).json.listings[0].published).toBe(8);
  });
});
