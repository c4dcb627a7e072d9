/**
 * Every way a reconciliation run starts is recorded: the daemon's schedule (node-cron) and the
 * `shelfguard reconcile` command (a real process), beside the admin API (reconcile-routes.test.ts).
 * The command refuses an unknown channel and a second run while one runs, naming why.
 */
import { spawn } from 'node:child_process';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { newId } from '../../daemon/src/ledger/ids.js';
import { migrateToLatest } from '../../daemon/src/ledger/migrations.js';
import { openStore } from '../../daemon/src/ledger/store.js';
import { startTestDaemon } from '../helpers/daemon.js';
import { createTestDatabase } from '../helpers/stores.js';

/** Runs the command without blocking this process: the sandbox it reads runs here. */
function shelfguard(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/shelfguard.js', ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += String(chunk); });
    child.stderr.on('data', (chunk) => { stderr += String(chunk); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('where reconciliation runs come from', () => {
  let fleet: SandboxFleet;
  beforeAll(async () => {
    fleet = await startSandboxFleet(['etsy'], { asyncDelayMs: 0 });
    await fleet.call('etsy', 'POST', '/listings', { listings: [{ sku: 'LOOSE', quantity: 3 }] });
  });
  afterAll(async () => fleet.close());
  const channels = () => ({ etsy: { baseUrl: fleet.get('etsy').sandbox.baseUrl, credentials: fleet.get('etsy').sandbox.credentials, mode: 'live' as const, requestTimeoutMs: 10_000 } });

  test('the schedule records its runs, with fix', async () => {
    const daemon = await startTestDaemon('sqlite', { channels: channels(), reconcileSchedule: '* * * * * *', logLevel: 'warn' });
    try {
      const deadline = Date.now() + 20_000;
      let run: { trigger: string; status: string; fix: boolean; driftFound: number } | undefined;
      while (!run && Date.now() < deadline) {
        const { json } = await daemon.admin('/v1/admin/reconcile/runs?limit=100');
        run = json.runs.find((entry: { trigger: string; status: string }) => entry.trigger === 'schedule' && entry.status !== 'running');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(run).toMatchObject({ trigger: 'schedule', status: 'finished', fix: true, driftFound: 1 });
    } finally {
      await daemon.stop();
    }
  });

  test('the command records its run, refuses an unknown channel, and refuses to start beside a running run', async () => {
    const database = await createTestDatabase('sqlite');
    const env = { SHELFGUARD_DATABASE_URL: database.url, SHELFGUARD_CHANNELS: JSON.stringify(channels()), SHELFGUARD_LOG_LEVEL: 'silent' };
    try {
      const done = await shelfguard(['reconcile', '--channel', 'etsy', '--json'], env);
      expect(done.status).toBe(0);
      const answer = JSON.parse(done.stdout);
      expect(answer).toMatchObject({ status: 'finished', reports: [{ channel: 'etsy', ok: true, drift: [{ sku: 'LOOSE', cause: 'unmapped_listing', fixed: false }] }] });
      const store = await openStore(database.url);
      try {
        await migrateToLatest(store.db as never);
        const row = await store.db.selectFrom('reconcile_run').selectAll().where('id', '=', answer.runId).executeTakeFirstOrThrow();
        expect([row.trigger_kind, row.status, row.drift_found, row.running_slot]).toEqual(['cli', 'finished', 1, null]);

        const unknown = await shelfguard(['reconcile', '--channel', 'walmart', '--json'], env);
        expect(unknown.status).toBe(2);
        expect(unknown.stderr).toContain('"walmart"');

        const now = Date.now();
        const running = newId('rr', now);
        await store.db.insertInto('reconcile_run').values({
          id: running, trigger_kind: 'admin', fix: 0, channels: '["etsy"]', status: 'running', running_slot: 1, listings_checked: 0, drift_found: 0, drift_fixed: 0, drift_stored: 0,
          progress_done: 0, progress_total: 1, channel_reports: null, error: null, started_at: now, heartbeat_at: now, finished_at: null, created_at: now,
        }).execute();
        const refused = await shelfguard(['reconcile', '--json'], env);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain(`reconciliation run ${running} is still running`);
        expect((await store.db.selectFrom('reconcile_run').select('id').execute()).length).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});
