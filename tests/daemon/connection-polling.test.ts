/**
 * A marketplace connected from the admin API is polled for orders by the running daemon (no
 * notification configured, so polling is the only way in), and disconnecting stops the polling.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { loadConfig } from '../../daemon/src/config.js';
import { createLogger } from '../../daemon/src/logger.js';
import { startDaemon, type Daemon } from '../../daemon/src/main.js';
import { newSecret } from '../helpers/daemon.js';
import { createTestDatabase, type TestDatabase } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const POLL_MS = 1_000;

describe('order polling of a marketplace connected at run time', () => {
  let fleet: SandboxFleet;
  let database: TestDatabase;
  let daemon: Daemon;
  const adminToken = randomBytes(24).toString('hex');

  beforeAll(async () => {
    fleet = await startSandboxFleet(['walmart'], { asyncDelayMs: 0 });
    database = await createTestDatabase('sqlite');
    const sink = new Writable({ write(_chunk, _encoding, done) { done(); } });
    const config = loadConfig({}, { databaseUrl: database.url, port: 0, secret: newSecret(), adminToken, credentialsKey: randomBytes(32).toString('hex'), syncPollMs: 100, reconcileSchedule: 'off', orderPollIntervalMs: POLL_MS });
    daemon = await startDaemon(config, createLogger('info', sink));
    await daemon.catalogue.upsertSku({ code: 'POLL-MUG', name: 'Poll mug', kind: 'simple' });
  });
  afterAll(async () => {
    await daemon?.stop();
    await fleet?.close();
    await database?.drop();
  });

  const post = (path: string, body?: unknown) => fetch(`${daemon.url}/v1/admin/channels/walmart/${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const polledOrders = async () => (await daemon.store.db.selectFrom('inbox_event').select('event_id').where('channel', '=', 'walmart').execute()).map((row) => row.event_id);

  test('orders placed after the connection are polled into the inbox, and none after the disconnection', async () => {
    const { baseUrl, credentials } = fleet.get('walmart').sandbox;
    expect((await post('connect', { baseUrl, credentials })).status).toBe(200);
    await fleet.seedListings(daemon.catalogue, [{ sku: 'POLL-MUG', quantity: 0 }], ['walmart']);
    const first = await fleet.call<{ orderId: string }>('walmart', 'POST', '/orders', { lines: [{ sku: 'POLL-MUG', quantity: 1 }], fulfillment: 'merchant' });
    await until(async () => (await polledOrders()).some((id) => id.includes(first.orderId)), 'the poller to bring the first order in');
    expect((await post('disconnect')).status).toBe(200);
    const before = (await polledOrders()).length;
    await fleet.call('walmart', 'POST', '/orders', { lines: [{ sku: 'POLL-MUG', quantity: 1 }], fulfillment: 'merchant' });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 3));
    expect((await polledOrders()).length).toBe(before);
  });
});
