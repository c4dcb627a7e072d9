import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { CustomerServiceMetricClient } from '../../daemon/src/metrics/ebay-customer-service-client.js';
import { MetricsService } from '../../daemon/src/metrics/metrics-service.js';
import { ebayCustomerServiceReader } from '../../daemon/src/metrics/official-readers.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/ebay/index.js';
import { startSandbox, type SandboxHandle } from '../../daemon/src/sandbox/kit/sandbox-server.js';
import { openTestStore } from '../helpers/stores.js';
import { SPEC_PATH, surface, undeclaredKeys } from './ebay-analytics-helpers.js';

const ORDERS = 40;

function clientFor(sandbox: SandboxHandle, overrides: { refreshToken?: string } = {}): CustomerServiceMetricClient {
  const { clientId, clientSecret, refreshToken } = sandbox.credentials;
  return new CustomerServiceMetricClient({ baseUrl: sandbox.baseUrl, clientId: clientId!, clientSecret: clientSecret!, refreshToken: overrides.refreshToken ?? refreshToken!, timeoutMs: 5_000 });
}

async function userToken(sandbox: SandboxHandle): Promise<string> {
  const { clientId, clientSecret, refreshToken } = sandbox.credentials;
  const response = await fetch(`${sandbox.baseUrl}/identity/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, scope: 'https://api.ebay.com/oauth/api_scope/sell.analytics.readonly' }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('eBay official customer service metrics over HTTP', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startSandbox(createSandboxDefinition({ seed: 11 }), { rateLimits: 'unlimited' });
    await surface(sandbox, 'POST', '/listings', { listings: [{ sku: 'MUG', quantity: 1_000 }] });
    for (let index = 0; index < ORDERS; index += 1) await surface(sandbox, 'POST', '/orders', { orderId: `E-${index}`, lines: [{ sku: 'MUG', quantity: 1 }] });
    // Two buyers opened item-not-received cases; nobody claimed an item was not as described.
    await surface(sandbox, 'PUT', '/ebay/customer-service', { ITEM_NOT_RECEIVED: { cases: 2, peerAveragePercent: 1.2 } });
  });
  afterAll(async () => { await sandbox.close(); });

  test('the reader maps each type’s rate beside the peer average: 2 INR cases in 40 orders is 5%, rated VERY_HIGH', async () => {
    const read = await ebayCustomerServiceReader(clientFor(sandbox), { nowMs: () => 5_000 })();
    expect(read).toEqual({ ok: true, figures: [
      expect.objectContaining({ channel: 'ebay', name: 'ITEM_NOT_AS_DESCRIBED.11700', rateBasisPoints: 0, targetBasisPoints: 50, status: 'LOW', readAtMs: 5_000 }),
      expect.objectContaining({ channel: 'ebay', name: 'ITEM_NOT_RECEIVED.DOMESTIC', rateBasisPoints: 500, targetBasisPoints: 120, status: 'VERY_HIGH', readAtMs: 5_000 }),
    ] });
  });

  test('MetricsService.snapshot() shows the figures beside Shelfguard’s own eBay estimate', async () => {
    const handle = await openTestStore('sqlite');
    try {
      const catalogue = new Catalogue(handle.store);
      await catalogue.upsertLocation('main', 'Main');
      await catalogue.upsertChannel({ code: 'ebay', locations: ['main'] });
      const service = new MetricsService({ store: handle.store, settings: { alertHeadroomCancellations: 2, protection: {} }, official: [ebayCustomerServiceReader(clientFor(sandbox))] });
      const snapshot = await service.snapshot();
      const ebay = snapshot.channels.find((channel) => channel.channel === 'ebay')!;
      expect(snapshot.officialErrors).toEqual([]);
      expect(ebay.metrics.map((metric) => metric.metric)).toEqual(['ebay_defect_rate_top_rated', 'ebay_defect_rate_above_standard']);
      expect(ebay.official.map((figure) => [figure.name, figure.rateBasisPoints])).toEqual([['ITEM_NOT_AS_DESCRIBED.11700', 0], ['ITEM_NOT_RECEIVED.DOMESTIC', 500]]);
    } finally {
      await handle.close();
    }
  });

  test('a bad refresh token comes back as { ok: false } naming the operation, without the token', async () => {
    const badToken = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^not-the-sandbox-token';
    const read = await ebayCustomerServiceReader(clientFor(sandbox, { refreshToken: badToken }))();
    expect(read).toEqual({ ok: false, channel: 'ebay', message: expect.stringContaining('getCustomerServiceMetric') });
    expect(JSON.stringify(read)).not.toContain('not-the-sandbox-token');
    expect(JSON.stringify(read)).not.toContain(sandbox.credentials.clientSecret!);
  });

  test('the sandbox’s answer validates against the official GetCustomerServiceMetricResponse model and declares nothing extra', async () => {
    const token = await userToken(sandbox);
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, Record<string, unknown>> } };
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile({ $ref: '#/components/schemas/GetCustomerServiceMetricResponse', components: spec.components });
    for (const type of ['ITEM_NOT_RECEIVED', 'ITEM_NOT_AS_DESCRIBED']) {
      for (const evaluation of ['CURRENT', 'PROJECTED']) {
        const response = await fetch(`${sandbox.baseUrl}/sell/analytics/v1/customer_service_metric/${type}/${evaluation}?evaluation_marketplace_id=EBAY_US`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        const body = await response.json() as { evaluationCycle: { evaluationType: string }; marketplaceId: string };
        expect(validate(body) ? [] : validate.errors).toEqual([]);
        expect(undeclaredKeys(body, { $ref: 'GetCustomerServiceMetricResponse' }, spec.components.schemas)).toEqual([]);
        expect([body.evaluationCycle.evaluationType, body.marketplaceId]).toEqual([evaluation, 'EBAY_US']);
      }
    }
  });

  test('a bad type, a missing marketplace and a missing token are refused with eBay error bodies', async () => {
    const token = await userToken(sandbox);
    const get = async (path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) => {
      const response = await fetch(`${sandbox.baseUrl}/sell/analytics/v1/customer_service_metric/${path}`, { headers });
      return { status: response.status, body: await response.json() as { errors: Array<{ message: string }> } };
    };
    const badType = await get('LATE_SHIPMENT/CURRENT?evaluation_marketplace_id=EBAY_US');
    expect([badType.status, badType.body.errors[0]!.message]).toEqual([400, 'Invalid customer_service_metric_type LATE_SHIPMENT']);
    expect((await get('ITEM_NOT_RECEIVED/CURRENT')).body.errors[0]!.message).toBe('evaluation_marketplace_id is required');
    expect((await get('ITEM_NOT_RECEIVED/CURRENT?evaluation_marketplace_id=EBAY_US', {})).status).toBe(401);
  });

  test('the knob refuses a peer average above 100% and names the field', async () => {
    await expect(surface(sandbox, 'PUT', '/ebay/customer-service', { ITEM_NOT_RECEIVED: { peerAveragePercent: 101 } })).rejects.toThrow(/400.*ITEM_NOT_RECEIVED\.peerAveragePercent/);
  });
});
