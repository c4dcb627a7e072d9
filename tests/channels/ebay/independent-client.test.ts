/**
 * Clients no one here wrote, against the eBay sandbox over real HTTP: the `ebay-api` npm
 * package (hendt/ebay-api) with its own OAuth refresh, Inventory, Fulfillment, Notification and
 * Trading code, its requests redirected from eBay's host to the sandbox by an axios interceptor;
 * and Node's own crypto verifying a delivered notification the way eBay's Node SDK does.
 */
import { createVerify } from 'node:crypto';
import eBayApi from 'ebay-api';
import { AxiosRequest } from 'ebay-api/lib/request.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/ebay/index.js';
import { sandboxCall, seedListings, startNotificationReceiver, waitFor } from '../conformance.js';

let sandbox: SandboxHandle;
let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;

/** An ebay-api instance whose every request (REST, OAuth, Trading) lands on the sandbox. */
function ebayClient(): InstanceType<typeof eBayApi> {
  const request = new AxiosRequest();
  request.instance.interceptors.request.use((config) => {
    config.url = config.url?.replace(/^https:\/\/api\.ebay\.com/, sandbox.baseUrl);
    return config;
  });
  const client = new eBayApi({ appId: sandbox.credentials.clientId!, certId: sandbox.credentials.clientSecret!, devId: 'sandbox-dev-id', sandbox: false, autoRefreshToken: true }, request);
  // A user token that is no longer valid, with the seller's genuine refresh token: the library
  // must refresh by itself against the sandbox's token endpoint.
  client.OAuth2.setCredentials({ access_token: 'v^1.1#stale', refresh_token: sandbox.credentials.refreshToken!, expires_in: 7200, refresh_token_expires_in: 47304000, token_type: 'User Access Token' });
  client.OAuth2.setScope(['https://api.ebay.com/oauth/api_scope/sell.inventory', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment']);
  return client;
}

beforeAll(async () => {
  receiver = await startNotificationReceiver();
  sandbox = await startSandbox(createSandboxDefinition({ seed: 3 }), { rateLimits: 'unlimited', notifyUrl: `${receiver.url}/v1/webhooks/ebay` });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(async () => {
  await sandboxCall(sandbox, 'POST', '/reset');
  receiver.received.length = 0;
});

describe('the ebay-api package against the eBay sandbox', () => {
  test('refreshes its stale token and updates quantities with bulkUpdatePriceQuantity', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'IND-1', quantity: 1 }]);
    const client = ebayClient();
    const answer = await client.sell.inventory.bulkUpdatePriceQuantity({ requests: [{ sku: 'IND-1', shipToLocationAvailability: { quantity: 12 }, offers: [{ offerId: listing!.identifiers.offerId!, availableQuantity: 12 }] }] });
    expect(answer).toEqual({ responses: [{ statusCode: 200, sku: 'IND-1', offerId: listing!.identifiers.offerId }] });
    expect((await sandboxCall<{ quantity: number }>(sandbox, 'GET', '/listings/IND-1')).quantity).toBe(12);
  });

  test('reads inventory items, bulk-gets them and reads an item group', async () => {
    await seedListings(sandbox, [{ sku: 'SHIRT', isParent: true }, { sku: 'SHIRT-M', parentSku: 'SHIRT', quantity: 3, attributes: { Size: 'M' } }, { sku: 'SHIRT-L', parentSku: 'SHIRT', quantity: 4, attributes: { Size: 'L' } }]);
    const client = ebayClient();
    const page = await client.sell.inventory.getInventoryItems({ limit: 200, offset: 0 });
    expect(page).toMatchObject({ total: 2, inventoryItems: [{ sku: 'SHIRT-L' }, { sku: 'SHIRT-M' }] });
    const bulk = await client.sell.inventory.bulkGetInventoryItem({ requests: [{ sku: 'SHIRT-M' }] });
    expect(bulk.responses[0]).toMatchObject({ statusCode: 200, inventoryItem: { availability: { shipToLocationAvailability: { quantity: 3 } } } });
    const group = await client.sell.inventory.getInventoryItemGroup('SHIRT');
    expect(group).toMatchObject({ variantSKUs: ['SHIRT-L', 'SHIRT-M'], variesBy: { specifications: [{ name: 'Size' }] } });
  });

  test('polls orders with a lastmodifieddate filter and reads one order', async () => {
    await seedListings(sandbox, [{ sku: 'IND-ORDER', quantity: 5 }]);
    const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'IND-ORDER', quantity: 2 }] });
    const client = ebayClient();
    const orders = await client.sell.fulfillment.getOrders({ filter: `lastmodifieddate:[${new Date(Date.now() - 60_000).toISOString()}..]`, limit: 50 });
    expect(orders.orders.map((entry: { orderId: string }) => entry.orderId)).toContain(order.orderId);
    expect(await client.sell.fulfillment.getOrder(order.orderId)).toMatchObject({ orderId: order.orderId, lineItems: [{ sku: 'IND-ORDER', quantity: 2 }] });
  });

  test('revises a legacy listing with Trading ReviseInventoryStatus through the IAF header', async () => {
    await seedListings(sandbox, [{ sku: 'LEGACY-1', quantity: 1 }]);
    const converted = await (await fetch(`${sandbox.baseUrl}/_sandbox/ebay/listings/LEGACY-1/trading`, { method: 'POST' })).json() as { identifiers: { tradingItemId: string } };
    const client = ebayClient();
    const answer = await client.trading.ReviseInventoryStatus({ InventoryStatus: [{ ItemID: converted.identifiers.tradingItemId, Quantity: 8 }] });
    // The library collapses a single InventoryStatus node into an object and parses numbers.
    expect(answer).toMatchObject({ Ack: 'Success', InventoryStatus: { ItemID: Number(converted.identifiers.tradingItemId), Quantity: 8 } });
    expect((await sandboxCall<{ quantity: number }>(sandbox, 'GET', '/listings/LEGACY-1')).quantity).toBe(8);
  });

  test('fetches the notification key with getPublicKey, and Node crypto verifies a delivered ORDER_CONFIRMATION as eBay\'s SDK does', async () => {
    await seedListings(sandbox, [{ sku: 'IND-NOTE', quantity: 5 }]);
    const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'IND-NOTE', quantity: 1 }] });
    const delivered = await waitFor(async () => receiver.received[0], 5_000, 'a notification');
    const header = JSON.parse(Buffer.from(delivered.headers['x-ebay-signature']!, 'base64').toString('ascii')) as { kid: string; signature: string; digest: string; alg: string };
    const client = ebayClient();
    const publicKey = await client.commerce.notification.getPublicKey(header.kid);
    expect(publicKey).toMatchObject({ algorithm: 'ECDSA', digest: 'SHA1' });
    // eBay's Node SDK: re-serialise the parsed message, put the key's markers on their own lines, verify with ssl3-sha1.
    const message = JSON.parse(delivered.rawBody.toString('utf8')) as { metadata: { topic: string }; notification: { data: { orderId: string } } };
    expect(JSON.stringify(message)).toBe(delivered.rawBody.toString('utf8'));
    const pem = (publicKey.key as string).replace('-----BEGIN PUBLIC KEY-----', '-----BEGIN PUBLIC KEY-----\n').replace('-----END PUBLIC KEY-----', '\n-----END PUBLIC KEY-----');
    const verifier = createVerify('sha1');
    verifier.update(JSON.stringify(message));
    expect(verifier.verify(pem, header.signature, 'base64')).toBe(true);
    expect(message).toMatchObject({ metadata: { topic: 'ORDER_CONFIRMATION' }, notification: { data: { orderId: order.orderId } } });
  });

  test('sees eBay\'s errorId 1100 when it calls a Sell API with only an application token', async () => {
    const request = new AxiosRequest();
    request.instance.interceptors.request.use((config) => ({ ...config, url: config.url?.replace(/^https:\/\/api\.ebay\.com/, sandbox.baseUrl) }));
    const client = new eBayApi({ appId: sandbox.credentials.clientId!, certId: sandbox.credentials.clientSecret!, sandbox: false, autoRefreshToken: false }, request);
    await expect(client.sell.inventory.getInventoryItems()).rejects.toMatchObject({ meta: { res: { status: 403 } } });
  });
});
