import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { SellerStandardsClient } from '../../daemon/src/channels/ebay/seller-standards.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import type { Store } from '../../daemon/src/ledger/store.js';
import { MetricsService } from '../../daemon/src/metrics/metrics-service.js';
import { ebayOfficialReader } from '../../daemon/src/metrics/official-readers.js';
import { DAY_MS } from '../../daemon/src/metrics/order-facts.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/ebay/index.js';
import { startSandbox, type SandboxHandle } from '../../daemon/src/sandbox/kit/sandbox-server.js';
import { openTestStore } from '../helpers/stores.js';
import { SPEC_PATH, surface, undeclaredKeys } from './ebay-analytics-helpers.js';

const ORDERS = 40;

function clientFor(sandbox: SandboxHandle, overrides: { refreshToken?: string } = {}): SellerStandardsClient {
  const { clientId, clientSecret, refreshToken } = sandbox.credentials;
  return new SellerStandardsClient({ baseUrl: sandbox.baseUrl, clientId: clientId!, clientSecret: clientSecret!, refreshToken: overrides.refreshToken ?? refreshToken!, timeoutMs: 5_000 });
}

/** 40 sandbox orders: one cancelled out of stock (a defect), one cancelled by the buyer (not one). */
async function seedSandboxOrders(sandbox: SandboxHandle): Promise<void> {
  await surface(sandbox, 'POST', '/listings', { listings: [{ sku: 'MUG', quantity: 1_000 }] });
  for (let index = 0; index < ORDERS; index += 1) await surface(sandbox, 'POST', '/orders', { orderId: `E-${index}`, lines: [{ sku: 'MUG', quantity: 1 }] });
  await surface(sandbox, 'POST', '/orders/E-0/cancel', { reason: 'seller_out_of_stock' });
  await surface(sandbox, 'POST', '/orders/E-1/cancel', { reason: 'buyer' });
}

async function seedStore(store: Store, nowMs: number): Promise<void> {
  const catalogue = new Catalogue(store, () => nowMs);
  await catalogue.upsertLocation('main', 'Main');
  await catalogue.upsertChannel({ code: 'ebay', locations: ['main'] });
  await catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
  await catalogue.upsertListing({ channel: 'ebay', sku: 'MUG' });
  const placed = nowMs - DAY_MS;
  const rows = Array.from({ length: ORDERS }, (_, index) => ({ channel: 'ebay', order_id: `E-${index}`, line_id: '1', sku: 'MUG', quantity: 1, fulfillment: 'merchant', status: 'shipped', source_updated_at: placed, stock_state: 'reserved', created_at: placed, updated_at: placed }));
  await store.db.insertInto('order_line').values(rows).execute();
}

describe('eBay official seller standards over HTTP', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startSandbox(createSandboxDefinition({ seed: 7 }), { rateLimits: 'unlimited' });
    await seedSandboxOrders(sandbox);
  });
  afterAll(async () => { await sandbox.close(); });

  test('the reader returns the sandbox’s defect rate: 1 out-of-stock cancellation in 40 orders is 2.5%, below standard', async () => {
    const read = await ebayOfficialReader(clientFor(sandbox), { nowMs: () => 1_000 })();
    expect(read).toEqual({ ok: true, figures: [
      expect.objectContaining({ channel: 'ebay', name: 'standardsLevel.PROJECTED', status: 'BELOW_STANDARD', readAtMs: 1_000 }),
      expect.objectContaining({ channel: 'ebay', name: 'DEFECTIVE_TRANSACTION_RATE', rateBasisPoints: 250, status: null }),
    ] });
  });

  test('the standards knob pins the level and the defect rate the sandbox reports', async () => {
    await surface(sandbox, 'PUT', '/ebay/standards', { standardsLevel: 'TOP_RATED', defectRatePercent: 0.3 });
    try {
      const read = await ebayOfficialReader(clientFor(sandbox), { cycle: 'CURRENT' })();
      expect(read.ok && read.figures.map((figure) => [figure.name, figure.status, figure.rateBasisPoints])).toEqual([['standardsLevel.CURRENT', 'TOP_RATED', null], ['DEFECTIVE_TRANSACTION_RATE', null, 30]]);
    } finally {
      await surface(sandbox, 'PUT', '/ebay/standards', { standardsLevel: null, defectRatePercent: null });
    }
  });

  test('MetricsService.snapshot() shows eBay’s official figure beside Shelfguard’s estimate', async () => {
    const handle = await openTestStore('sqlite');
    try {
      const nowMs = Date.now();
      await seedStore(handle.store, nowMs);
      const service = new MetricsService({ store: handle.store, settings: { alertHeadroomCancellations: 2, protection: {} }, official: [ebayOfficialReader(clientFor(sandbox))], nowMs: () => nowMs });
      const snapshot = await service.snapshot();
      const ebay = snapshot.channels.find((channel) => channel.channel === 'ebay')!;
      expect(snapshot.officialErrors).toEqual([]);
      expect(ebay.metrics.length).toBeGreaterThan(0);
      expect(ebay.official.find((figure) => figure.name === 'DEFECTIVE_TRANSACTION_RATE')?.rateBasisPoints).toBe(250);
    } finally {
      await handle.close();
    }
  });

  test('an access token eBay has expired is refreshed once and the read still succeeds', async () => {
    const read = ebayOfficialReader(clientFor(sandbox));
    expect((await read()).ok).toBe(true);
    const before = sandbox.requests.length;
    await surface(sandbox, 'POST', '/tokens/expire', {});
    expect((await read()).ok).toBe(true);
    expect(sandbox.requests.slice(before).map((request) => [request.path.split('/').slice(0, 4).join('/'), request.status])).toEqual([['/sell/analytics/v1', 401], ['/identity/v1/oauth2', 200], ['/sell/analytics/v1', 200]]);
  });

  test('the standards knob refuses a defect rate above 100%', async () => {
    await expect(surface(sandbox, 'PUT', '/ebay/standards', { defectRatePercent: 101 })).rejects.toThrow(/answered 400/);
  });

  test('a bad refresh token comes back as { ok: false } without the token in the message', async () => {
    const badToken = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^not-the-sandbox-token';
    const read = await ebayOfficialReader(clientFor(sandbox, { refreshToken: badToken }))();
    expect(read.ok).toBe(false);
    expect(!read.ok && read.channel).toBe('ebay');
    expect(JSON.stringify(read)).not.toContain('not-the-sandbox-token');
    expect(JSON.stringify(read)).not.toContain(sandbox.credentials.clientSecret!);
  });

  test('the sandbox’s profile validates against the official StandardsProfile model and declares nothing extra', async () => {
    const { clientId, clientSecret, refreshToken } = sandbox.credentials;
    const tokenResponse = await fetch(`${sandbox.baseUrl}/identity/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, scope: 'https://api.ebay.com/oauth/api_scope/sell.analytics.readonly' }).toString(),
    });
    expect(tokenResponse.status).toBe(200);
    const { access_token: accessToken } = await tokenResponse.json() as { access_token: string };
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, Record<string, unknown>> } };
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile({ $ref: '#/components/schemas/StandardsProfile', components: spec.components });
    for (const cycle of ['CURRENT', 'PROJECTED']) {
      const response = await fetch(`${sandbox.baseUrl}/sell/analytics/v1/seller_standards_profile/PROGRAM_US/${cycle}`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(response.status).toBe(200);
      const profile = await response.json() as { cycle: { evaluationMonth: string } };
      expect(validate(profile) ? [] : validate.errors).toEqual([]);
      expect(undeclaredKeys(profile, { $ref: 'StandardsProfile' }, spec.components.schemas)).toEqual([]);
      expect(profile.cycle.evaluationMonth).toMatch(/^\d{4}-\d{2}$/);
    }
    const badProgram = await fetch(`${sandbox.baseUrl}/sell/analytics/v1/seller_standards_profile/PROGRAM_XX/CURRENT`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(badProgram.status).toBe(400);
    expect(await badProgram.json()).toEqual({ errors: [expect.objectContaining({ errorId: 53105, domain: 'API_ANALYTICS' })] });
  });
});

describe('eBay official seller standards under the documented quota', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => { sandbox = await startSandbox(createSandboxDefinition({ seed: 8 }), { rateLimits: 'documented' }); });
  afterAll(async () => { await sandbox.close(); });

  test('past the burst of 100-a-day, a 429 comes back as { ok: false } without throwing', async () => {
    const read = ebayOfficialReader(clientFor(sandbox));
    const results = [];
    for (let call = 0; call < 6; call += 1) results.push(await read());
    expect(results.slice(0, 5).every((result) => result.ok)).toBe(true);
    expect(results[5]).toEqual({ ok: false, channel: 'ebay', message: expect.stringContaining('rate_limited') });
    expect(sandbox.requests.filter((request) => request.path.startsWith('/sell/analytics')).map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
