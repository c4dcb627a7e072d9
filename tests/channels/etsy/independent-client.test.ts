/**
 * An independent client against the Etsy sandbox: openapi-client-axios, a generic OpenAPI client
 * no one here wrote, driven by Etsy's official model (the committed subset of 3.0.0.json), over
 * real HTTP. Every answer is checked against the official response schemas.
 */
import { OpenAPIClientAxios, type Document } from 'openapi-client-axios';
import { createChannel } from '../../../daemon/src/channels/etsy/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/etsy/index.js';
import { etsyModel, validateResponse } from '../../../daemon/src/sandbox/etsy/openapi-model.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, seedListings } from '../conformance.js';

let sandbox: SandboxHandle;
// openapi-client-axios generates one method per operationId; typed loosely on purpose.
let client: Record<string, (parameters?: unknown, body?: unknown) => Promise<{ status: number; data: unknown }>>;

beforeAll(async () => {
  sandbox = await startSandbox(createSandboxDefinition({ seed: 11 }), { rateLimits: 'unlimited' });
  const tokenResponse = await fetch(`${sandbox.baseUrl}/v3/public/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: sandbox.credentials.keystring!, refresh_token: sandbox.credentials.refreshToken! }).toString() });
  const { access_token: accessToken } = await tokenResponse.json() as { access_token: string };
  const api = new OpenAPIClientAxios({
    definition: etsyModel as unknown as Document,
    axiosConfigDefaults: { baseURL: sandbox.baseUrl, headers: { 'x-api-key': `${sandbox.credentials.keystring}:${sandbox.credentials.sharedSecret}`, authorization: `Bearer ${accessToken}` } },
  });
  client = await api.init() as unknown as typeof client;
  await seedListings(sandbox, [
    { sku: 'IND-PARENT', isParent: true },
    { sku: 'IND-RED', quantity: 3, parentSku: 'IND-PARENT', attributes: { color: 'Red', size: 'M' }, price: '21.50' } as never,
    { sku: 'IND-BLUE', quantity: 4, parentSku: 'IND-PARENT', attributes: { color: 'Blue', size: 'M' }, price: '22.00' } as never,
    { sku: 'IND-SOLO', quantity: 1 },
  ]);
});
afterAll(async () => { await sandbox.close(); });

describe('openapi-client-axios with Etsy\'s official model against the sandbox', () => {
  test('pings with the API key and gets the documented Pong', async () => {
    const response = await client.ping!();
    expect(response.status).toBe(200);
    expect(validateResponse('ping', response.data)).toBeUndefined();
  });

  test('lists the shop\'s listings with inventory in the documented shape', async () => {
    const response = await client.getListingsByShop!({ shop_id: Number(sandbox.credentials.shopId), limit: 100, includes: 'Inventory' });
    expect(validateResponse('getListingsByShop', response.data)).toBeUndefined();
    const data = response.data as { count: number; results: Array<{ skus: string[]; inventory: { products: unknown[] } }> };
    expect(data.count).toBe(2);
    expect(data.results.find((listing) => listing.skus.includes('IND-RED'))?.inventory.products).toHaveLength(2);
  });

  test('reads listings by id, with inventory, in the documented shape (unknown ids left out)', async () => {
    const { listings } = await sandboxCall<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>(sandbox, 'GET', '/state');
    const ids = ['IND-RED', 'IND-SOLO'].map((sku) => Number(listings.find((listing) => listing.sku === sku)!.identifiers.listingId));
    // Etsy takes arrays comma-separated (axios would write listing_ids[]=…, which Etsy does not read).
    const response = await client.getListingsByListingIds!({ listing_ids: [...ids, 1_999_999_999].join(','), includes: 'Inventory' });
    expect(validateResponse('getListingsByListingIds', response.data)).toBeUndefined();
    const data = response.data as { count: number; results: Array<{ listing_id: number; skus: string[]; inventory: { products: unknown[] } }> };
    expect(data.results.map((listing) => listing.listing_id).sort()).toEqual([...ids].sort());
    expect(data.results.find((listing) => listing.skus.includes('IND-RED'))?.inventory.products).toHaveLength(2);
  });

  test('reads and writes a listing inventory, and our connector\'s later push keeps its prices and property values', async () => {
    const { listings } = await sandboxCall<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>(sandbox, 'GET', '/state');
    const red = listings.find((listing) => listing.sku === 'IND-RED')!;
    const listingId = Number(red.identifiers.listingId);
    const before = (await client.getListingInventory!({ listing_id: listingId })).data as { products: Array<{ sku: string; property_values: unknown[]; offerings: Array<{ price: unknown; quantity: number }> }>; quantity_on_property: number[] };
    expect(validateResponse('getListingInventory', before)).toBeUndefined();
    // A write by the independent client: raise the blue price, as a seller's tool might.
    const body = {
      products: before.products.map((product) => ({ sku: product.sku, property_values: product.property_values.map((value) => { const { scale_name: _dropped, ...rest } = value as Record<string, unknown>; return rest; }), offerings: [{ price: product.sku === 'IND-BLUE' ? 23.25 : 21.5, quantity: product.offerings[0]!.quantity, is_enabled: true }] })),
      price_on_property: [], quantity_on_property: before.quantity_on_property, sku_on_property: before.quantity_on_property,
    };
    const written = await client.updateListingInventory!({ listing_id: listingId }, body);
    expect(written.status).toBe(200);
    expect(validateResponse('updateListingInventory', written.data)).toBeUndefined();

    const channel = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    const [result] = await channel.pushQuantities([{ listing: { sku: 'IND-RED', identifiers: red.identifiers }, quantity: 8, version: 1 }], 'single');
    expect(result).toMatchObject({ status: 'applied' });
    const after = (await client.getListingInventory!({ listing_id: listingId })).data as typeof before;
    const view = (inventory: typeof before) => inventory.products.map((product) => ({ sku: product.sku, property_values: product.property_values, price: product.offerings[0]!.price }));
    expect(view(after)).toEqual(view(before).map((product) => (product.sku === 'IND-BLUE' ? { ...product, price: { amount: 2325, divisor: 100, currency_code: 'USD' } } : product)));
    expect(after.products.find((product) => product.sku === 'IND-RED')!.offerings[0]!.quantity).toBe(8);
    expect(after.products.find((product) => product.sku === 'IND-BLUE')!.offerings[0]!.quantity).toBe(4);
  });

  test('reads receipts and one receipt in the documented shape', async () => {
    const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'IND-SOLO', quantity: 1 }] });
    const page = await client.getShopReceipts!({ shop_id: Number(sandbox.credentials.shopId), min_last_modified: 946_684_800, limit: 100 });
    expect(validateResponse('getShopReceipts', page.data)).toBeUndefined();
    const one = await client.getShopReceipt!({ shop_id: Number(sandbox.credentials.shopId), receipt_id: Number(order.orderId) });
    expect(validateResponse('getShopReceipt', one.data)).toBeUndefined();
    expect(one.data).toMatchObject({ receipt_id: Number(order.orderId), status: 'paid', transactions: [{ sku: 'IND-SOLO', quantity: 1 }] });
  });

  test('the official model lists every operation the sandbox serves', () => {
    const served = Object.values(etsyModel.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId)).sort();
    expect(served).toEqual(['getListingInventory', 'getListingsByListingIds', 'getListingsByShop', 'getShopReceipt', 'getShopReceipts', 'ping', 'updateListingInventory']);
  });
});
