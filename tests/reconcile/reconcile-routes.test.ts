/**
 * The reconciliation history over real HTTP, on both stores: a daemon connected to the eBay and
 * Etsy sandboxes, one Etsy quantity changed behind its back. A run started from the admin API
 * answers at once, refuses a second while it runs, records its progress, counts and drift; the
 * history pages newest first; the latest drift per listing comes from each channel's newest run
 * that read it; bad input is refused naming what is wrong, and nothing is written for it.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { ChannelName } from '../../daemon/src/channels/channel.js';
import { newId } from '../../daemon/src/ledger/ids.js';
import { RUN_STALE_AFTER_MS } from '../../daemon/src/reconcile/reconcile-runs.js';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { STORE_KINDS } from '../helpers/stores.js';

const CHANNELS: ChannelName[] = ['ebay', 'etsy'];
const STOCK: Record<string, number> = { CUP: 5, JUG: 7, BOWL: 3 };
const WAIT_MS = 30_000;

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(STORE_KINDS)('reconciliation history over HTTP (%s)', (kind) => {
  let fleet: SandboxFleet;
  let daemon: TestDaemon;

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<{ status: number; json: any }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token ?? daemon.adminToken}`;
    const response = await fetch(`${daemon.daemon.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    return { status: response.status, json: await response.json().catch(() => null) };
  };
  const finishedRun = (runId: string) => until(async () => {
    const answer = await call('GET', `/v1/admin/reconcile/runs/${runId}`);
    return answer.json?.run?.status !== 'running' && answer.json;
  }, `run ${runId} to end`);
  const runCount = async () => (await daemon.daemon.store.db.selectFrom('reconcile_run').select('id').execute()).length;

  beforeAll(async () => {
    fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0 });
    const channels = Object.fromEntries(fleet.members.map((member) => [member.name, { baseUrl: member.sandbox.baseUrl, credentials: member.sandbox.credentials, mode: 'live' as const, requestTimeoutMs: 10_000 }]));
    daemon = await startTestDaemon(kind, { channels, reconcileSchedule: 'off', syncPollMs: 50, logLevel: 'warn' });
    const { catalogue, ledger } = daemon.daemon;
    for (const sku of Object.keys(STOCK)) await catalogue.upsertSku({ code: sku, kind: 'simple' });
    for (const [sku, quantity] of Object.entries(STOCK)) await ledger.adjust({ key: `seed:${sku}`, channel: null, actor: 'test', sku, location: 'main', delta: quantity, reason: 'received' });
    await fleet.seedListings(catalogue, Object.keys(STOCK).map((sku) => ({ sku, quantity: 0 })));
    await until(async () => CHANNELS.every((name) => Object.entries(STOCK).every(([sku, quantity]) => fleet.shown(name, sku) === quantity)), 'the channels to show the ledger');
    await fleet.call('etsy', 'PUT', '/listings/JUG/quantity', { quantity: 40 });
  });
  afterAll(async () => {
    await daemon?.stop();
    await fleet?.close();
  });

  test('bad input is refused naming what is wrong, and no run is recorded for it', async () => {
    const cases: Array<[method: 'GET' | 'POST', path: string, body: unknown, status: number, error: string, message: RegExp]> = [
      ['POST', '/v1/admin/reconcile', { fix: 'yes' }, 400, 'invalid_body', /^fix: /],
      ['POST', '/v1/admin/reconcile', { channel: 'EBAY!' }, 400, 'invalid_body', /^channel: a channel code/],
      ['POST', '/v1/admin/reconcile', { channel: 'walmart' }, 400, 'unknown_channel', /"walmart"/],
      ['POST', '/v1/admin/reconcile', { fix: true, dryRun: true }, 400, 'invalid_body', /dryRun/],
      ['POST', '/v1/admin/reconcile', '{"fix": tru', 400, 'invalid_json', /JSON/],
      ['GET', '/v1/admin/reconcile/runs?limit=0', undefined, 400, 'invalid_query', /^limit: /],
      ['GET', '/v1/admin/reconcile/runs?limit=101', undefined, 400, 'invalid_query', /^limit: /],
      ['GET', '/v1/admin/reconcile/runs?before=1%20or%201', undefined, 400, 'invalid_query', /^before: a run id/],
      ['GET', '/v1/admin/reconcile/runs?page=2', undefined, 400, 'invalid_query', /page/],
      ['GET', '/v1/admin/reconcile/runs/42', undefined, 400, 'invalid_path', /^id: a run id/],
      ['GET', `/v1/admin/reconcile/runs/${newId('rr')}`, undefined, 404, 'unknown_run', /no reconciliation run/],
      ['GET', '/v1/admin/reconcile/drift?channel=etsy', undefined, 400, 'invalid_query', /channel/],
    ];
    for (const [method, path, body, status, error, message] of cases) {
      const answer = await call(method, path, body);
      expect({ path, body, status: answer.status, error: answer.json?.error }).toEqual({ path, body, status, error });
      expect(answer.json.message).toMatch(message);
    }
    expect((await call('POST', '/v1/admin/reconcile', {}, null)).status).toBe(401);
    expect((await call('GET', '/v1/admin/reconcile/runs', undefined, 'not-the-admin-token-at-all-x')).status).toBe(401);
    expect(await runCount()).toBe(0);
    expect((await call('GET', '/v1/admin/reconcile/drift')).json).toEqual({ drift: [] });
  });

  test('a run answers 202 at once, a second start while it runs answers 409 naming it, and the run records what it found', async () => {
    // Slow both sandboxes down so the run is certainly still reading when the second start arrives.
    const contexts = CHANNELS.map((name) => fleet.get(name).sandbox.context);
    for (const context of contexts) context.faults = { ...context.faults, latencyMs: 400 };
    const started = await call('POST', '/v1/admin/reconcile', {});
    expect(started.status).toBe(202);
    expect(Object.keys(started.json)).toEqual(['runId']);
    const second = await call('POST', '/v1/admin/reconcile', { fix: true });
    for (const context of contexts) context.faults = { ...context.faults, latencyMs: 0 };
    const during = (await call('GET', '/v1/admin/reconcile/runs')).json.runs;
    expect(during.map((entry: { id: string; status: string }) => [entry.id, entry.status])).toEqual([[started.json.runId, 'running']]);
    expect(second).toEqual({ status: 409, json: { error: 'already_running', message: expect.stringContaining(started.json.runId), runId: started.json.runId } });
    const { run, drift } = await finishedRun(started.json.runId);
    expect(run).toEqual({
      id: started.json.runId, trigger: 'admin', fix: false, channels: ['ebay', 'etsy'], startedAt: expect.any(String), finishedAt: expect.any(String), status: 'finished',
      listingsChecked: 6, driftFound: 1, driftFixed: 0, driftStored: 1, progress: { done: 6, total: 6 },
      channelReports: [
        { channel: 'ebay', ok: true, listingsChecked: 3, driftFound: 0, driftFixed: 0, apiCalls: expect.any(Number), seconds: expect.any(Number) },
        { channel: 'etsy', ok: true, listingsChecked: 3, driftFound: 1, driftFixed: 0, apiCalls: expect.any(Number), seconds: expect.any(Number) },
      ],
    });
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(drift).toEqual([{ channel: 'etsy', sku: 'JUG', listingId: expect.any(Number), expected: 7, shown: 40, cause: 'changed_outside_shelfguard', fixed: false }]);
    expect(await runCount()).toBe(1);
  });

  test('a fixing run repairs the drift; the history pages newest first; the latest drift comes from each channel\'s newest run', async () => {
    const started = await call('POST', '/v1/admin/reconcile', { fix: true, channel: 'etsy' });
    expect(started.status).toBe(202);
    const { run, drift } = await finishedRun(started.json.runId);
    expect([run.fix, run.channels, run.driftFound, run.driftFixed]).toEqual([true, ['etsy'], 1, 1]);
    expect(drift).toEqual([expect.objectContaining({ sku: 'JUG', shown: 40, expected: 7, fixed: true })]);
    await until(async () => fleet.shown('etsy', 'JUG') === 7, 'the repair push');

    const page = await call('GET', '/v1/admin/reconcile/runs?limit=1');
    expect(page.json.runs.map((entry: { id: string }) => entry.id)).toEqual([started.json.runId]);
    const older = await call('GET', `/v1/admin/reconcile/runs?limit=10&before=${started.json.runId}`);
    expect(older.json.runs).toHaveLength(1);
    expect(older.json.runs[0]).toMatchObject({ trigger: 'admin', fix: false, channels: ['ebay', 'etsy'] });

    // eBay's newest read is the first run (no drift); Etsy's is the fixing run.
    const latest = await call('GET', '/v1/admin/reconcile/drift');
    expect(latest.json).toEqual({ drift: [{ channel: 'etsy', sku: 'JUG', listingId: expect.any(Number), expected: 7, shown: 40, cause: 'changed_outside_shelfguard', fixed: true, runId: started.json.runId, checkedAt: run.finishedAt }] });

    const clean = await call('POST', '/v1/admin/reconcile', {});
    const after = await finishedRun(clean.json.runId);
    expect([after.run.status, after.run.driftFound, after.drift]).toEqual(['finished', 0, []]);
    expect((await call('GET', '/v1/admin/reconcile/drift')).json).toEqual({ drift: [] });
  });

  test('a channel that cannot be read fails the run with its reason, and its stale drift is not taken as the latest', async () => {
    await fleet.call('ebay', 'PUT', '/listings/CUP/quantity', { quantity: 99 });
    const ebay = fleet.get('ebay').sandbox.context;
    ebay.faults = { ...ebay.faults, rate5xx: 1 };
    try {
      const started = await call('POST', '/v1/admin/reconcile', {});
      const { run } = await finishedRun(started.json.runId);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^ebay: /);
      expect(run.channelReports.map((report: { channel: string; ok: boolean }) => [report.channel, report.ok])).toEqual([['ebay', false], ['etsy', true]]);
      expect(run.error).not.toContain(daemon.adminToken);
      for (const secret of Object.values(fleet.get('ebay').sandbox.credentials)) if (secret.length >= 4) expect(JSON.stringify(run)).not.toContain(secret);
    } finally {
      ebay.faults = { ...ebay.faults, rate5xx: 0 };
    }
    expect((await call('GET', '/v1/admin/reconcile/drift')).json).toEqual({ drift: [] });
    await fleet.call('ebay', 'PUT', '/listings/CUP/quantity', { quantity: STOCK.CUP });
  });

  test('a run left running by a process that died does not block the next one', async () => {
    const now = Date.now();
    const abandoned = newId('rr', now - RUN_STALE_AFTER_MS - 60_000);
    await daemon.daemon.store.db.insertInto('reconcile_run').values({
      id: abandoned, trigger_kind: 'cli', fix: 0, channels: '["ebay"]', status: 'running', running_slot: 1, listings_checked: 0, drift_found: 0, drift_fixed: 0, drift_stored: 0,
      progress_done: 1, progress_total: 3, channel_reports: null, error: null, started_at: now - RUN_STALE_AFTER_MS - 60_000, heartbeat_at: now - RUN_STALE_AFTER_MS - 1_000, finished_at: null, created_at: now - RUN_STALE_AFTER_MS - 60_000,
    }).execute();
    const started = await call('POST', '/v1/admin/reconcile', {});
    expect(started.status).toBe(202);
    await finishedRun(started.json.runId);
    const { run } = (await call('GET', `/v1/admin/reconcile/runs/${abandoned}`)).json;
    expect([run.status, run.error]).toEqual(['failed', 'interrupted: the process running it stopped answering']);
  });
});
