/**
 * The events endpoint under hostile input (RELIABILITY A4, A10, B12, B13 in small): thousands of
 * malformed, unsigned and oversized requests must all end in 4xx with nothing written; the replay
 * window holds to the second; a database that cannot commit answers 503, never 2xx.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import { sql } from 'kysely';
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import { openStore, type Store } from '../../../daemon/src/ledger/store.js';
import { WooEventIngest } from '../../../daemon/src/ingest/woo-events.js';
import { createApp } from '../../../daemon/src/http/app.js';
import { eventsRouter } from '../../../daemon/src/http/events-route.js';
import { createMetrics } from '../../../daemon/src/http/metrics.js';
import { createLogger } from '../../../daemon/src/logger.js';
import { signedHeaders } from '../../../daemon/src/signing/standard-webhooks.js';
import { newSecret, productUpserted } from '../../helpers/daemon.js';
import { createTestDatabase, openTestStore } from '../../helpers/stores.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { migrateToLatest } from '../../../daemon/src/ledger/migrations.js';

const TABLES = ['sku', 'stock', 'movement', 'intent', 'reservation', 'oversell', 'held_stock', 'outbox', 'listing'] as const;

async function serve(store: Store, secret: string, nowSeconds: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const logger = createLogger('silent');
  const metrics = createMetrics();
  const catalogue = new Catalogue(store);
  await catalogue.ensureDefaults();
  const ingest = new WooEventIngest(store, new Ledger(store), catalogue);
  const app = createApp({ store, logger, metrics, isDraining: () => false, routers: [eventsRouter({ secrets: () => [secret], ingest, logger, metrics, nowSeconds, authFailuresPerSecond: 1e6, authFailuresBurst: 1e6 })] });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

async function counts(store: Store): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) result[table] = Number((await store.db.selectFrom(table).select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow()).count);
  return result;
}

describe('the events endpoint under hostile input', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let server: Awaited<ReturnType<typeof serve>>;
  const secret = newSecret();
  let clockSeconds = 1_800_000_000;

  beforeAll(async () => {
    opened = await openTestStore('sqlite');
    server = await serve(opened.store, secret, () => clockSeconds);
  });
  afterAll(async () => { await server.close(); await opened.close(); });

  async function post(body: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`${server.url}/v1/events`, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  }
  function signed(body: string, timestamp = clockSeconds): Record<string, string> {
    const id = `msg_${randomUUID()}`;
    return signedHeaders(secret, id, timestamp, body);
  }

  test('2,000 hostile requests all end in 4xx, none in 5xx, and write nothing', async () => {
    const before = await counts(opened.store);
    const hostileValue = fc.oneof(
      fc.constantFrom(Number.NaN, 1e308, -0, -1, 0.5, 2 ** 63, '1', null, true, [], {}, '__proto__'),
      fc.integer(), fc.double(), fc.string({ maxLength: 50 }), fc.jsonValue({ maxDepth: 3 }),
    );
    const hostileEvent = fc.record({
      id: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('wc:test.shop:1:reduce:1'), fc.constant(''), fc.integer()),
      type: fc.oneof(fc.constantFrom('order.line.reduced', 'stock.set', 'product.upserted', 'nope', ''), fc.string()),
      occurred_at: fc.oneof(fc.constant('2026-13-45T99:00:00Z'), fc.string({ maxLength: 30 }), fc.integer()),
      product: fc.oneof(hostileValue, fc.record({ id: hostileValue, sku: hostileValue })),
      quantity: hostileValue,
      order_id: hostileValue,
      order_item_id: hostileValue,
      seq: hostileValue,
    }, { requiredKeys: [] });
    const hostileBody = fc.oneof(
      fc.record({ site: fc.oneof(fc.string({ maxLength: 20 }), hostileValue), events: fc.oneof(fc.array(hostileEvent, { maxLength: 5 }), hostileValue) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
      fc.constant('{"site":"x","events":[{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}]}'),
      fc.constant(`${'['.repeat(10_000)}${']'.repeat(10_000)}`),
      fc.string({ maxLength: 200 }),
      fc.constant('{"site":"x","events":'),
      fc.jsonValue().map((value) => JSON.stringify(value)),
    );
    const headerVariant = fc.constantFrom('signed', 'unsigned', 'bad-signature', 'wrong-content-type', 'stale', 'garbage-headers');
    let requests = 0;
    await fc.assert(fc.asyncProperty(hostileBody, headerVariant, async (body, variant) => {
      requests += 1;
      let headers: Record<string, string>;
      if (variant === 'signed') headers = signed(body);
      else if (variant === 'unsigned') headers = { 'content-type': 'application/json' };
      else if (variant === 'bad-signature') headers = { ...signed(body), 'webhook-signature': `v1,${Buffer.alloc(32, 7).toString('base64')}` };
      else if (variant === 'wrong-content-type') headers = { ...signed(body), 'content-type': 'text/plain' };
      else if (variant === 'stale') headers = signed(body, clockSeconds - 3_600);
      else headers = { 'content-type': 'application/json', 'webhook-id': 'x'.repeat(5_000), 'webhook-timestamp': 'NaN', 'webhook-signature': 'v1,not base64!!' };
      const status = await post(body, headers);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }), { numRuns: 2_000 });
    expect(requests).toBe(2_000);
    expect(await counts(opened.store)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a body over 1 MB is refused with 413 before anything is written', async () => {
    const body = JSON.stringify({ site: 'x', events: [{ padding: 'x'.repeat(1_100_000) }] });
    expect(await post(body, signed(body))).toBe(413);
  });

  test('the replay window accepts ±299 seconds and refuses ±301 seconds', async () => {
    const body = JSON.stringify({ site: 'test.shop', events: [productUpserted(77, 'WINDOW', 1)] });
    for (const offset of [-301, 301]) expect(await post(body, signed(body, clockSeconds + offset))).toBe(401);
    const accepted = await Promise.all([-299, 299].map((offset) => post(body, signed(body, clockSeconds + offset))));
    expect(accepted).toEqual([200, 200]);
    expect(Number((await opened.store.db.selectFrom('movement').select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow()).count)).toBe(1);
  });
});

describe('the events endpoint when the database cannot commit', () => {
  test('answers 503 with Retry-After while MariaDB is gone, and applies again once it is back', async () => {
    const database = await createTestDatabase('mysql');
    const proxy = await startTcpProxy('127.0.0.1', 3306);
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const store = await openStore(url.toString());
    await migrateToLatest(store.db as never);
    const secret = newSecret();
    const live = await serve(store, secret, () => Math.floor(Date.now() / 1000));
    const send = async (sku: string, productId: number): Promise<Response> => {
      const body = JSON.stringify({ site: 'test.shop', events: [productUpserted(productId, sku, 1)] });
      const id = `msg_${randomUUID()}`;
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(`${live.url}/v1/events`, { method: 'POST', headers: signedHeaders(secret, id, timestamp, body), body });
    };
    try {
      proxy.cut();
      const down = await send('DOWN', 88);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      proxy.restore();
      const back = await send('BACK', 89);
      expect(back.status).toBe(200);
      const skus = await store.db.selectFrom('sku').select('code').where('code', 'in', ['DOWN', 'BACK']).execute();
      expect(skus.map((row) => row.code)).toEqual(['BACK']);
    } finally {
      await live.close();
      await store.close();
      await proxy.close();
      await database.drop();
    }
  });
});
