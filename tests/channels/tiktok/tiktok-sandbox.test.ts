/**
 * The TikTok Shop sandbox refuses what TikTok refuses, with TikTok's envelope and codes, and its
 * answers have the documented shapes. No official model exists, so the shapes are the fixtures
 * written from the Partner Center documentation (daemon/src/sandbox/tiktok/schemas/requests.json).
 */
import { signRequest } from '../../../daemon/src/channels/tiktok/tiktok-sign.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/tiktok/index.js';
import { fixtureProblems } from '../../../daemon/src/sandbox/tiktok/tiktok-envelope.js';
import { sandboxCall, seedListings } from '../conformance.js';

interface Envelope { code: number; message: string; request_id: string; data?: any }

describe('the TikTok Shop sandbox', () => {
  let sandbox: SandboxHandle;
  let token: string;
  let productId: string;
  let skuId: string;
  let warehouseId: string;

  beforeAll(async () => {
    sandbox = await startSandbox(createSandboxDefinition({ seed: 11 }), { rateLimits: 'unlimited' });
    const [listing] = await seedListings(sandbox, [{ sku: 'TT-REJECT', quantity: 5 }]);
    const identifiers = listing!.identifiers;
    productId = identifiers.productId!;
    skuId = identifiers.skuId!;
    warehouseId = identifiers.warehouseId!;
    const { app_key: appKey, app_secret: appSecret, refresh_token: refreshToken } = sandbox.credentials as Record<string, string>;
    const answer = await (await fetch(`${sandbox.baseUrl}/api/v2/token/refresh?app_key=${appKey}&app_secret=${appSecret}&refresh_token=${refreshToken}&grant_type=refresh_token`)).json() as Envelope;
    token = answer.data.access_token;
  });
  afterAll(async () => sandbox.close());

  async function call(path: string, body: unknown, options: { query?: Record<string, string>; timestamp?: number; accessToken?: string; method?: string } = {}): Promise<{ status: number; json: Envelope }> {
    const { app_key: appKey, app_secret: appSecret } = sandbox.credentials as Record<string, string>;
    const query = { app_key: appKey!, timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)), ...options.query };
    const text = body === undefined ? '' : JSON.stringify(body);
    const sign = signRequest({ appSecret: appSecret!, path, query, body: text });
    const url = `${sandbox.baseUrl}${path}?${new URLSearchParams({ ...query, sign }).toString()}`;
    const response = await fetch(url, { method: options.method ?? 'POST', headers: { 'content-type': 'application/json', 'x-tts-access-token': options.accessToken ?? token }, ...(text ? { body: text } : {}) });
    return { status: response.status, json: await response.json() as Envelope };
  }
  const inventoryPath = () => `/product/202309/products/${productId}/inventory/update`;

  test('a body without skus is refused with 36009001 naming the field, and nothing changes', async () => {
    const { status, json } = await call(inventoryPath(), { items: [] });
    expect(status).toBe(400);
    expect(json.code).toBe(36009001);
    expect(json.message).toMatch(/skus/);
    expect(fixtureProblems('envelope', json)).toEqual([]);
    expect((await sandboxCall<{ quantity: number }>(sandbox, 'GET', '/listings/TT-REJECT')).quantity).toBe(5);
  });

  test('a quantity above 99,999 fails that SKU with 12052055 and keeps the old quantity', async () => {
    const { json } = await call(inventoryPath(), { skus: [{ id: skuId, inventory: [{ warehouse_id: warehouseId, quantity: 100_000 }] }] });
    expect(json.code).toBe(0);
    expect(json.data.errors).toEqual([expect.objectContaining({ code: 12052055, detail: { sku_id: skuId } })]);
    expect((await sandboxCall<{ quantity: number }>(sandbox, 'GET', '/listings/TT-REJECT')).quantity).toBe(5);
  });

  test('an unknown product is refused with 404 and 12052001', async () => {
    const { status, json } = await call('/product/202309/products/999999999/inventory/update', { skus: [{ id: skuId, inventory: [{ quantity: 1 }] }] });
    expect(status).toBe(404);
    expect(json.code).toBe(12052001);
  });

  test('a timestamp outside −5 minutes / +30 seconds is refused with 106002', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now + 31]) expect((await call(inventoryPath(), { skus: [{ id: skuId, inventory: [{ quantity: 2 }] }] }, { timestamp })).json.code).toBe(106002);
    expect((await call(inventoryPath(), { skus: [{ id: skuId, inventory: [{ quantity: 2 }] }] }, { timestamp: now - 290 })).json.code).toBe(0);
  });

  test('an unknown access token is refused with 105001 and an expired one with 105002', async () => {
    expect((await call(inventoryPath(), { skus: [{ id: skuId, inventory: [{ quantity: 3 }] }] }, { accessToken: 'ROW_not-a-token' })).json.code).toBe(105001);
    await sandboxCall(sandbox, 'POST', '/tokens/expire');
    expect((await call(inventoryPath(), { skus: [{ id: skuId, inventory: [{ quantity: 3 }] }] })).json.code).toBe(105002);
    const { app_key: appKey, app_secret: appSecret, refresh_token: refreshToken } = sandbox.credentials as Record<string, string>;
    token = (await (await fetch(`${sandbox.baseUrl}/api/v2/token/refresh?app_key=${appKey}&app_secret=${appSecret}&refresh_token=${refreshToken}&grant_type=refresh_token`)).json() as Envelope).data.access_token;
  });

  test('a page size above 100 and an unknown filter are refused with 36009001', async () => {
    expect((await call('/product/202309/products/search', {}, { query: { page_size: '101' } })).json.code).toBe(36009001);
    expect((await call('/product/202309/products/search', { colour: 'red' }, { query: { page_size: '10' } })).json.code).toBe(36009001);
  });

  test('product and order searches answer in the documented envelope and shapes', async () => {
    await sandboxCall(sandbox, 'POST', '/orders', { lines: [{ sku: 'TT-REJECT', quantity: 2 }] });
    const products = await call('/product/202309/products/search', { status: 'ACTIVATE' }, { query: { page_size: '10' } });
    expect(fixtureProblems('envelope', products.json)).toEqual([]);
    expect(products.json.data.products[0]).toMatchObject({ id: productId, skus: [{ id: skuId, seller_sku: 'TT-REJECT', inventory: [{ warehouse_id: warehouseId, quantity: expect.any(Number) }] }] });
    const orders = await call('/order/202309/orders/search', { update_time_ge: 0 }, { query: { page_size: '10' } });
    expect(fixtureProblems('envelope', orders.json)).toEqual([]);
    expect(orders.json.data.orders[0]).toMatchObject({ status: 'AWAITING_SHIPMENT', line_items: [expect.objectContaining({ seller_sku: 'TT-REJECT' }), expect.objectContaining({ seller_sku: 'TT-REJECT' })] });
    expect(typeof orders.json.data.next_page_token).toBe('string');
  });
});
