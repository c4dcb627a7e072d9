import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { webhookSignature } from '../../daemon/src/channels/tiktok/tiktok-webhook.js';
import { errorMapper } from '../../daemon/src/http/errors.js';
import { webhooksRouter } from '../../daemon/src/http/webhooks-route.js';
import { Ledger } from '../../daemon/src/ledger/ledger.js';
import { OrderInbox } from '../../daemon/src/orders/order-inbox.js';
import { OrderProcessor } from '../../daemon/src/orders/order-processor.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';

function tiktokNotification(notificationId: string, orderId: string): Buffer {
  return Buffer.from(JSON.stringify({ type: 1, tts_notification_id: notificationId, shop_id: '7494049642642441621', timestamp: 1_760_000_000, data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', update_time: 1_760_000_000 } }));
}

describe.each(STORE_KINDS)('POST /v1/webhooks/:channel on %s', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  let server: Server;
  let url: string;
  let appKey: string;
  let appSecret: string;

  beforeAll(async () => {
    opened = await openTestStore(kind);
    fleet = await startSandboxFleet(['tiktok'], { asyncDelayMs: 0 });
    const credentials = fleet.get('tiktok').sandbox.credentials as Record<string, string>;
    appKey = credentials.app_key!;
    appSecret = credentials.app_secret!;
    // The inbox is never started: the route must only store, never apply (STYLE habit 8).
    const inbox = new OrderInbox(opened.store, new OrderProcessor(opened.store, new Ledger(opened.store), () => {}), (name) => (name === 'tiktok' ? fleet.get('tiktok').channel : undefined));
    const app = express();
    app.use(webhooksRouter((name) => (name === 'tiktok' ? fleet.get('tiktok').channel : undefined), inbox));
    app.use(errorMapper(pino({ level: 'silent' })));
    server = await new Promise<Server>((resolve) => { const started = app.listen(0, '127.0.0.1', () => resolve(started)); });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/tiktok`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fleet.close();
    await opened.close();
  });

  const post = (body: Buffer, signature: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: signature }, body });
  const inboxRows = () => opened.store.db.selectFrom('inbox_event').select(['id', 'event_id']).orderBy('id').execute();

  test('a notification with a bad signature is refused with 401 and writes no inbox row', async () => {
    const body = tiktokNotification('n-bad', 'O-1');
    const forged = webhookSignature(appKey, 'not-the-app-secret', body);
    const response = await post(body, forged);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_signature');
    expect(await inboxRows()).toEqual([]);
  });

  test('a body changed after signing is refused with 4xx and writes no inbox row', async () => {
    const signed = tiktokNotification('n-tampered', 'O-1');
    const response = await post(tiktokNotification('n-tampered', 'O-2'), webhookSignature(appKey, appSecret, signed));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await inboxRows()).toEqual([]);
  });

  test('a genuine notification is answered 200 and stored as exactly one inbox row', async () => {
    const body = tiktokNotification('n-genuine', 'O-7');
    const response = await post(body, webhookSignature(appKey, appSecret, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 1, accepted: 1, duplicates: 0 });
    expect(await inboxRows()).toEqual([{ id: 'tiktok:n-genuine', event_id: 'n-genuine' }]);
  });

  test('the same notification delivered again is answered 200 and adds no second row', async () => {
    const body = tiktokNotification('n-genuine', 'O-7');
    const response = await post(body, webhookSignature(appKey, appSecret, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await inboxRows()).toHaveLength(1);
  });

  test('notification ids that differ only by case are two events, not a duplicate', async () => {
    for (const id of ['n-Case', 'n-case']) {
      const body = tiktokNotification(id, 'O-8');
      const response = await post(body, webhookSignature(appKey, appSecret, body));
      expect(await response.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    }
    expect((await inboxRows()).map((row) => row.event_id)).toEqual(expect.arrayContaining(['n-Case', 'n-case']));
  });
});
