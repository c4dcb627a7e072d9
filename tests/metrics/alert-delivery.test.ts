/**
 * An alert's whole path in a running daemon: marketplace orders go into the order inbox, some are
 * cancelled by the seller as out of stock, the metrics check the daemon runs (here asked for
 * through POST /v1/admin/metrics/check) raises the alert, and the configured chat webhook, a real
 * HTTP receiver that answers 503 twice, gets it exactly once with a `text` field. The plugin's
 * routes then list it as unacknowledged and acknowledge it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelEvent, ChannelOrderLine } from '../../daemon/src/channels/channel.js';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon.js';

const WEBHOOK_PATH = '/services/T0001/B0001/chat-secret-token';
const ORDERS = 60;

interface Receiver { server: Server; url: string; requests: Array<{ status: number; body: { text?: unknown; content?: unknown; alert?: { channel?: unknown; level?: unknown } } }> }

/** A chat tool's incoming webhook that fails its first two requests with 503. */
async function startReceiver(): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = requests.length < 2 ? 503 : 200;
      requests.push({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = status;
      res.end(status === 200 ? 'ok' : 'unavailable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`, requests };
}

function orderEvent(orderId: string, status: 'created' | 'cancelled', atMs: number, cancelReason?: ChannelOrderLine['cancelReason']): ChannelEvent {
  const stamp = new Date(atMs).toISOString();
  return {
    eventId: `${orderId}:${status}`, type: status === 'created' ? 'order.created' : 'order.cancelled', occurredAt: stamp,
    order: { orderId, status, fulfillment: 'merchant', createdAt: new Date(atMs - (status === 'cancelled' ? 1_000 : 0)).toISOString(), updatedAt: stamp, lines: [{ lineId: '1', sku: 'MUG', quantity: 1, ...(cancelReason ? { cancelReason } : {}) }] },
  };
}

describe.each(['sqlite', 'mysql'] as const)('a seller-metrics alert delivered by a running daemon (%s)', (kind) => {
  let receiver: Receiver;
  let handle: TestDaemon;
  let previousUrl: string | undefined;

  beforeAll(async () => {
    receiver = await startReceiver();
    previousUrl = process.env.SHELFGUARD_METRICS_WEBHOOK_URL;
    process.env.SHELFGUARD_METRICS_WEBHOOK_URL = receiver.url;
    try {
      handle = await startTestDaemon(kind);
    } finally {
      if (previousUrl === undefined) delete process.env.SHELFGUARD_METRICS_WEBHOOK_URL; else process.env.SHELFGUARD_METRICS_WEBHOOK_URL = previousUrl;
    }
    const { catalogue, ledger, inbox } = handle.daemon;
    await catalogue.upsertChannel({ code: 'walmart', mode: 'live', locations: ['main'] });
    await catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
    await ledger.adjust({ key: 'seed-MUG', channel: null, actor: 'test', sku: 'MUG', location: 'main', delta: 1_000, reason: 'received' });
    const startMs = Date.now() - 60_000;
    const events = Array.from({ length: ORDERS }, (_, index) => orderEvent(`PO-${index}`, 'created', startMs + index));
    // Two seller cancellations (out of stock) and one buyer's: 2 of 60 is 3.3%, over Walmart's 2%.
    events.push(orderEvent('PO-0', 'cancelled', startMs + 10_000, 'seller_out_of_stock'), orderEvent('PO-1', 'cancelled', startMs + 10_001, 'seller_out_of_stock'), orderEvent('PO-2', 'cancelled', startMs + 10_002, 'buyer'));
    await inbox.accept('walmart', events);
    // The daemon's own drain loop applies them; wait until it has.
    for (let waitedMs = 0; ; waitedMs += 20) {
      const pending = await handle.daemon.store.db.selectFrom('inbox_event').select('id').where('state', '=', 'pending').execute();
      if (pending.length === 0) break;
      if (waitedMs > 30_000) throw new Error(`${pending.length} inbox events still pending`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }, 60_000);
  afterAll(async () => {
    await handle.stop();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  });

  const post = async (path: string) => {
    const response = await fetch(`${handle.daemon.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${handle.adminToken}` } });
    return { status: response.status, json: await response.json() as Record<string, unknown> };
  };

  test('the check raises a breached alert and the webhook gets it once, after two 503s, with chat-friendly text', async () => {
    const checked = await post('/v1/admin/metrics/check');
    expect(checked.status).toBe(200);
    expect((checked.json.alerts as Array<{ channel: string; level: string }>).map((alert) => [alert.channel, alert.level])).toEqual([['walmart', 'breached']]);
    expect(receiver.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    const delivered = receiver.requests[2]!.body;
    expect(delivered.text).toEqual(expect.stringContaining('walmart: Cancellation rate is 3.33% (2 of 60 orders; limit at most 2%)'));
    expect(delivered.content).toBe(delivered.text);
    expect(delivered.alert).toMatchObject({ channel: 'walmart', level: 'breached' });
    const stored = await handle.daemon.store.db.selectFrom('metric_alert').select(['webhook_state', 'webhook_attempts', 'webhook_error']).execute();
    expect(stored).toEqual([{ webhook_state: 'delivered', webhook_attempts: 3, webhook_error: null }]);
  }, 30_000);

  test('a second check with nothing new sends nothing more', async () => {
    const checked = await post('/v1/admin/metrics/check');
    expect(checked.json.alerts).toEqual([]);
    expect(receiver.requests).toHaveLength(3);
  });

  test('the plugin’s routes list the alert as unacknowledged, then acknowledge it', async () => {
    const listed = await handle.admin('/v1/admin/metrics/alerts?unacknowledged=1');
    expect(listed.status).toBe(200);
    const alerts = listed.json.alerts as Array<{ id: string; channel: string; level: string; message: string; webhook_state: string }>;
    expect(alerts.map((alert) => [alert.channel, alert.level, alert.webhook_state])).toEqual([['walmart', 'breached', 'delivered']]);
    expect(await post(`/v1/admin/metrics/alerts/${alerts[0]!.id}/acknowledge`)).toEqual({ status: 200, json: { id: alerts[0]!.id, acknowledged: true } });
    expect((await handle.admin('/v1/admin/metrics/alerts?unacknowledged=1')).json.alerts).toEqual([]);
  });

  test('the webhook URL, which holds the chat tool’s token, never reaches the logs or the admin API', async () => {
    expect(handle.logs.join('\n')).not.toContain('chat-secret-token');
    expect(JSON.stringify((await handle.admin('/v1/admin/metrics/alerts')).json)).not.toContain('chat-secret-token');
    expect(JSON.stringify((await handle.admin('/v1/admin/metrics')).json)).not.toContain('chat-secret-token');
  });
});
