/**
 * The dead-letter admin routes on a real daemon pushing to the eBay sandbox over HTTP, on SQLite
 * and MariaDB: a push that exhausted its attempts on 500s is listed; once the marketplace is
 * healthy, POST …/retry queues the listing and it converges to the ledger at once (no waiting for
 * the automatic re-drive's cool-down); a second retry is 409, an unknown id 404, a malformed one
 * 400, and nothing answers without the admin token. POST /v1/admin/channels/<channel>/dead-letters/retry
 * acts on every dead letter of the channel in one call and says what came of them.
 */
import { startSandboxFleet, type SandboxFleet } from '../../../daemon/src/bench/sandbox-fleet.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { STORE_KINDS, type StoreKind } from '../../helpers/stores.js';
import { until } from '../../helpers/until.js';

describe.each(STORE_KINDS)('dead-letter admin routes on %s', (kind: StoreKind) => {
  let daemon: TestDaemon;
  let fleet: SandboxFleet;
  const post = async (path: string, token: string | null = daemon.adminToken) => {
    const response = await fetch(`${daemon.daemon.url}${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, json: await response.json().catch(() => null) };
  };

  beforeAll(async () => {
    fleet = await startSandboxFleet(['ebay'], { asyncDelayMs: 0 });
    const member = fleet.get('ebay');
    daemon = await startTestDaemon(kind, { channels: { ebay: { baseUrl: member.sandbox.baseUrl, credentials: member.sandbox.credentials, mode: 'live', requestTimeoutMs: 10_000 } }, reconcileSchedule: 'off', syncPollMs: 100, logLevel: 'warn' });
    const { catalogue, ledger } = daemon.daemon;
    for (const code of ['KETTLE', 'TOASTER', 'GRILL']) expect((await catalogue.upsertSku({ code, name: code, kind: 'simple' })).ok).toBe(true);
    await fleet.seedListings(catalogue, ['KETTLE', 'TOASTER', 'GRILL'].map((sku) => ({ sku, quantity: 0 })));
    // The listings' first pushes (their quantity 0) go through before the faults start.
    await until(async () => {
      const ebay = ((await daemon.admin('/v1/admin/channels')).json?.channels ?? []).find((row: { channel: string }) => row.channel === 'ebay');
      return ebay?.backlog === 0 && ebay.pending === 0 && ebay.inFlight === 0;
    }, 'the seeded listings to be pushed', 30_000);
    // The access token first, then every inventory call answers 500 until the test heals it.
    expect((await member.channel.authenticate()).ok).toBe(true);
    await fleet.call('ebay', 'PUT', '/faults', { rate5xx: 1 });
    expect((await ledger.adjust({ key: 'dead-letter-routes:KETTLE', channel: null, actor: 'test', sku: 'KETTLE', location: 'main', delta: 7, reason: 'received' })).ok).toBe(true);
    await until(async () => (await daemon.admin('/v1/admin/dead-letters?channel=ebay')).json?.deadLetters?.length === 1, 'the push to be dead-lettered', 30_000);
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
    await fleet?.close();
  });

  test('lists the dead letter, and a retry once the marketplace is healthy brings the listing to the ledger', async () => {
    const [dead] = (await daemon.admin('/v1/admin/dead-letters?channel=ebay')).json.deadLetters as Array<{ id: string; kind: string; reference: string; error: string; attempts: number }>;
    expect(dead).toMatchObject({ kind: 'push', attempts: 6 });
    expect(dead!.reference).toMatch(/^listing:\d+:KETTLE$/);
    expect(dead!.error).toMatch(/^server_error: /);
    expect(fleet.shown('ebay', 'KETTLE')).toBe(0);

    await fleet.call('ebay', 'PUT', '/faults', { rate5xx: 0 });
    const retried = await post(`/v1/admin/dead-letters/${dead!.id}/retry`);
    expect(retried).toEqual({ status: 200, json: { id: dead!.id, kind: 'push', channel: 'ebay', outcome: 'requeued', reference: 'KETTLE' } });
    // Well inside the automatic re-drive's 30 s cool-down (no push has succeeded on the channel).
    await until(async () => fleet.shown('ebay', 'KETTLE') === 7, 'eBay to show 7', 30_000);
    expect((await daemon.admin('/v1/admin/dead-letters?channel=ebay')).json.deadLetters).toEqual([]);

    expect(await post(`/v1/admin/dead-letters/${dead!.id}/retry`)).toEqual({ status: 409, json: { error: 'dead_letter_resolved', message: `dead letter ${dead!.id} was already resolved` } });
    expect((await post(`/v1/admin/dead-letters/${dead!.id}/resolve`)).status).toBe(409);
  }, 60_000);

  test('a whole channel\'s dead letters are retried in one call, which says what came of them', async () => {
    await fleet.call('ebay', 'PUT', '/faults', { rate5xx: 1 });
    const { ledger } = daemon.daemon;
    for (const sku of ['TOASTER', 'GRILL']) expect((await ledger.adjust({ key: `dead-letter-routes:${sku}`, channel: null, actor: 'test', sku, location: 'main', delta: 4, reason: 'received' })).ok).toBe(true);
    await until(async () => (await daemon.admin('/v1/admin/dead-letters?channel=ebay')).json?.deadLetters?.length === 2, 'both pushes to be dead-lettered', 30_000);
    await fleet.call('ebay', 'PUT', '/faults', { rate5xx: 0 });

    expect(await post('/v1/admin/channels/ebay/dead-letters/retry')).toEqual({ status: 200, json: { channel: 'ebay', acted: 2, outcomes: { requeued: 2 }, left: 0 } });
    await until(async () => fleet.shown('ebay', 'TOASTER') === 4 && fleet.shown('ebay', 'GRILL') === 4, 'eBay to show 4 for both', 30_000);
    expect((await daemon.admin('/v1/admin/dead-letters?channel=ebay')).json.deadLetters).toEqual([]);
    // Nothing left: the next call acts on nothing, and says so.
    expect(await post('/v1/admin/channels/ebay/dead-letters/resolve')).toEqual({ status: 200, json: { channel: 'ebay', acted: 0, outcomes: {}, left: 0 } });

    expect(await post('/v1/admin/channels/walmart/dead-letters/retry')).toEqual({ status: 404, json: { error: 'unknown_channel', message: 'no channel walmart' } });
    expect((await post('/v1/admin/channels/EBAY!/dead-letters/retry')).status).toBe(400);
    expect((await post('/v1/admin/channels/ebay/dead-letters/retry', null)).status).toBe(401);
  }, 60_000);

  test('refuses an unknown id with 404, a malformed one with 400, and everything without the token', async () => {
    expect((await post('/v1/admin/dead-letters/dl_0000000000000000000000000A/retry')).status).toBe(404);
    const malformed = await post('/v1/admin/dead-letters/not-an-id/resolve');
    expect(malformed).toEqual({ status: 400, json: { error: 'invalid_dead_letter_id', message: 'id must be a dead letter id (dl_ and 26 letters or digits)' } });
    expect((await post('/v1/admin/dead-letters/dl_0000000000000000000000000A/retry', null)).status).toBe(401);
    expect((await post('/v1/admin/dead-letters/dl_0000000000000000000000000A/retry', 'wrong-token')).status).toBe(401);
  });
});
