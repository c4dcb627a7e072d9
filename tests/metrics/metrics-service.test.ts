import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMetricsOutput } from '../../daemon/src/cli/metrics-command.js';
import { errorMapper } from '../../daemon/src/http/errors.js';
import { metricsRouter } from '../../daemon/src/http/metrics-routes.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import type { Store } from '../../daemon/src/ledger/store.js';
import { MetricsService } from '../../daemon/src/metrics/metrics-service.js';
import { DAY_MS } from '../../daemon/src/metrics/order-facts.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';

const NOW_MS = Date.UTC(2026, 5, 15, 12);
const TOKEN = 'metrics-admin-token-0123456789';

/** 40 Amazon orders yesterday; one more was oversold and cancelled (its cancel payload named no cause: `unknown`). */
async function seed(store: Store, catalogue: Catalogue): Promise<void> {
  await catalogue.upsertLocation('main', 'Main');
  await catalogue.upsertChannel({ code: 'amazon', locations: ['main'] });
  await catalogue.upsertChannel({ code: 'woocommerce', locations: ['main'] });
  await catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
  await catalogue.upsertListing({ channel: 'amazon', sku: 'MUG' });
  const placed = NOW_MS - DAY_MS;
  const line = (channel: string, orderId: string, status: string, updatedAt: number) => ({ channel, order_id: orderId, line_id: '1', sku: 'MUG', quantity: 1, fulfillment: 'merchant', status, source_updated_at: updatedAt, stock_state: status === 'cancelled' ? 'released' : 'reserved', cancel_reason: status === 'cancelled' ? 'unknown' : null, placed_at: placed, created_at: placed, updated_at: updatedAt });
  const rows = Array.from({ length: 40 }, (_, index) => line('amazon', `A-${index}`, 'shipped', placed));
  rows.push(line('amazon', 'A-OVER', 'cancelled', placed + 60_000));
  for (let index = 0; index < 30; index += 1) rows.push(line('woocommerce', `W-${index}`, 'created', placed));
  await store.db.insertInto('order_line').values(rows).execute();
  const sku = await store.db.selectFrom('sku').select('id').where('code', '=', 'MUG').executeTakeFirstOrThrow();
  for (const orderId of ['A-OVER', 'A-1']) {
    await store.db.insertInto('oversell').values({ id: `os_${orderId}`, intent_key: `amazon:order:${orderId}:line:1:reserve`, channel: 'amazon', reference: `amazon://order/${orderId}/line/1`, sku_id: sku.id, requested: 1, available: 0, resolution: null, created_at: placed }).execute();
  }
}

describe.each(STORE_KINDS)('seller standing from the orders inbox (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestStore>>;
  let catalogue: Catalogue;
  let hookServer: Server;
  const delivered: unknown[] = [];

  beforeAll(async () => {
    handle = await openTestStore(kind);
    catalogue = new Catalogue(handle.store, () => NOW_MS);
    await seed(handle.store, catalogue);
    hookServer = createServer((req, res) => { const chunks: Buffer[] = []; req.on('data', (chunk: Buffer) => chunks.push(chunk)); req.on('end', () => { delivered.push(JSON.parse(Buffer.concat(chunks).toString('utf8'))); res.end(); }); });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => { await new Promise<void>((resolve) => hookServer.close(() => resolve())); await handle.close(); });

  test('an oversold order cancelled without a named cause counts as the seller’s: 1 of 41 misses Amazon’s 2.5%', async () => {
    const output = await readMetricsOutput(handle.store, { env: {}, nowMs: NOW_MS });
    const amazon = output.lines.find((line) => line.metric === 'amazon_cancellation_rate')!;
    expect(amazon).toEqual({ channel: 'amazon', metric: 'amazon_cancellation_rate', orders: 41, sellerCancellations: 1, ratePercent: 2.44, limitPercent: 2.5, comparison: 'below', headroom: 0, trend: 'rising', alertLevel: 'critical' });
  });

  test('`shelfguard metrics --json` has the documented shape', async () => {
    const output = await readMetricsOutput(handle.store, { env: {}, nowMs: NOW_MS });
    expect(Object.keys(output).sort()).toEqual(['alertHeadroomCancellations', 'at', 'channels', 'database', 'lines', 'official', 'officialErrors', 'recommendations', 'truncated']);
    expect(output.at).toBe('2026-06-15T12:00:00.000Z');
    expect(output.channels.map((channel) => [channel.channel, channel.alertLevel])).toEqual([['amazon', 'critical']]);
    expect(Object.keys(output.channels[0]!.metrics[0]!).sort()).toEqual(['alertLevel', 'atMs', 'channel', 'exits', 'headroom', 'label', 'limit', 'meets', 'metric', 'orders', 'otherCancellations', 'rateBasisPoints', 'recoversAtMs', 'sellerCancellations', 'trend', 'unknownCancellations', 'window']);
    expect(output.recommendations.map((recommendation) => [recommendation.channel, recommendation.sku, recommendation.otherChannelsUnitsPerDay])).toEqual([['amazon', 'MUG', 30 / 7]]);
  });

  test('a check raises one alert, delivers it to the webhook, and protects the opted-in channel; a second check repeats nothing', async () => {
    const address = hookServer.address() as AddressInfo;
    const service = new MetricsService({ store: handle.store, catalogue, settings: { alertHeadroomCancellations: 2, webhookUrl: `http://127.0.0.1:${address.port}/hook`, protection: { amazon: { raiseBuffer: true, pauseRepeatOversellers: true } } }, nowMs: () => NOW_MS, webhook: { sleep: async () => {} } });
    const first = await service.check();
    expect(first.alerts.map((alert) => [alert.channel, alert.metric, alert.level])).toEqual([['amazon', 'amazon_cancellation_rate', 'critical']]);
    expect(delivered).toHaveLength(1);
    expect(first.protection.map((action) => [action.kind, action.sku, action.after])).toEqual([['pause_listing', 'MUG', { buffer: null, active: false }]]);
    const stored = await handle.store.db.selectFrom('metric_alert').select(['webhook_state', 'webhook_attempts']).execute();
    expect(stored).toEqual([{ webhook_state: 'delivered', webhook_attempts: 1 }]);
    const second = await service.check();
    expect([second.alerts.length, second.protection.length, delivered.length]).toEqual([0, 0, 1]);
  });

  test('the admin routes list the alert for the plugin, acknowledge it, and revert the protection exactly', async () => {
    const service = new MetricsService({ store: handle.store, settings: { alertHeadroomCancellations: 2, protection: {} }, nowMs: () => NOW_MS });
    const app = express();
    app.use(metricsRouter({ store: handle.store, metrics: service, catalogue, token: () => TOKEN, nowMs: () => NOW_MS }));
    app.use(errorMapper({ error: () => {}, warn: () => {} } as never));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (method: string, path: string) => { const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } }); return { status: response.status, body: await response.json() as Record<string, unknown> }; };
    try {
      const alerts = (await call('GET', '/v1/admin/metrics/alerts?unacknowledged=1')).body.alerts as Array<{ id: string; level: string }>;
      expect(alerts.map((alert) => alert.level)).toEqual(['critical']);
      expect((await call('POST', `/v1/admin/metrics/alerts/${alerts[0]!.id}/acknowledge`)).status).toBe(200);
      expect(((await call('GET', '/v1/admin/metrics/alerts?unacknowledged=1')).body.alerts as unknown[]).length).toBe(0);
      const actions = (await call('GET', '/v1/admin/metrics/protection?open=1')).body.actions as Array<{ id: string }>;
      const reverted = await call('POST', `/v1/admin/metrics/protection/${actions[0]!.id}/revert`);
      expect([reverted.status, reverted.body.restored]).toEqual([200, { buffer: null, active: true }]);
      const listing = await handle.store.db.selectFrom('listing').select(['active', 'buffer']).executeTakeFirstOrThrow();
      expect([Number(listing.active), listing.buffer]).toEqual([1, null]);
      expect((await call('POST', `/v1/admin/metrics/protection/${actions[0]!.id}/revert`)).body).toMatchObject({ error: 'already_reverted' });
      const standing = await call('GET', '/v1/admin/metrics');
      expect((standing.body.lines as unknown[]).length).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
