/**
 * The eBay sandbox refuses what eBay refuses, with eBay's error bodies, and what it answers
 * validates against eBay's official models (schemas extracted from the OAS3 files).
 */
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/ebay/index.js';
import { schemaProblem, type SchemaName } from '../../../daemon/src/sandbox/ebay/schema-validation.js';
import { sandboxCall, seedListings } from '../conformance.js';

let sandbox: SandboxHandle;
const definition = createSandboxDefinition({ seed: 7 });
let userToken: string;
let appToken: string;

async function token(grant: Record<string, string>, authorization?: string): Promise<Response> {
  const { clientId, clientSecret } = sandbox.credentials;
  return fetch(`${sandbox.baseUrl}/identity/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: authorization ?? `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: new URLSearchParams(grant).toString(),
  });
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${userToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  return { status: response.status, body: parsed, text };
}

function expectValid(schema: SchemaName, body: unknown): void {
  expect(schemaProblem(schema, body)).toBeUndefined();
}

function expectEbayError(result: { status: number; body: any }, status: number, errorId: number): void {
  expect(result.status).toBe(status);
  expectValid('ErrorResponse.fixture', result.body);
  expect(result.body.errors[0].errorId).toBe(errorId);
}

beforeAll(async () => {
  sandbox = await startSandbox(definition, { rateLimits: 'unlimited' });
  userToken = ((await (await token({ grant_type: 'refresh_token', refresh_token: sandbox.credentials.refreshToken!, scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory' })).json()) as { access_token: string }).access_token;
  appToken = ((await (await token({ grant_type: 'client_credentials', scope: 'https://api.ebay.com/oauth/api_scope' })).json()) as { access_token: string }).access_token;
});
afterAll(() => sandbox.close());
beforeEach(() => sandboxCall(sandbox, 'POST', '/reset'));

describe('the eBay sandbox token endpoint', () => {
  test('refuses a wrong client secret with invalid_client', async () => {
    const response = await token({ grant_type: 'client_credentials', scope: 'https://api.ebay.com/oauth/api_scope' }, `Basic ${Buffer.from('a:b').toString('base64')}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  test('refuses a wrong refresh token with invalid_grant', async () => {
    const response = await token({ grant_type: 'refresh_token', refresh_token: 'v^1.1#wrong', scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('refuses an unknown scope with invalid_scope and an unknown grant with unsupported_grant_type', async () => {
    expect(await (await token({ grant_type: 'refresh_token', refresh_token: sandbox.credentials.refreshToken!, scope: 'https://api.ebay.com/oauth/api_scope/sell.everything' })).json()).toMatchObject({ error: 'invalid_scope' });
    expect(await (await token({ grant_type: 'password' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});

describe('the eBay sandbox REST APIs', () => {
  test('refuse a missing or expired token with 401 errorId 1001', async () => {
    expectEbayError(await call('GET', '/sell/inventory/v1/inventory_item', undefined, { authorization: 'Bearer nope' }), 401, 1001);
    const fresh = ((await (await token({ grant_type: 'refresh_token', refresh_token: sandbox.credentials.refreshToken!, scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory' })).json()) as { access_token: string }).access_token;
    await sandboxCall(sandbox, 'POST', '/tokens/expire');
    expectEbayError(await call('GET', '/sell/inventory/v1/inventory_item', undefined, { authorization: `Bearer ${fresh}` }), 401, 1001);
    userToken = ((await (await token({ grant_type: 'refresh_token', refresh_token: sandbox.credentials.refreshToken!, scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory' })).json()) as { access_token: string }).access_token;
    appToken = ((await (await token({ grant_type: 'client_credentials', scope: 'https://api.ebay.com/oauth/api_scope' })).json()) as { access_token: string }).access_token;
  });

  test('refuse an application token on the Sell APIs with 403 errorId 1100', async () => {
    expectEbayError(await call('GET', '/sell/inventory/v1/inventory_item', undefined, { authorization: `Bearer ${appToken}` }), 403, 1100);
  });

  test.each([
    ['a quantity that is a string', { requests: [{ sku: 'A', shipToLocationAvailability: { quantity: '5' } }] }],
    ['requests that is not an array', { requests: { sku: 'A' } }],
    ['26 entries', { requests: Array.from({ length: 26 }, (_, index) => ({ sku: `S${index}`, shipToLocationAvailability: { quantity: 1 } })) }],
    ['an entry without a sku', { requests: [{ shipToLocationAvailability: { quantity: 1 } }] }],
    ['a negative quantity', { requests: [{ sku: 'A', shipToLocationAvailability: { quantity: -1 } }] }],
    ['a duplicate offerId', { requests: [{ sku: 'A', offers: [{ offerId: '1', availableQuantity: 1 }] }, { sku: 'B', offers: [{ offerId: '1', availableQuantity: 1 }] }] }],
  ])('bulkUpdatePriceQuantity refuses %s with 400 errorId 25709', async (_name, body) => {
    expectEbayError(await call('POST', '/sell/inventory/v1/bulk_update_price_quantity', body), 400, 25709);
  });

  test('bulkUpdatePriceQuantity refuses malformed JSON and a wrong content type with errorId 2004', async () => {
    expectEbayError(await call('POST', '/sell/inventory/v1/bulk_update_price_quantity', '{"requests": ['), 400, 2004);
    expectEbayError(await call('POST', '/sell/inventory/v1/bulk_update_price_quantity', '{}', { 'content-type': 'text/plain' }), 415, 2004);
  });

  test('bulkUpdatePriceQuantity answers per SKU, 207 when mixed, and its answer matches the official model', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'R-1', quantity: 3 }]);
    const result = await call('POST', '/sell/inventory/v1/bulk_update_price_quantity', { requests: [
      { sku: 'R-1', shipToLocationAvailability: { quantity: 9 }, offers: [{ offerId: listing!.identifiers.offerId!, availableQuantity: 6 }] },
      { sku: 'R-MISSING', shipToLocationAvailability: { quantity: 1 } },
    ] });
    expect(result.status).toBe(207);
    expectValid('BulkPriceQuantityResponse', result.body);
    expect(result.body.responses).toEqual([
      { statusCode: 200, sku: 'R-1', offerId: listing!.identifiers.offerId },
      expect.objectContaining({ statusCode: 404, sku: 'R-MISSING', errors: [expect.objectContaining({ errorId: 25702 })] }),
    ]);
    // The listing shows the smaller of ship-to-home and the offer's available quantity.
    expect((await sandboxCall<{ quantity: number }>(sandbox, 'GET', '/listings/R-1')).quantity).toBe(6);
  });

  test('an offer of another SKU is refused for that entry with errorId 25713', async () => {
    const listings = await seedListings(sandbox, [{ sku: 'O-1' }, { sku: 'O-2' }]);
    const result = await call('POST', '/sell/inventory/v1/bulk_update_price_quantity', { requests: [{ sku: 'O-1', offers: [{ offerId: listings[1]!.identifiers.offerId!, availableQuantity: 2 }] }] });
    expect(result.body.responses[0]).toMatchObject({ statusCode: 400, errors: [{ errorId: 25713 }] });
  });

  test('the 251st revision of a listing in one day is refused', async () => {
    await seedListings(sandbox, [{ sku: 'REV-1', quantity: 1 }]);
    await fetch(`${sandbox.baseUrl}/_sandbox/ebay/listings/REV-1/revisions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 249 }) });
    const push = (quantity: number) => call('POST', '/sell/inventory/v1/bulk_update_price_quantity', { requests: [{ sku: 'REV-1', shipToLocationAvailability: { quantity } }] });
    expect((await push(2)).status).toBe(200);
    const refused = await push(3);
    expect(refused.body.responses[0]).toMatchObject({ statusCode: 400, errors: [{ errorId: 25002 }] });
    expect(refused.body.responses[0].errors[0].message).toMatch(/250 revisions in one calendar day/);
  });

  test('getInventoryItems pages by page number, refuses a limit over 200, and matches the official model', async () => {
    await seedListings(sandbox, [{ sku: 'P', isParent: true }, { sku: 'P-RED', parentSku: 'P', quantity: 2, attributes: { Color: 'Red' } }, { sku: 'Q', quantity: 5 }]);
    const page = await call('GET', '/sell/inventory/v1/inventory_item?limit=1&offset=1');
    expectValid('InventoryItems', page.body);
    expect(page.body).toMatchObject({ total: 2, size: 1, inventoryItems: [{ sku: 'Q' }] });
    expectEbayError(await call('GET', '/sell/inventory/v1/inventory_item?limit=201'), 400, 25706);
    const group = await call('GET', '/sell/inventory/v1/inventory_item_group/P');
    expectValid('InventoryItemGroup', group.body);
    expect(group.body).toMatchObject({ variantSKUs: ['P-RED'], variesBy: { specifications: [{ name: 'Color', values: ['Red'] }] } });
  });

  test('bulkGetInventoryItem refuses duplicate SKUs (25734) and answers in the official model', async () => {
    await seedListings(sandbox, [{ sku: 'G-1', quantity: 4 }]);
    expectEbayError(await call('POST', '/sell/inventory/v1/bulk_get_inventory_item', { requests: [{ sku: 'G-1' }, { sku: 'G-1' }] }), 400, 25734);
    const result = await call('POST', '/sell/inventory/v1/bulk_get_inventory_item', { requests: [{ sku: 'G-1' }, { sku: 'G-2' }] });
    expectValid('BulkGetInventoryItemResponse', result.body);
    expect(result.body.responses[0]).toMatchObject({ statusCode: 200, inventoryItem: { availability: { shipToLocationAvailability: { quantity: 4 } } } });
  });

  test('getOrders refuses a bad filter, limit or offset with the Fulfillment API error ids and matches the model', async () => {
    await seedListings(sandbox, [{ sku: 'ORD-1', quantity: 5 }]);
    await sandboxCall(sandbox, 'POST', '/orders', { lines: [{ sku: 'ORD-1', quantity: 1 }] });
    expectEbayError(await call('GET', '/sell/fulfillment/v1/order?filter=color:[red]'), 400, 30700);
    expectEbayError(await call('GET', '/sell/fulfillment/v1/order?filter=lastmodifieddate:[yesterday..]'), 400, 30810);
    expectEbayError(await call('GET', '/sell/fulfillment/v1/order?limit=201'), 400, 31100);
    expectEbayError(await call('GET', '/sell/fulfillment/v1/order?offset=-1'), 400, 31000);
    expectEbayError(await call('GET', '/sell/fulfillment/v1/order/NOPE'), 400, 32100);
    const orders = await call('GET', `/sell/fulfillment/v1/order?filter=${encodeURIComponent(`lastmodifieddate:[${new Date(Date.now() - 60_000).toISOString()}..]`)}`);
    expectValid('OrderSearchPagedCollection', orders.body);
    expect(orders.body.total).toBe(1);
    expectValid('Order', (await call('GET', `/sell/fulfillment/v1/order/${orders.body.orders[0].orderId}`)).body);
  });

  test('getPublicKey answers the official model for its kid and 404 errorId 195001 for another', async () => {
    const kid = String(definition.describe?.(sandbox.context).notificationKeyId);
    const key = await call('GET', `/commerce/notification/v1/public_key/${kid}`, undefined, { authorization: `Bearer ${appToken}` });
    expectValid('PublicKey', key.body);
    expect(key.body).toMatchObject({ algorithm: 'ECDSA', digest: 'SHA1', key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=]+-----END PUBLIC KEY-----$/) });
    expectEbayError(await call('GET', '/commerce/notification/v1/public_key/unknown-kid', undefined, { authorization: `Bearer ${appToken}` }), 404, 195001);
  });

  test('a 429 is eBay\'s errorId 2001 body', async () => {
    await sandboxCall(sandbox, 'PUT', '/faults', { rate429: 1 });
    try {
      expectEbayError(await call('GET', '/sell/inventory/v1/inventory_item'), 429, 2001);
    } finally {
      await sandboxCall(sandbox, 'PUT', '/faults', { rate429: 0 });
    }
  });
});

describe('the eBay sandbox Trading endpoint', () => {
  const trading = (xml: string, headers: Record<string, string> = {}) => fetch(`${sandbox.baseUrl}/ws/api.dll`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml', 'x-ebay-api-call-name': 'ReviseInventoryStatus', 'x-ebay-api-siteid': '0', 'x-ebay-api-compatibility-level': '1451', 'x-ebay-api-iaf-token': userToken, ...headers },
    body: xml,
  }).then((response) => response.text());
  const request = (statuses: string) => `<?xml version="1.0" encoding="utf-8"?><ReviseInventoryStatusRequest xmlns="urn:ebay:apis:eBLBaseComponents">${statuses}</ReviseInventoryStatusRequest>`;

  test('refuses a bad IAF token with ErrorCode 21916984', async () => {
    expect(await trading(request('<InventoryStatus><ItemID>1</ItemID><Quantity>1</Quantity></InventoryStatus>'), { 'x-ebay-api-iaf-token': 'bad' })).toMatch(/<Ack>Failure<\/Ack>.*<ErrorCode>21916984<\/ErrorCode>/s);
  });

  test('refuses five InventoryStatus nodes and a negative quantity with ErrorCode 37', async () => {
    const node = '<InventoryStatus><ItemID>1</ItemID><Quantity>1</Quantity></InventoryStatus>';
    expect(await trading(request(node.repeat(5)))).toMatch(/<ErrorCode>37<\/ErrorCode>/);
    await seedListings(sandbox, [{ sku: 'T-1', quantity: 1 }]);
    const converted = await (await fetch(`${sandbox.baseUrl}/_sandbox/ebay/listings/T-1/trading`, { method: 'POST' })).json() as { identifiers: { tradingItemId: string } };
    expect(await trading(request(`<InventoryStatus><ItemID>${converted.identifiers.tradingItemId}</ItemID><Quantity>-1</Quantity></InventoryStatus>`))).toMatch(/<ErrorCode>37<\/ErrorCode>/);
  });

  test('refuses an unsupported call name with ErrorCode 2', async () => {
    expect(await trading(request(''), { 'x-ebay-api-call-name': 'AddItem' })).toMatch(/<ErrorCode>2<\/ErrorCode>/);
  });

  test('refuses to revise an Inventory API listing through Trading', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'INV-1', quantity: 1 }]);
    expect(await trading(request(`<InventoryStatus><ItemID>${listing!.identifiers.listingId}</ItemID><Quantity>3</Quantity></InventoryStatus>`))).toMatch(/<Ack>Failure<\/Ack>.*Inventory API/s);
  });
});
