/** The Etsy sandbox refuses what Etsy refuses, with Etsy's error bodies, over real HTTP. */
import { existsSync, readFileSync } from 'node:fs';
import { codeChallengeS256, codeVerifierFrom } from '../../../daemon/src/channels/etsy/pkce.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/etsy/index.js';
import { extractSubset } from '../../../daemon/src/sandbox/etsy/extract-schemas.mjs';
import { etsyModel, validateComponent } from '../../../daemon/src/sandbox/etsy/openapi-model.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, seedListings } from '../conformance.js';

let sandbox: SandboxHandle;
let apiKey: string;
let bearer: string;
let listingId: string;

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: { 'x-api-key': apiKey, authorization: `Bearer ${bearer}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
}

async function token(form: Record<string, string>) {
  const response = await fetch(`${sandbox.baseUrl}/v3/public/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

const validInventory = () => ({
  products: [
    { sku: 'REJ-BLUE', property_values: [{ property_id: 200, value_ids: [0], values: ['Blue'], property_name: 'Primary color', scale_id: null }], offerings: [{ price: 19.99, quantity: 3, is_enabled: true }] },
  ],
  price_on_property: [], quantity_on_property: [200], sku_on_property: [200],
});

beforeAll(async () => {
  sandbox = await startSandbox(createSandboxDefinition({ seed: 7 }), { rateLimits: 'unlimited' });
  apiKey = `${sandbox.credentials.keystring}:${sandbox.credentials.sharedSecret}`;
  bearer = String((await token({ grant_type: 'refresh_token', client_id: sandbox.credentials.keystring!, refresh_token: sandbox.credentials.refreshToken! })).body.access_token);
  const seeded = await seedListings(sandbox, [{ sku: 'REJ-PARENT', isParent: true }, { sku: 'REJ-BLUE', quantity: 4, parentSku: 'REJ-PARENT', attributes: { color: 'Blue' } }, { sku: 'REJ-RED', quantity: 2, parentSku: 'REJ-PARENT', attributes: { color: 'Red' } }]);
  listingId = seeded[0]!.identifiers.listingId!;
});
afterAll(async () => { await sandbox.close(); });

describe('the Etsy sandbox refuses what Etsy refuses', () => {
  test('answers a missing x-api-key, a key without its shared secret and a wrong key with 403 and Etsy\'s error body', async () => {
    expect(await call('GET', '/v3/application/openapi-ping', { headers: { 'x-api-key': '' } })).toMatchObject({ status: 403, body: { error: expect.any(String) } });
    expect(await call('GET', '/v3/application/openapi-ping', { headers: { 'x-api-key': sandbox.credentials.keystring! } })).toMatchObject({ status: 403, body: { error: 'Shared secret is required in x-api-key header.' } });
    expect(await call('GET', '/v3/application/openapi-ping', { headers: { 'x-api-key': `${sandbox.credentials.keystring}:wrong` } })).toMatchObject({ status: 403, body: { error: 'Invalid API key' } });
  });

  test('answers an expired access token with 401 invalid_token "access token is expired"', async () => {
    await sandboxCall(sandbox, 'POST', '/tokens/expire');
    const refused = await call('GET', `/v3/application/listings/${listingId}/inventory`);
    expect(refused).toMatchObject({ status: 401, body: { error: 'invalid_token', error_description: 'access token is expired' } });
    bearer = String((await token({ grant_type: 'refresh_token', client_id: sandbox.credentials.keystring!, refresh_token: sandbox.credentials.refreshToken! })).body.access_token);
    expect((await call('GET', `/v3/application/listings/${listingId}/inventory`)).status).toBe(200);
  });

  test('exchanges an authorization code only with the code_verifier that matches its S256 challenge', async () => {
    const verifier = codeVerifierFrom(new Uint8Array(32).fill(3));
    const connect = new URL('/oauth/connect', sandbox.baseUrl);
    for (const [name, value] of Object.entries({ response_type: 'code', client_id: sandbox.credentials.keystring!, redirect_uri: 'https://shop.example/cb', scope: 'listings_r listings_w', state: 'xyz', code_challenge: codeChallengeS256(verifier), code_challenge_method: 'S256' })) connect.searchParams.set(name, value);
    const authorize = async () => new URL((await fetch(connect, { redirect: 'manual' })).headers.get('location')!).searchParams;
    const first = await authorize();
    expect(first.get('state')).toBe('xyz');
    expect(await token({ grant_type: 'authorization_code', client_id: sandbox.credentials.keystring!, redirect_uri: 'https://shop.example/cb', code: first.get('code')!, code_verifier: codeVerifierFrom(new Uint8Array(32).fill(4)) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const second = await authorize();
    const granted = await token({ grant_type: 'authorization_code', client_id: sandbox.credentials.keystring!, redirect_uri: 'https://shop.example/cb', code: second.get('code')!, code_verifier: verifier });
    expect(granted).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: expect.stringMatching(/^\d+\./), refresh_token: expect.any(String) } });
    expect(await token({ grant_type: 'authorization_code', client_id: sandbox.credentials.keystring!, redirect_uri: 'https://shop.example/cb', code: second.get('code')!, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test.each([
    ['a price sent back as a Money object', (body: ReturnType<typeof validInventory>) => { (body.products[0]!.offerings[0] as Record<string, unknown>).price = { amount: 1999, divisor: 100, currency_code: 'USD' }; }, /price must be number/],
    ['a read-only product_id', (body: ReturnType<typeof validInventory>) => { (body.products[0] as Record<string, unknown>).product_id = 5; }, /product_id is a read-only field/],
    ['a price below 0.20', (body: ReturnType<typeof validInventory>) => { body.products[0]!.offerings[0]!.price = 0.1; }, /price must be between 0.20 and 50000.00/],
    ['a quantity above 999', (body: ReturnType<typeof validInventory>) => { body.products[0]!.offerings[0]!.quantity = 1000; }, /quantity must be between 0 and 999/],
    ['a product without offerings', (body: ReturnType<typeof validInventory>) => { (body.products[0] as Record<string, unknown>).offerings = []; }, /exactly one offering/],
    ['no products array', (body: ReturnType<typeof validInventory>) => { delete (body as Partial<typeof body>).products; }, /must have required property 'products'/],
    ['a quantity_on_property no product varies on', (body: ReturnType<typeof validInventory>) => { body.quantity_on_property = [513]; }, /quantity_on_property names property 513/],
    ['a body that drops a product', () => undefined, /drops products \(REJ-RED\)/],
  ])('refuses an inventory PUT with %s with 400 {error}', async (_name, mutate, message) => {
    const current = (await call('GET', `/v3/application/listings/${listingId}/inventory`)).body as { products: Array<{ property_values: Array<{ value_ids: number[] }> }> };
    const body = validInventory();
    body.products[0]!.property_values[0]!.value_ids = current.products[0]!.property_values[0]!.value_ids;
    mutate(body);
    const refused = await call('PUT', `/v3/application/listings/${listingId}/inventory`, { body });
    expect(refused.status).toBe(400);
    expect(String(refused.body.error)).toMatch(message);
    expect(validateComponent('ErrorSchema', refused.body)).toBeUndefined();
  });

  test('refuses a page size above 100 and an unknown listing with Etsy\'s bodies', async () => {
    expect(await call('GET', `/v3/application/shops/${sandbox.credentials.shopId}/listings?limit=101`)).toMatchObject({ status: 400, body: { error: expect.stringContaining('limit') } });
    expect(await call('GET', '/v3/application/listings/999999/inventory')).toMatchObject({ status: 404, body: { error: expect.any(String) } });
  });

  test('sends Etsy\'s rate-limit headers and refuses past the daily quota with 429 and retry-after', async () => {
    await sandboxCall(sandbox, 'PUT', '/config', { rateLimits: 'documented' });
    await fetch(`${sandbox.baseUrl}/_sandbox/etsy/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestsPerDay: 2 }) });
    const first = await call('GET', '/v3/application/openapi-ping');
    expect(first.headers.get('x-limit-per-second')).toBe('10');
    expect(first.headers.get('x-limit-per-day')).toBe('2');
    expect(first.headers.get('x-remaining-today')).toBe('1');
    await call('GET', '/v3/application/openapi-ping');
    const refused = await call('GET', '/v3/application/openapi-ping');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-remaining-today')).toBe('0');
    await fetch(`${sandbox.baseUrl}/_sandbox/etsy/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestsPerDay: 10_000 }) });
    await sandboxCall(sandbox, 'PUT', '/config', { rateLimits: 'unlimited' });
  });
});

describe('the committed Etsy model', () => {
  const official = new URL('../../../../shared/specs/etsy/3.0.0.json', import.meta.url);
  (existsSync(official) ? test : test.skip)('is exactly what the extraction script takes from the official document', () => {
    expect(JSON.parse(JSON.stringify(extractSubset(JSON.parse(readFileSync(official, 'utf8')))))).toEqual(etsyModel);
  });
});
