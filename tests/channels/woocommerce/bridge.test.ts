/** The plugin bridge's guarantees over real HTTP, and an independent WooCommerce client against the sandbox. */
import WooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import { Webhook } from 'standardwebhooks';
import { adjustmentKey, planAdjustment } from '../../../daemon/src/channels/woocommerce/adjustments.js';
import { createChannel } from '../../../daemon/src/channels/woocommerce/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/woocommerce/index.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, sandboxQuantity, seedListings } from '../conformance.js';

// The package is CommonJS with a default export; under ESM the class may sit on .default.
const WooCommerceRestApi = ((WooCommerceRestApiModule as unknown as { default?: unknown }).default ?? WooCommerceRestApiModule) as unknown as new (options: object) => { get(path: string, params?: object): Promise<{ data: any; headers: Record<string, string> }> };

let sandbox: SandboxHandle;
beforeAll(async () => { sandbox = await startSandbox(createSandboxDefinition({ seed: 5 }), { rateLimits: 'unlimited' }); });
afterAll(async () => { await sandbox.close(); });
beforeEach(async () => { await sandboxCall(sandbox, 'POST', '/reset'); });

async function postAdjustments(body: string, secret = sandbox.credentials.webhookSecret!, at = new Date()) {
  const signature = new Webhook(secret).sign('msg_test', at, body);
  const response = await fetch(`${sandbox.baseUrl}/wp-json/shelfguard/v1/adjustments`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'msg_test', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature }, body });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

describe('WooCommerce adjustments', () => {
  test('turns an absolute target into a delta against the level read, keyed by SKU, version and that level', () => {
    expect(planAdjustment('TEST-1', 10, 7, 5, 8)).toEqual({ key: adjustmentKey('TEST-1', 7, 8), product_id: 10, sku: 'TEST-1', delta: -3, reason: 'reconcile', reference: 'shelfguard://push/TEST-1/v7' });
    expect(planAdjustment('TEST-1', 10, 7, 8, 8)).toBeUndefined();
    expect(adjustmentKey('TEST-1', 7, 8)).not.toBe(adjustmentKey('TEST-1', 7, 9));
    expect(adjustmentKey('a b/ü', 1, -3)).toMatch(/^[A-Za-z0-9:_./@-]+$/);
  });

  test('a retried push is answered duplicate and applied once, even by a connector that lost its memory', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'WOO-RETRY', quantity: 10 }]);
    const first = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    expect(await first.pushQuantities([{ listing: listing!, quantity: 4, version: 3 }], 'single')).toMatchObject([{ status: 'applied' }]);
    expect(await sandboxQuantity(sandbox, 'WOO-RETRY')).toBe(4);
    // A second connector reads the level (4) afresh: the same (SKU, version) now plans delta 0 and sends nothing.
    const again = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    expect(await again.pushQuantities([{ listing: listing!, quantity: 4, version: 3 }], 'single')).toMatchObject([{ status: 'applied' }]);
    // The exact bytes resent (a lost response) are a duplicate with the level after the first apply.
    const body = JSON.stringify({ adjustments: [planAdjustment('WOO-RETRY', Number(listing!.identifiers.productId), 3, 4, 10)] });
    expect((await postAdjustments(body)).body).toEqual({ results: [{ key: adjustmentKey('WOO-RETRY', 3, 10), status: 'duplicate', stock_after: 4 }] });
    expect(await sandboxQuantity(sandbox, 'WOO-RETRY')).toBe(4);
  });

  test('a sale WooCommerce made on its own is not taken off a second time by the next push', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'WOO-OWN-SALE', quantity: 10 }]);
    const channel = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    expect(await channel.pushQuantities([{ listing: listing!, quantity: 10, version: 1 }], 'single')).toMatchObject([{ status: 'applied' }]);
    // WooCommerce sells one unit itself; the ledger learns it from the plugin and publishes 9.
    await sandboxCall(sandbox, 'PUT', '/listings/WOO-OWN-SALE/quantity', { quantity: 9 });
    expect(await channel.pushQuantities([{ listing: listing!, quantity: 9, version: 2 }], 'single')).toMatchObject([{ status: 'applied' }]);
    expect(await sandboxQuantity(sandbox, 'WOO-OWN-SALE')).toBe(9);
  });

  test('refuses a wrong signature and a stale timestamp with a WP_Error 401, applying nothing', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'WOO-SIG', quantity: 10 }]);
    const body = JSON.stringify({ adjustments: [planAdjustment('WOO-SIG', Number(listing!.identifiers.productId), 1, 0, 10)] });
    expect(await postAdjustments(body, `whsec_${Buffer.from('another-secret-entirely').toString('base64')}`)).toEqual({ status: 401, body: { code: 'shelfguard_invalid_signature', message: expect.any(String), data: { status: 401 } } });
    expect((await postAdjustments(body, undefined, new Date(Date.now() - 301_000))).status).toBe(401);
    expect(await sandboxQuantity(sandbox, 'WOO-SIG')).toBe(10);
  });

  test('refuses a batch that breaks adjustments.schema.json with 400, and rejects unknown products per item', async () => {
    expect(await postAdjustments(JSON.stringify({ adjustments: [{ key: 'short', product_id: 1, delta: 0, reason: 'sold' }] }))).toMatchObject({ status: 400, body: { code: 'rest_invalid_param', data: { status: 400 } } });
    expect((await postAdjustments(JSON.stringify({ adjustments: [{ key: 'shelfguard:x:1', product_id: 999_999, delta: 1, reason: 'correction' }] }))).body).toEqual({ results: [{ key: 'shelfguard:x:1', status: 'rejected', code: 'unknown_product', message: expect.any(String) }] });
  });

  test('the independent @woocommerce/woocommerce-rest-api client lists products with WordPress paging headers', async () => {
    await seedListings(sandbox, [{ sku: 'WOO-P', isParent: true }, { sku: 'WOO-P-RED', quantity: 2, parentSku: 'WOO-P', attributes: { color: 'Red' } }, { sku: 'WOO-SIMPLE', quantity: 6 }]);
    const api = new WooCommerceRestApi({ url: sandbox.baseUrl, consumerKey: 'unused', consumerSecret: 'unused', version: 'wc/v3', axiosConfig: { auth: { username: sandbox.credentials.username!, password: sandbox.credentials.applicationPassword! } } });
    const products = await api.get('products', { per_page: 1, page: 2 });
    expect(products.headers['x-wp-total']).toBe('2');
    expect(products.headers['x-wp-totalpages']).toBe('2');
    expect(products.data).toEqual([expect.objectContaining({ sku: 'WOO-SIMPLE', manage_stock: true, stock_quantity: 6 })]);
    const parent = (await api.get('products', { per_page: 100 })).data.find((product: { sku: string }) => product.sku === 'WOO-P');
    const variations = await api.get(`products/${parent.id}/variations`, { per_page: 100 });
    expect(variations.data).toEqual([expect.objectContaining({ sku: 'WOO-P-RED', stock_quantity: 2, parent_id: parent.id })]);
  });
});
