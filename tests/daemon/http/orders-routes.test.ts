import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { ChannelOrder } from '../../../daemon/src/channels/channel.js';
import { createLogger } from '../../../daemon/src/logger.js';
import { errorMapper } from '../../../daemon/src/http/errors.js';
import { ordersRouter, restockOutcome } from '../../../daemon/src/http/orders-routes.js';
import { OrderProcessor } from '../../../daemon/src/orders/order-processor.js';
import { STORE_KINDS, type StoreKind } from '../../helpers/stores.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';

function order(orderId: string, status: ChannelOrder['status'], fulfillment: ChannelOrder['fulfillment'], lines: ChannelOrder['lines'], minute: number): ChannelOrder {
  const at = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return { orderId, status, fulfillment, lines, createdAt: at, updatedAt: at };
}

describe.each(STORE_KINDS)('the orders and returns routes on %s', (kind: StoreKind) => {
  let test_: TestDaemon;
  let server: Server;
  let base: string;

  async function get(path: string, token = test_.adminToken): Promise<{ status: number; json: any }> {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, json: await response.json().catch(() => null) };
  }

  beforeAll(async () => {
    test_ = await startTestDaemon(kind);
    const { catalogue, ledger, store } = test_.daemon;
    // main.ts does not mount this router yet: serve it beside the daemon on the daemon's own ledger.
    const app = express();
    app.use(ordersRouter(store, () => test_.adminToken));
    app.use(errorMapper(createLogger('silent')));
    server = await new Promise<Server>((resolve) => { const listening = app.listen(0, '127.0.0.1', () => resolve(listening)); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    for (const [code, name, locationKind] of [['main', 'Main warehouse', 'warehouse'], ['fba', 'Amazon FBA', 'marketplace']] as const) expect((await catalogue.upsertLocation(code, name, locationKind)).ok).toBe(true);
    expect((await catalogue.upsertChannel({ code: 'amazon', name: 'Amazon', mode: 'live', locations: ['main', 'fba'] })).ok).toBe(true);
    expect((await catalogue.upsertChannel({ code: 'ebay', name: 'eBay', mode: 'live', locations: ['main'] })).ok).toBe(true);
    for (const sku of ['MUG', 'CUP']) {
      expect((await catalogue.upsertSku({ code: sku, kind: 'simple' })).ok).toBe(true);
      for (const location of ['main', 'fba']) expect((await ledger.adjust({ key: `t:${sku}:${location}`, channel: null, actor: 'test', sku, location, delta: 10, reason: 'received' })).ok).toBe(true);
    }
    const processor = new OrderProcessor(store, ledger);
    const apply = async (channel: string, value: ChannelOrder) => expect((await processor.apply(channel, value)).ok).toBe(true);
    await apply('amazon', order('A-1', 'created', 'merchant', [{ lineId: '1', sku: 'MUG', quantity: 2 }], 1));
    await apply('amazon', order('A-2', 'created', 'marketplace', [{ lineId: '1', sku: 'CUP', quantity: 1 }], 2));
    await apply('ebay', order('E-1', 'created', 'merchant', [{ lineId: '1', sku: 'MUG', quantity: 1 }, { lineId: '2', sku: 'CUP', quantity: 3 }], 3));
    await apply('ebay', order('E-1', 'cancelled', 'merchant', [{ lineId: '1', sku: 'MUG', quantity: 1 }, { lineId: '2', sku: 'CUP', quantity: 3 }], 4));
    await apply('amazon', order('A-1', 'shipped', 'merchant', [{ lineId: '1', sku: 'MUG', quantity: 2 }], 5));
    await apply('amazon', order('A-1', 'return_received', 'merchant', [{ lineId: '1', sku: 'MUG', quantity: 2, condition: 'sellable' }], 6));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await test_.stop();
  });

  test('orders come newest first with their routing: a warehouse for merchant orders, FBA for marketplace ones', async () => {
    const { status, json } = await get('/v1/admin/orders');
    expect(status).toBe(200);
    expect(json.orders.map((line: any) => `${line.channel}/${line.orderId}/${line.lineId}`)).toEqual(['ebay/E-1/2', 'ebay/E-1/1', 'amazon/A-2/1', 'amazon/A-1/1']);
    const fba = json.orders.find((line: any) => line.orderId === 'A-2');
    expect(fba).toMatchObject({ sku: 'CUP', quantity: 1, status: 'created', stockState: 'reserved', routing: { fulfillment: 'marketplace', locations: [{ code: 'fba', name: 'Amazon FBA', kind: 'marketplace', quantity: 1 }] } });
    expect(json.orders.find((line: any) => line.orderId === 'A-1').routing).toEqual({ fulfillment: 'merchant', locations: [{ code: 'main', name: 'Main warehouse', kind: 'warehouse', quantity: 2 }] });
    expect(json.next).toBeNull();
  });

  test('pages follow one another through next without repeating or skipping a line', async () => {
    const first = await get('/v1/admin/orders?limit=3');
    expect(first.json.orders).toHaveLength(3);
    expect(typeof first.json.next).toBe('string');
    const second = await get(`/v1/admin/orders?limit=3&after=${encodeURIComponent(first.json.next)}`);
    expect(second.json.orders.map((line: any) => line.orderId)).toEqual(['A-1']);
    expect(second.json.next).toBeNull();
  });

  test('orders filter by channel and by SKU', async () => {
    expect((await get('/v1/admin/orders?channel=amazon')).json.orders.map((line: any) => line.orderId)).toEqual(['A-2', 'A-1']);
    expect((await get('/v1/admin/orders?sku=CUP')).json.orders.map((line: any) => line.orderId)).toEqual(['E-1', 'A-2']);
  });

  test('returns list cancellations and returns with their restock outcome and units', async () => {
    const { status, json } = await get('/v1/admin/returns');
    expect(status).toBe(200);
    const byLine = Object.fromEntries(json.returns.map((line: any) => [`${line.orderId}/${line.lineId}`, line]));
    expect(Object.keys(byLine).sort()).toEqual(['A-1/1', 'E-1/1', 'E-1/2']);
    expect(byLine['A-1/1']).toMatchObject({ status: 'return_received', restock: { outcome: 'restocked', sellable: 2, damaged: 0 } });
    expect(byLine['E-1/2']).toMatchObject({ status: 'cancelled', stockState: 'released', restock: { outcome: 'released', released: 3 } });
    expect(json.returns[0].orderId).toBe('A-1');
  });

  test.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['after=bm90LWEtY3Vyc29y', 'after'],
    ['channel=EBAY%20UK', 'channel'],
    ['colour=blue', 'query'],
  ])('a bad query (%s) is refused with 400 naming %s', async (query, field) => {
    const { status, json } = await get(`/v1/admin/orders?${query}`);
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_query');
    expect(json.message).toContain(field === 'query' ? 'colour' : field);
  });

  test('without the admin token both routes answer 401', async () => {
    expect((await get('/v1/admin/orders', 'wrong')).status).toBe(401);
    expect((await get('/v1/admin/returns', 'wrong')).status).toBe(401);
  });
});

describe('restockOutcome', () => {
  test.each([
    ['return_received', 'returned', { sellable: 1, damaged: 0, released: 0 }, 'restocked'],
    ['return_received', 'returned', { sellable: 0, damaged: 1, released: 0 }, 'damaged'],
    ['return_requested', 'committed', { sellable: 0, damaged: 0, released: 0 }, 'awaiting_return'],
    ['cancelled', 'released', { sellable: 0, damaged: 0, released: 2 }, 'released'],
    ['cancelled', 'external', { sellable: 0, damaged: 0, released: 0 }, 'not_tracked'],
    ['cancelled', 'oversold', { sellable: 0, damaged: 0, released: 0 }, 'nothing_held'],
  ] as const)('a %s line in state %s with %j is %s', (status, stockState, sums, outcome) => {
    expect(restockOutcome(status, stockState, sums)).toBe(outcome);
  });
});
