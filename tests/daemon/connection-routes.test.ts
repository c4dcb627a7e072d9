/**
 * Connecting a marketplace from the admin API (issue 6), over real HTTP against a real Walmart
 * sandbox and a real ledger on both stores: validation naming the field, the marketplace refusing
 * wrong credentials with nothing stored, masked reads, a push reaching the newly connected
 * sandbox, a restart keeping the connection, sealed rows, a changed key, disconnection, and
 * channels owned by configuration left alone. No secret may appear in a response or a log line.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { loadConfig, type Config } from '../../daemon/src/config.js';
import { createLogger } from '../../daemon/src/logger.js';
import { startDaemon, type Daemon } from '../../daemon/src/main.js';
import { newSecret } from '../helpers/daemon.js';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const SKU = 'CONNECT-MUG';

describe.each(STORE_KINDS)('connecting a marketplace from the admin API on %s', (kind) => {
  let fleet: SandboxFleet;
  let database: TestDatabase;
  let daemon: Daemon;
  let credentials: Record<string, string>;
  const logs: string[] = [];
  const adminToken = randomBytes(24).toString('hex');
  const key = randomBytes(32).toString('base64');
  const responses: string[] = [];

  const start = async (overrides: Partial<Config> = {}): Promise<void> => {
    const sink = new Writable({ write(chunk, _encoding, done) { logs.push(String(chunk)); done(); } });
    const config = loadConfig({}, {
      databaseUrl: database.url, port: 0, secret: newSecret(), adminToken, credentialsKey: key, logLevel: 'debug', syncPollMs: 100, reconcileSchedule: 'off', orderPollIntervalMs: 1_000,
      // A configured channel the admin API must leave alone; it points nowhere and is never pushed.
      channels: { etsy: { baseUrl: 'http://127.0.0.1:9', credentials: { keystring: 'configured-keystring', sharedSecret: 'configured-shared-secret-0123456789', refreshToken: 'configured-refresh', shopId: '42' }, mode: 'paused', requestTimeoutMs: 1_000 } },
      ...overrides,
    });
    daemon = await startDaemon(config, createLogger('debug', sink), { pollOrders: false });
  };
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const response = await fetch(`${daemon.url}/v1/admin/channels/${path}`, {
      method, headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    responses.push(text);
    return { status: response.status, json: JSON.parse(text) };
  };
  const storedRows = () => daemon.store.db.selectFrom('channel_connection').selectAll().execute();
  const receive = async (delta: number, key: string) => {
    const received = await daemon.ledger.adjust({ key, channel: null, actor: 'test', sku: SKU, location: 'main', delta, reason: 'received' });
    if (!received.ok) throw new Error(received.error.message);
  };

  beforeAll(async () => {
    fleet = await startSandboxFleet(['walmart'], { asyncDelayMs: 0 });
    credentials = fleet.get('walmart').sandbox.credentials;
    database = await createTestDatabase(kind);
    await start();
    await daemon.catalogue.upsertSku({ code: SKU, name: 'Connect mug', kind: 'simple' });
    await receive(10, 'connect:receive:1');
  });
  afterAll(async () => {
    await daemon?.stop();
    await fleet?.close();
    await database?.drop();
  });

  test('an unconnected marketplace lists the fields its connector needs, none set', async () => {
    const answer = await call('GET', 'walmart/connection');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ channel: 'walmart', connected: false, source: null, editable: true, canStore: true });
    expect(answer.json.fields.find((field: any) => field.name === 'clientSecret')).toMatchObject({ secret: true, required: true, set: false, masked: null });
  });

  test('a connect missing a required field is refused naming the field, and nothing is stored', async () => {
    const answer = await call('POST', 'walmart/connect', { baseUrl: fleet.get('walmart').sandbox.baseUrl, credentials: { clientId: credentials.clientId } });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/^credentials\.clientSecret: Client secret is required/);
    const unknown = await call('POST', 'walmart/connect', { credentials: { ...credentials, password: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/password/);
    expect(await storedRows()).toEqual([]);
  });

  test.each([
    ['a body that is not JSON', 'not json', 'application/json', 400],
    ['an array', '[]', 'application/json', 400],
    ['credentials that are not an object', '{"credentials":"clientId=x"}', 'application/json', 400],
    ['a number where text is expected', '{"credentials":{"clientId":1,"clientSecret":2}}', 'application/json', 400],
    ['a prototype key', '{"credentials":{"__proto__":{"polluted":1},"clientId":"a","clientSecret":"b"}}', 'application/json', 400],
    ['an unknown mode', '{"credentials":{"clientId":"a","clientSecret":"b"},"mode":"turbo"}', 'application/json', 400],
    ['a base URL that is not http', '{"baseUrl":"file:///etc/passwd","credentials":{"clientId":"a","clientSecret":"b"}}', 'application/json', 400],
    ['a body over 16 kB', JSON.stringify({ credentials: { clientId: 'a', clientSecret: 'b'.repeat(20_000) } }), 'application/json', 413],
    ['a form-encoded body', 'clientId=a&clientSecret=b', 'application/x-www-form-urlencoded', 400],
  ])('%s is refused with %s, and nothing is stored or polluted', async (_name, body, contentType, status) => {
    const response = await fetch(`${daemon.url}/v1/admin/channels/walmart/connect`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType }, body });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toEqual(expect.any(String));
    expect(await storedRows()).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('without the admin token nothing is read or connected', async () => {
    for (const [method, path] of [['GET', 'walmart/connection'], ['POST', 'walmart/connect'], ['POST', 'walmart/disconnect']] as const) {
      const response = await fetch(`${daemon.url}/v1/admin/channels/${path}`, { method, headers: { authorization: 'Bearer not-the-token-not-the-token' } });
      expect(response.status).toBe(401);
    }
    expect(await storedRows()).toEqual([]);
  });

  test('credentials the marketplace refuses are not stored and the channel stays disconnected', async () => {
    const wrong = `${credentials.clientSecret!.slice(0, -6)}WRONG1`;
    const answer = await call('POST', 'walmart/connect', { baseUrl: fleet.get('walmart').sandbox.baseUrl, credentials: { ...credentials, clientSecret: wrong } });
    expect(answer.status).toBe(422);
    expect(answer.json.error).toBe('marketplace_refused');
    expect(answer.json.message).toMatch(/nothing was stored/);
    expect(JSON.stringify(answer.json)).not.toContain(wrong);
    expect(await storedRows()).toEqual([]);
    expect(daemon.sync.channel('walmart')).toBeUndefined();
  });

  test('an unreachable base URL is refused on the baseUrl field', async () => {
    const answer = await call('POST', 'walmart/connect', { baseUrl: 'http://127.0.0.1:9', credentials, requestTimeoutMs: 1_000 });
    expect(answer.status).toBe(502);
    expect(answer.json.message).toMatch(/^baseUrl: /);
    expect(await storedRows()).toEqual([]);
  });

  test('the right credentials connect Walmart in shadow mode, and reads show secrets masked', async () => {
    const answer = await call('POST', 'walmart/connect', { baseUrl: fleet.get('walmart').sandbox.baseUrl, credentials });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ channel: 'walmart', connected: true, source: 'admin', mode: 'shadow' });
    const read = await call('GET', 'walmart/connection');
    const secret = read.json.fields.find((field: any) => field.name === 'clientSecret');
    expect(secret).toMatchObject({ set: true, masked: `••••${credentials.clientSecret!.slice(-4)}` });
    expect(read.json.fields.find((field: any) => field.name === 'clientId')).toMatchObject({ set: true, masked: credentials.clientId });
    expect(JSON.stringify(read.json)).not.toContain(credentials.clientSecret!);
    const status = (await (await fetch(`${daemon.url}/v1/admin/channels`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { channels: Array<{ channel: string; connected: boolean; mode: string }> };
    expect(status.channels.find((entry) => entry.channel === 'walmart')).toMatchObject({ connected: true, mode: 'shadow' });
  });

  test('the stored row holds the credentials sealed, in no readable form', async () => {
    const [row] = await storedRows();
    expect(row).toBeDefined();
    const text = JSON.stringify(row);
    for (const value of [credentials.clientSecret!, credentials.clientId!]) {
      for (const form of [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'), Buffer.from(value).toString('hex')]) expect(text).not.toContain(form);
    }
    expect(text).not.toContain(key);
  });

  test('once promoted, a stock change reaches the newly connected sandbox', async () => {
    await fleet.seedListings(daemon.catalogue, [{ sku: SKU, quantity: 0 }], ['walmart']);
    const promoted = await call('POST', 'walmart/promote', { force: true });
    expect(promoted.status).toBe(200);
    await until(() => fleet.shown('walmart', SKU) === 10, 'Walmart to show 10');
    await receive(5, 'connect:receive:2');
    await until(() => fleet.shown('walmart', SKU) === 15, 'Walmart to show 15');
  });

  test('a restart keeps the connection, and pushes continue', async () => {
    await daemon.stop();
    await start();
    const read = await call('GET', 'walmart/connection');
    expect(read.json).toMatchObject({ connected: true, source: 'admin', mode: 'live' });
    await receive(1, 'connect:receive:3');
    await until(() => fleet.shown('walmart', SKU) === 16, 'Walmart to show 16 after the restart');
  });

  test('an order notification from the newly connected Walmart is verified, reaches the inbox and moves the stock', async () => {
    // Order polling is off in this daemon: only the webhook can bring the order in.
    fleet.get('walmart').sandbox.context.options.notifyUrl = `${daemon.url}/v1/webhooks/walmart`;
    await fleet.call('walmart', 'POST', '/orders', { lines: [{ sku: SKU, quantity: 1 }], fulfillment: 'merchant' });
    await until(async () => (await daemon.store.db.selectFrom('inbox_event').select('id').where('channel', '=', 'walmart').execute()).length > 0, 'the Walmart notification to reach the inbox');
    await until(() => fleet.shown('walmart', SKU) === 15, 'Walmart to show 15 after its own sale');
  });

  test('under another key, or none, the stored connection is reported locked and nothing new can be stored', async () => {
    await daemon.stop();
    await start({ credentialsKey: randomBytes(32).toString('hex') });
    const other = await call('GET', 'walmart/connection');
    expect(other.json).toMatchObject({ connected: false, source: 'admin' });
    expect(other.json.problem).toMatch(/another SHELFGUARD_CREDENTIALS_KEY/);
    await daemon.stop();
    await start({ credentialsKey: undefined });
    const none = await call('POST', 'walmart/connect', { baseUrl: fleet.get('walmart').sandbox.baseUrl, credentials });
    expect(none.status).toBe(409);
    expect(none.json.error).toBe('credentials_key_missing');
    expect(none.json.message).toMatch(/SHELFGUARD_CREDENTIALS_KEY/);
    await daemon.stop();
    await start();
    expect((await call('GET', 'walmart/connection')).json.connected).toBe(true);
  });

  test('disconnecting stops pushes and forgets the credentials; listings and history stay', async () => {
    const answer = await call('POST', 'walmart/disconnect');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ connected: false, mode: 'paused', source: null });
    expect(await storedRows()).toEqual([]);
    const shown = fleet.shown('walmart', SKU);
    await receive(3, 'connect:receive:4');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fleet.shown('walmart', SKU)).toBe(shown);
    const listings = await daemon.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').select('listing.id').where('channel.code', '=', 'walmart').execute();
    expect(listings).toHaveLength(1);
    expect((await call('POST', 'walmart/disconnect')).status).toBe(404);
  });

  test('a channel configuration owns is shown masked and cannot be connected or disconnected from the admin API', async () => {
    const read = await call('GET', 'etsy/connection');
    expect(read.json).toMatchObject({ source: 'config', editable: false, baseUrl: 'http://127.0.0.1:9' });
    expect(read.json.fields.find((field: any) => field.name === 'sharedSecret').masked).toBe('••••6789');
    for (const verb of ['connect', 'disconnect']) {
      const answer = await call('POST', `etsy/${verb}`, verb === 'connect' ? { credentials: { keystring: 'k', sharedSecret: 's', refreshToken: 'r', shopId: '1' } } : undefined);
      expect(answer.status).toBe(409);
      expect(answer.json.error).toBe('configured_channel');
    }
    expect((await call('GET', 'woocommerce/connection')).status).toBe(404);
  });

  test('no secret reached a response or a log line', () => {
    const secrets = [credentials.clientSecret!, key, 'configured-shared-secret-0123456789'];
    for (const secret of secrets) {
      expect(responses.filter((text) => text.includes(secret))).toEqual([]);
      expect(logs.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
