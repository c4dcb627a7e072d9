/**
 * The `shelfguard` command as an operator runs it: a real process through bin/shelfguard.js.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { signedHeaders } from '../../daemon/src/signing/standard-webhooks.js';
import { newId } from '../../daemon/src/ledger/ids.js';
import { openStore } from '../../daemon/src/ledger/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/stores.js';
import { lineReduced, newSecret, productUpserted } from '../helpers/daemon.js';

function shelfguard(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/shelfguard.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the shelfguard command', () => {
  let database: TestDatabase;
  beforeAll(async () => { database = await createTestDatabase('sqlite'); });
  afterAll(async () => database.drop());

  test('lists its commands in --help', () => {
    const { status, stdout } = shelfguard(['--help']);
    expect(status).toBe(0);
    for (const command of ['serve', 'migrate', 'status', 'audit', 'bench', 'sandbox', 'demo']) expect(stdout).toContain(command);
  });

  test('refuses a malformed argument with exit code 2 and names it', () => {
    const { status, stderr } = shelfguard(['bench', 'oversell', '--orders', 'many']);
    expect(status).toBe(2);
    expect(stderr).toContain('--orders must be a whole number');
  });

  test('refuses a bad configuration naming the variable', () => {
    const { status, stderr } = shelfguard(['status'], { SHELFGUARD_DATABASE_URL: 'postgres://nope' });
    expect(status).toBe(2);
    expect(stderr).toContain('SHELFGUARD_DATABASE_URL');
  });

  test('migrates, then reports the status as JSON', () => {
    expect(shelfguard(['migrate', '--json'], { SHELFGUARD_DATABASE_URL: database.url }).status).toBe(0);
    const { status, stdout } = shelfguard(['status', '--json'], { SHELFGUARD_DATABASE_URL: database.url });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ migrated: true, skus: 0, oversells: { total: 0 } });
  });

  test('dead-letters lists, refuses a malformed id naming it, and resolves what it is given', async () => {
    const env = { SHELFGUARD_DATABASE_URL: database.url };
    // The first command migrates the ledger it is pointed at.
    expect(shelfguard(['dead-letters', 'list'], env).stdout).toContain('no unresolved dead letters');
    const store = await openStore(database.url);
    const id = newId('dl');
    try {
      await store.db.insertInto('dead_letter').values({ id, kind: 'push', channel: 'ebay', reference: 'listing:41:MUG', payload: '{}', error: 'server_error: answered 500', attempts: 6, resolved_at: null, created_at: Date.now() }).execute();
    } finally {
      await store.close();
    }
    const listed = shelfguard(['dead-letters', 'list', '--channel', 'ebay', '--json'], env);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).deadLetters.map((row: { id: string }) => row.id)).toEqual([id]);
    expect(shelfguard(['dead-letters', 'list'], env).stdout).toMatch(new RegExp(`${id}\\s+push\\s+ebay\\s+listing:41:MUG\\s+6`));

    const neither = shelfguard(['dead-letters', 'retry'], env);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toContain('name the dead letter ids to act on, or --channel <code> or --all');
    const malformed = shelfguard(['dead-letters', 'retry', id, 'dl_bad'], env);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('"dl_bad" is not a dead letter id');
    expect(shelfguard(['dead-letters', 'list', '--channel', 'E BAY'], env).status).toBe(2);

    // Listing 41 does not exist here: a retry would say target_gone; resolve only acknowledges.
    const resolved = shelfguard(['dead-letters', 'resolve', '--channel', 'ebay', '--json'], env);
    expect(resolved.status).toBe(0);
    expect(JSON.parse(resolved.stdout).results).toEqual([{ id, kind: 'push', channel: 'ebay', outcome: 'resolved', reference: 'MUG' }]);
    const missing = shelfguard(['dead-letters', 'retry', id, newId('dl')], env);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/already_resolved[\s\S]*not_found/);
  });

  test('audit why names an unknown SKU as the problem', () => {
    const { status, stderr } = shelfguard(['audit', 'why', 'NO-SUCH-SKU'], { SHELFGUARD_DATABASE_URL: database.url });
    expect(status).toBe(1);
    expect(stderr).toContain('no SKU "NO-SUCH-SKU"');
  });

  test('bench oversell accepts exactly the stock on SQLite', () => {
    const { status, stdout } = shelfguard(['bench', 'oversell', '--store', 'sqlite', '--orders', '200', '--stock', '20', '--channels', '5', '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ accepted: 20, rejected: 180, oversold: 0, min_available: 0, conservation_violations: 0 });
  });

  test('serve finishes the requests it accepted when SIGTERM arrives, then exits 0', async () => {
    const secret = newSecret();
    const child = spawn(process.execPath, ['bin/shelfguard.js', 'serve'], { env: { ...process.env, SHELFGUARD_DATABASE_URL: database.url, SHELFGUARD_PORT: '0', SHELFGUARD_SECRET: secret, SHELFGUARD_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => { try { const entry = JSON.parse(line) as { url?: string }; if (entry.url) resolve(entry.url); } catch { /* not a log line */ } });
      setTimeout(() => reject(new Error('the daemon did not report its URL within 30 s')), 30_000);
    });
    const post = async (events: unknown[]): Promise<number> => {
      const body = JSON.stringify({ site: 'cli.shop', events });
      const id = `msg_${randomUUID()}`;
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(`${url}/v1/events`, { method: 'POST', headers: signedHeaders(secret, id, timestamp, body), body });
      await response.arrayBuffer();
      return response.status;
    };
    expect(await post([productUpserted(1, 'CLI-1', 500)])).toBe(200);
    const inFlight = Array.from({ length: 30 }, (_, index) => post([lineReduced(10_000 + index, { id: 1, sku: 'CLI-1' }, 1)]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const statuses = await Promise.allSettled(inFlight);
    const answered = statuses.filter((entry): entry is PromiseFulfilledResult<number> => entry.status === 'fulfilled');
    expect(answered.every((entry) => entry.value === 200)).toBe(true);
    expect(await exited).toBe(0);
    const status = JSON.parse(shelfguard(['status', '--json'], { SHELFGUARD_DATABASE_URL: database.url }).stdout) as { movements: number };
    // Every request the daemon answered 200 is in the ledger: the opening count plus one sale each.
    expect(status.movements).toBe(1 + answered.length);
  });
});
