/** eBay-specific connector behaviour against the sandbox over real HTTP, beyond the conformance suite. */
import { createHash } from 'node:crypto';
import type { Channel, QuantityUpdate } from '../../../daemon/src/channels/channel.js';
import type { SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, sandboxQuantity, seedListings } from '../conformance.js';
import { ebayHarness, WEBHOOK_ENDPOINT } from './harness.js';

let sandbox: SandboxHandle;
let channel: Channel;

beforeAll(async () => {
  sandbox = await ebayHarness.startSandbox({ rateLimits: 'unlimited' });
  channel = ebayHarness.createChannel(sandbox);
});
afterAll(() => sandbox.close());
beforeEach(() => sandboxCall(sandbox, 'POST', '/reset'));

const toTrading = async (sku: string) => (await (await fetch(`${sandbox.baseUrl}/_sandbox/ebay/listings/${sku}/trading`, { method: 'POST' })).json()) as { sku: string; identifiers: Record<string, string>; parentSku?: string };

describe('the eBay connector', () => {
  test('puts quantity on variation members and refuses the group itself', async () => {
    const [parent, red, blue] = await seedListings(sandbox, [{ sku: 'TEE', isParent: true }, { sku: 'TEE-RED', parentSku: 'TEE', quantity: 1, attributes: { Color: 'Red' } }, { sku: 'TEE-BLUE', parentSku: 'TEE', quantity: 1, attributes: { Color: 'Blue' } }]);
    const results = await channel.pushQuantities([{ listing: parent!, quantity: 9, version: 1 }, { listing: red!, quantity: 5, version: 1 }, { listing: blue!, quantity: 6, version: 1 }], 'bulk');
    expect(results.map((result) => result.status)).toEqual(['failed', 'applied', 'applied']);
    expect(results[0]!.error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect([await sandboxQuantity(sandbox, 'TEE-RED'), await sandboxQuantity(sandbox, 'TEE-BLUE'), await sandboxQuantity(sandbox, 'TEE')]).toEqual([5, 6, 0]);
  });

  test('sends legacy listings through ReviseInventoryStatus in calls of four, one result per SKU', async () => {
    await seedListings(sandbox, Array.from({ length: 6 }, (_, index) => ({ sku: `LEG-${index}`, quantity: 1 })));
    const listings = await Promise.all(Array.from({ length: 6 }, (_, index) => toTrading(`LEG-${index}`)));
    await sandboxCall(sandbox, 'DELETE', '/requests');
    const updates: QuantityUpdate[] = listings.map((listing, index) => ({ listing: { sku: listing.sku, identifiers: listing.identifiers }, quantity: 20 + index, version: 2 }));
    updates.push({ listing: { sku: 'LEG-GONE', identifiers: { tradingItemId: '999999999' } }, quantity: 1, version: 2 });
    const results = await channel.pushQuantities(updates, 'bulk');
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'failed']);
    expect(results[6]!.error).toMatchObject({ code: 'not_found', marketplaceCode: '17' });
    for (let index = 0; index < 6; index += 1) expect(await sandboxQuantity(sandbox, `LEG-${index}`)).toBe(20 + index);
    const calls = (await sandboxCall<{ requests: Array<{ operation?: string }> }>(sandbox, 'GET', '/requests')).requests.filter((entry) => entry.operation === 'ReviseInventoryStatus');
    expect(calls).toHaveLength(2);
  });

  test('revises a Trading multi-variation listing by ItemID and variation SKU', async () => {
    await seedListings(sandbox, [{ sku: 'CUP', isParent: true }, { sku: 'CUP-S', parentSku: 'CUP', quantity: 1 }]);
    const child = await toTrading('CUP-S');
    const [result] = await channel.pushQuantities([{ listing: { sku: 'CUP-S', identifiers: child.identifiers, parentSku: 'CUP' }, quantity: 7, version: 1 }], 'single');
    expect(result).toMatchObject({ status: 'applied' });
    expect(await sandboxQuantity(sandbox, 'CUP-S')).toBe(7);
  });

  test('reports the 250-revisions-a-day limit as a non-retryable conflict on both APIs', async () => {
    const [modern] = await seedListings(sandbox, [{ sku: 'DAILY', quantity: 1 }, { sku: 'DAILY-LEGACY', quantity: 1 }]);
    const legacy = await toTrading('DAILY-LEGACY');
    for (const sku of ['DAILY', 'DAILY-LEGACY']) await fetch(`${sandbox.baseUrl}/_sandbox/ebay/listings/${sku}/revisions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 250 }) });
    const results = await channel.pushQuantities([{ listing: modern!, quantity: 3, version: 1 }, { listing: { sku: 'DAILY-LEGACY', identifiers: legacy.identifiers }, quantity: 3, version: 1 }], 'bulk');
    for (const result of results) {
      expect(result).toMatchObject({ status: 'failed', error: { code: 'conflict', retryable: false } });
      expect(result.error!.message).toMatch(/250 revisions per listing per calendar day/);
    }
    expect(channel.limits.revisionsPerListingPerDayMax).toBe(250);
  });

  test('answers the endpoint challenge with SHA-256 of code, verification token and endpoint', async () => {
    const outcome = await channel.handleNotification({ method: 'GET', url: '/v1/webhooks/ebay?challenge_code=a8628072-3d33-45ee-9004-bee86830a22d', headers: {}, rawBody: Buffer.alloc(0) });
    const expected = createHash('sha256').update(`a8628072-3d33-45ee-9004-bee86830a22d${sandbox.credentials.verificationToken}${WEBHOOK_ENDPOINT}`).digest('hex');
    expect(outcome).toEqual({ ok: true, value: { kind: 'challenge', status: 200, contentType: 'application/json', body: JSON.stringify({ challengeResponse: expected }) } });
  });

  test('refuses a notification signed under a key id eBay does not know', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: 'not-a-key', signature: 'MEUCIQ==', digest: 'SHA1' })).toString('base64');
    const outcome = await channel.handleNotification({ method: 'POST', url: '/v1/webhooks/ebay', headers: { 'x-ebay-signature': header }, rawBody: Buffer.from('{}') });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_signature' } });
  });

  test('never puts the client secret, refresh token or access token in an error message', async () => {
    const wrong = ebayHarness.createChannel(sandbox, { credentials: { ...sandbox.credentials, refreshToken: 'v^1.1#canary-refresh-token' } });
    const result = await wrong.pushQuantities([{ listing: { sku: 'X', identifiers: {} }, quantity: 1, version: 1 }], 'single');
    const text = JSON.stringify(result);
    for (const secret of ['canary-refresh-token', sandbox.credentials.clientSecret!, Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')]) expect(text).not.toContain(secret);
    expect(result[0]!.error).toMatchObject({ code: 'unauthorized', retryable: false });
  });
});
