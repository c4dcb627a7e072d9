import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { SellerPerformanceClient } from '../../daemon/src/channels/amazon/seller-performance.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { MetricsService } from '../../daemon/src/metrics/metrics-service.js';
import { amazonOfficialReader } from '../../daemon/src/metrics/official-readers.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/amazon/index.js';
import { startSandbox, type SandboxHandle } from '../../daemon/src/sandbox/kit/sandbox-server.js';
import { openTestStore } from '../helpers/stores.js';

const SCHEMA_PATH = new URL('../../../shared/specs/amazon/schemas/accountHealthReport-2020-11-18.json', import.meta.url);
const ORDERS = 40;
const FAST = { pollIntervalMs: 20, waitMsMax: 5_000 };

function clientFor(sandbox: SandboxHandle, credentials: Record<string, string> = {}): SellerPerformanceClient {
  const created = SellerPerformanceClient.create({ baseUrl: sandbox.baseUrl, credentials: { ...sandbox.credentials, ...credentials }, requestTimeoutMs: 5_000 }, FAST);
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

async function surface(sandbox: SandboxHandle, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox POST ${path} answered ${response.status}: ${await response.text()}`);
}

/** 40 merchant orders this week: one cancelled out of stock (the seller's), one by the buyer (not the seller's). */
async function seedOrders(sandbox: SandboxHandle): Promise<void> {
  await surface(sandbox, '/listings', { listings: [{ sku: 'MUG', quantity: 1_000 }] });
  for (let index = 0; index < ORDERS; index += 1) await surface(sandbox, '/orders', { orderId: `114-0000000-00000${String(index).padStart(2, '0')}`, lines: [{ sku: 'MUG', quantity: 1 }] });
  await surface(sandbox, '/orders/114-0000000-0000000/cancel', { reason: 'seller_out_of_stock' });
  await surface(sandbox, '/orders/114-0000000-0000001/cancel', { reason: 'buyer' });
}

describe('Amazon official seller performance over HTTP', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startSandbox(createSandboxDefinition(), { rateLimits: 'documented' });
    await seedOrders(sandbox);
  });
  afterAll(async () => { await sandbox.close(); });

  test('the reader returns the sandbox’s cancel rate: 1 seller cancellation in 40 orders is 2.5%, not below the 2.5% target', async () => {
    const read = await amazonOfficialReader(clientFor(sandbox), { nowMs: () => 1_000 })();
    expect(read.ok).toBe(true);
    const cancel = read.ok ? read.figures.find((figure) => figure.name === 'preFulfillmentCancellationRate') : undefined;
    expect(cancel).toEqual(expect.objectContaining({ channel: 'amazon', rateBasisPoints: 250, targetBasisPoints: 250, status: 'BAD', readAtMs: 1_000 }));
    expect(read.ok && read.figures.map((figure) => figure.name)).toEqual(['preFulfillmentCancellationRate', 'orderDefectRate.mfn', 'lateShipmentRate', 'validTrackingRate']);
  });

  test('MetricsService.snapshot() shows Amazon’s official figure beside Shelfguard’s estimate', async () => {
    const handle = await openTestStore('sqlite');
    try {
      const nowMs = Date.now();
      const catalogue = new Catalogue(handle.store, () => nowMs);
      await catalogue.upsertLocation('main', 'Main');
      await catalogue.upsertChannel({ code: 'amazon', locations: ['main'] });
      const placed = nowMs - 3_600_000;
      await handle.store.db.insertInto('order_line').values(Array.from({ length: 10 }, (_, index) => ({ channel: 'amazon', order_id: `A-${index}`, line_id: '1', sku: 'MUG', quantity: 1, fulfillment: 'merchant', status: 'shipped', source_updated_at: placed, stock_state: 'reserved', created_at: placed, updated_at: placed }))).execute();
      const service = new MetricsService({ store: handle.store, settings: { alertHeadroomCancellations: 2, protection: {} }, official: [amazonOfficialReader(clientFor(sandbox))], nowMs: () => nowMs });
      const snapshot = await service.snapshot();
      const amazon = snapshot.channels.find((channel) => channel.channel === 'amazon')!;
      expect(snapshot.officialErrors).toEqual([]);
      expect(amazon.metrics.length).toBeGreaterThan(0);
      expect(amazon.official.find((figure) => figure.name === 'preFulfillmentCancellationRate')?.rateBasisPoints).toBe(250);
    } finally {
      await handle.close();
    }
  });

  test('a bad refresh token comes back as { ok: false } without the token in the message', async () => {
    const read = await amazonOfficialReader(clientFor(sandbox, { refresh_token: 'Atzr|not-the-sandbox-token' }))();
    expect(read).toEqual({ ok: false, channel: 'amazon', message: expect.any(String) });
    expect(JSON.stringify(read)).not.toContain('not-the-sandbox-token');
    expect(JSON.stringify(read)).not.toContain(sandbox.credentials.client_secret!);
  });

  test('the sandbox’s report document validates against accountHealthReport-2020-11-18.json', async () => {
    const document = await clientFor(sandbox).readReport();
    expect(document.ok).toBe(true);
    const { $schema: _ignored, ...schema } = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(document.ok && document.value) ? [] : validate.errors).toEqual([]);
  });

  test('past createReport’s burst of 15, the 429 comes back as { ok: false } without throwing', async () => {
    const read = amazonOfficialReader(clientFor(sandbox));
    let refused: Awaited<ReturnType<typeof read>> | undefined;
    for (let call = 0; call < 20 && !refused; call += 1) {
      const result = await read();
      if (!result.ok) refused = result;
    }
    expect(refused).toEqual({ ok: false, channel: 'amazon', message: expect.stringContaining('rate_limited') });
    expect(sandbox.requests.some((request) => request.path === '/reports/2021-06-30/reports' && request.status === 429)).toBe(true);
  });
});
