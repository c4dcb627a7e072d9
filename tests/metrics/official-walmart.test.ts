/**
 * Walmart's Seller Performance cancellations summary over HTTP: the sandbox computes it from its
 * own orders, the reader maps it, MetricsService shows it beside Shelfguard's estimate. No saved
 * official model covers /v3/insights/performance, so the body is checked against what Walmart's
 * guides name (cumulativeRate, cumulativeRateTrend, reportDuration 14/30/60/90), not a schema.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { MetricsService } from '../../daemon/src/metrics/metrics-service.js';
import { DAY_MS } from '../../daemon/src/metrics/order-facts.js';
import { cachedOfficialReader } from '../../daemon/src/metrics/official-cache.js';
import { officialReadersFor, walmartOfficialReader } from '../../daemon/src/metrics/official-readers.js';
import { WalmartPerformanceClient } from '../../daemon/src/metrics/walmart-performance-client.js';
import { startSandbox, type SandboxHandle } from '../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/walmart/index.js';
import { openTestStore } from '../helpers/stores.js';

async function surface(sandbox: SandboxHandle, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

function clientFor(sandbox: SandboxHandle, credentials: Record<string, string> = sandbox.credentials): WalmartPerformanceClient {
  const created = WalmartPerformanceClient.create({ baseUrl: sandbox.baseUrl, credentials, requestTimeoutMs: 5_000 });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

async function accessToken(sandbox: SandboxHandle): Promise<string> {
  const { clientId, clientSecret } = sandbox.credentials;
  const response = await fetch(`${sandbox.baseUrl}/v3/token`, {
    method: 'POST', body: 'grant_type=client_credentials',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'WM_SVC.NAME': 'Walmart Marketplace', 'WM_QOS.CORRELATION_ID': randomUUID() },
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** 49 seller-fulfilled orders and one WFS order: one cancelled out of stock, one by the buyer. */
async function seedOrders(sandbox: SandboxHandle): Promise<void> {
  await surface(sandbox, 'POST', '/listings', { listings: [{ sku: 'MUG', quantity: 1_000 }] });
  for (let index = 0; index < 49; index += 1) await surface(sandbox, 'POST', '/orders', { orderId: `W-${index}`, lines: [{ sku: 'MUG', quantity: 1 }] });
  await surface(sandbox, 'POST', '/orders', { orderId: 'W-WFS', lines: [{ sku: 'MUG', quantity: 1 }], fulfillment: 'marketplace' });
  await surface(sandbox, 'POST', '/orders/W-0/cancel', { reason: 'seller_out_of_stock' });
  await surface(sandbox, 'POST', '/orders/W-1/cancel', { reason: 'buyer' });
}

describe('Walmart official cancellation rate over HTTP', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startSandbox(createSandboxDefinition({ seed: 5 }), { rateLimits: 'unlimited' });
    await seedOrders(sandbox);
  });
  afterAll(async () => { await sandbox.close(); });

  test('the reader returns Walmart’s rate: 1 seller cancellation in 49 seller-fulfilled orders, the buyer’s and WFS left out', async () => {
    const read = await walmartOfficialReader(clientFor(sandbox), { nowMs: () => 7_000 })();
    expect(read).toEqual({ ok: true, figures: [expect.objectContaining({ channel: 'walmart', name: 'cancellationRate.30d', rateBasisPoints: 204, targetBasisPoints: 200, status: 'RED_UP', readAtMs: 7_000 })] });
  });

  test('the summary names the guides’ fields, and refuses a report duration Walmart does not offer', async () => {
    const token = await accessToken(sandbox);
    const get = (query: string) => fetch(`${sandbox.baseUrl}/v3/insights/performance/cancellations/summary?${query}`, { headers: { 'WM_SEC.ACCESS_TOKEN': token, 'WM_SVC.NAME': 'Walmart Marketplace', 'WM_QOS.CORRELATION_ID': randomUUID(), accept: 'application/json' } });
    const ok = await get('reportDuration=90');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ payload: { reportDuration: 90, startDate: expect.any(String), endDate: expect.any(String), cumulativeRate: 2.04, cumulativeRateTrend: 'RED_UP', impactedOrders: 1, totalOrders: 49 } });
    const bad = await get('reportDuration=7');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: [expect.objectContaining({ code: 'INVALID_REQUEST_PARAM.GMP_INSIGHTS_API', field: 'reportDuration' })] });
    const anonymous = await fetch(`${sandbox.baseUrl}/v3/insights/performance/cancellations/summary?reportDuration=30`, { headers: { 'WM_SVC.NAME': 'Walmart Marketplace', 'WM_QOS.CORRELATION_ID': randomUUID() } });
    expect(anonymous.status).toBe(401);
  });

  test('MetricsService.snapshot() shows Walmart’s figure beside Shelfguard’s estimate', async () => {
    const handle = await openTestStore('sqlite');
    try {
      const nowMs = Date.now();
      const catalogue = new Catalogue(handle.store, () => nowMs);
      await catalogue.upsertLocation('main', 'Main');
      await catalogue.upsertChannel({ code: 'walmart', locations: ['main'] });
      const placed = nowMs - DAY_MS;
      await handle.store.db.insertInto('order_line').values(Array.from({ length: 49 }, (_, index) => ({
        channel: 'walmart', order_id: `W-${index}`, line_id: '1', sku: 'MUG', quantity: 1, fulfillment: 'merchant', status: index < 2 ? 'cancelled' : 'created', source_updated_at: placed,
        stock_state: index < 2 ? 'released' : 'reserved', cancel_reason: index === 0 ? 'seller_out_of_stock' : index === 1 ? 'buyer' : null, placed_at: placed, created_at: placed, updated_at: placed,
      }))).execute();
      const service = new MetricsService({ store: handle.store, settings: { alertHeadroomCancellations: 2, protection: {} }, official: [walmartOfficialReader(clientFor(sandbox))], nowMs: () => nowMs });
      const walmart = (await service.snapshot()).channels.find((channel) => channel.channel === 'walmart')!;
      expect([walmart.metrics[0]!.rateBasisPoints, walmart.official[0]!.rateBasisPoints]).toEqual([10_000 / 49, 204]);
    } finally {
      await handle.close();
    }
  });

  test('refused credentials come back as { ok: false } without the secret', async () => {
    const read = await walmartOfficialReader(clientFor(sandbox, { clientId: sandbox.credentials.clientId!, clientSecret: 'not-the-sandbox-secret' }))();
    expect(read).toEqual({ ok: false, channel: 'walmart', message: expect.stringContaining('unauthorized') });
    expect(JSON.stringify(read)).not.toContain('not-the-sandbox-secret');
  });

  test('credentials without a secret make no client, and say which fields are needed', () => {
    const created = WalmartPerformanceClient.create({ baseUrl: sandbox.baseUrl, credentials: { clientId: 'x' } });
    expect(created.ok ? 'created' : created.error.message).toBe('Walmart credentials need clientId and clientSecret to read seller performance');
  });
});

describe('Walmart official cancellation rate at the documented one call a minute', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => { sandbox = await startSandbox(createSandboxDefinition({ seed: 6 }), { rateLimits: 'documented' }); });
  afterAll(async () => { await sandbox.close(); });

  test('a second read within the minute is a 429 that comes back as { ok: false } without throwing', async () => {
    const read = walmartOfficialReader(clientFor(sandbox));
    const first = await read();
    const second = await read();
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, channel: 'walmart', message: expect.stringContaining('rate_limited') });
  });
});

describe('official readers from the configuration keep within the quota', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => { sandbox = await startSandbox(createSandboxDefinition({ seed: 9 }), { rateLimits: 'documented' }); });
  afterAll(async () => { await sandbox.close(); });

  test('ten snapshots in a row call Walmart once and all show its figure', async () => {
    const readers = officialReadersFor({ walmart: { baseUrl: sandbox.baseUrl, credentials: sandbox.credentials } });
    expect(readers).toHaveLength(1);
    const results = await Promise.all(Array.from({ length: 10 }, () => readers[0]!()));
    results.push(...await Promise.all(Array.from({ length: 10 }, () => readers[0]!())));
    expect(results.every((result) => result.ok && result.figures[0]!.name === 'cancellationRate.30d')).toBe(true);
    expect(sandbox.requests.filter((request) => request.path.startsWith('/v3/insights')).map((request) => request.status)).toEqual([200]);
  });

  test('a failure is kept only briefly, and never for longer than a success', async () => {
    let nowMs = 0;
    let calls = 0;
    const read = cachedOfficialReader(async () => { calls += 1; return calls === 1 ? { ok: false, channel: 'walmart', message: 'rate_limited' } : { ok: true, figures: [] }; }, { intervalMs: 900_000, failureIntervalMs: 60_000, nowMs: () => nowMs });
    expect((await read()).ok).toBe(false);
    nowMs = 59_999;
    expect([(await read()).ok, calls]).toEqual([false, 1]);
    nowMs = 60_000;
    expect([(await read()).ok, calls]).toEqual([true, 2]);
    nowMs = 959_999;
    expect([(await read()).ok, calls]).toEqual([true, 2]);
    nowMs = 960_000;
    await read();
    expect(calls).toBe(3);
  });
});
