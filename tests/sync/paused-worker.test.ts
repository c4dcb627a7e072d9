/**
 * RELIABILITY B8 and B10 with real processes on one MariaDB database.
 *
 * B8: two sync workers (`daemon/src/sync/lease-worker-process.ts`, the real SyncEngine in a
 * process of its own) push to the TikTok sandbox through a recording proxy that delays every
 * request, so a worker always has pushes queued. The worker holding claims is stopped with
 * SIGSTOP for twice the lease; meanwhile every SKU is raised again. The other worker must take
 * the stopped one's listings no earlier than its lease's end and within one poll interval after
 * it; after SIGCONT the stale worker completes nothing. The workers name the claim versions of
 * every push in a trace header, so the proxy counts pushes per (listing, version) where the
 * marketplace receives them: none may be received twice (0 double pushes), and every SKU must end
 * at the ledger's level with an empty outbox and no dead letter (0 lost). Stale pushes (a version
 * below one already received) are counted and printed.
 *
 * B10: the real daemon (`shelfguard serve`) stopped with SIGTERM while it holds claims exits 0
 * with no lease of its own left in the future, and a new daemon drains the rest within a lease.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DaemonProcess, freePort } from '../../daemon/src/bench/crash-daemon-process.js';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { Ledger } from '../../daemon/src/ledger/ledger.js';
import { LedgerQueries } from '../../daemon/src/ledger/queries.js';
import type { Store } from '../../daemon/src/ledger/store.js';
import { LEASE_MS_DEFAULT } from '../../daemon/src/sync/dispatcher.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import { openTestStore } from '../helpers/stores.js';

const WORKER_PATH = fileURLToPath(new URL('../../daemon/src/sync/lease-worker-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LEASE_MS = 3_000;
const POLL_MS = 200;
/** Room for a claiming pass on a loaded 2-core machine; the measured lags are printed. */
const TAKEOVER_SLACK_MS = 1_500;
const REPETITIONS = 3;
const PROXY_DELAY_MS = 150;
const SKUS = Array.from({ length: 24 }, (_, index) => `PW${index}`);
const OPENING = 10;

interface Pushed { skuId: string; quantity: number; atMs: number; versions: string | undefined }

/** A pass-through proxy in front of the sandbox that holds each request PROXY_DELAY_MS and records
 * every inventory update it forwards (what the marketplace receives). */
async function startRecordingProxy(targetUrl: string): Promise<{ url: string; pushed: Pushed[]; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const pushed: Pushed[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      setTimeout(() => {
        if (req.method === 'POST' && /\/products\/[^/]+\/inventory\/update/.test(req.url ?? '')) {
          const parsed = JSON.parse(body.toString('utf8')) as { skus: Array<{ id: string; inventory: Array<{ quantity: number }> }> };
          const trace = req.headers['x-shelfguard-trace'];
          for (const sku of parsed.skus) pushed.push({ skuId: sku.id, quantity: sku.inventory[0]!.quantity, atMs: Date.now(), versions: typeof trace === 'string' ? trace : undefined });
        }
        const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => { res.destroy(); });
        upstream.end(body);
      }, PROXY_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, pushed, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

class Worker {
  readonly child: ChildProcess;
  owner = '';
  /** Pushes the worker finished (its completion held the fence), as it reported them. */
  readonly finished: Array<{ listingId: number; version: number; status: string; receivedAt: number }> = [];
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  stderr = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WORKER_PATH], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4_000); });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a worker was not ready within 60 s: ${this.stderr.slice(-800)}`)), 60_000);
      createInterface({ input: this.child.stdout! }).on('line', (line) => {
        const event = JSON.parse(line) as { event: string; owner?: string; listingId?: number; version?: number; status?: string };
        if (event.event === 'ready') { clearTimeout(timer); this.owner = event.owner!; resolve(); }
        if (event.event === 'push') this.finished.push({ listingId: event.listingId!, version: event.version!, status: event.status!, receivedAt: Date.now() });
      });
      void this.exited.then((code) => { clearTimeout(timer); reject(new Error(`a worker exited (${code}) before it was ready: ${this.stderr.slice(-800)}`)); });
    });
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGTERM');
    }
    return this.exited;
  }
}

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function heldBy(store: Store, owner: string): Promise<Array<{ listing_id: number; fence: number; lease_until: number }>> {
  const rows = await store.db.selectFrom('listing_sync').select(['listing_id', 'fence', 'lease_until']).where('lease_owner', '=', owner).where('lease_until', '>', Date.now()).execute();
  return rows.map((row) => ({ listing_id: row.listing_id, fence: Number(row.fence), lease_until: Number(row.lease_until) }));
}

async function outboxEmpty(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('outbox').select('id').limit(1).execute()).length === 0;
}

/** From the workers' trace headers: double pushes (one (listing, version) received twice) and
 * stale ones (a version below one the marketplace already received for that listing). */
function audit(pushed: Pushed[]): { doubles: number; stale: number; traced: number } {
  const seen = new Set<string>();
  const highest = new Map<string, number>();
  let doubles = 0;
  let stale = 0;
  let traced = 0;
  const requests = new Set<string>();
  for (const push of pushed) {
    if (!push.versions || requests.has(`${push.atMs}:${push.versions}`)) continue;
    requests.add(`${push.atMs}:${push.versions}`);
    for (const pair of push.versions.split(',')) {
      traced += 1;
      const [sku, text] = pair.split('=');
      const version = Number(text);
      if (seen.has(pair)) doubles += 1;
      else if (version < (highest.get(sku!) ?? -Infinity)) stale += 1;
      seen.add(pair);
      highest.set(sku!, Math.max(highest.get(sku!) ?? -Infinity, version));
    }
  }
  return { doubles, stale, traced };
}

describe('processes sharing one MariaDB ledger', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let ledger: Ledger;
  let bumps = 0;

  const channelsJson = (): string => {
    const member = fleet.get('tiktok');
    return JSON.stringify({ tiktok: { baseUrl: proxy.url, credentials: member.sandbox.credentials, mode: 'live' } });
  };
  const raiseEverySku = async (): Promise<void> => {
    bumps += 1;
    for (const sku of SKUS) {
      const result = await ledger.adjust({ key: `pw-${bumps}-${sku}`, channel: null, actor: 'test', sku, location: 'main', delta: 1, reason: 'received' });
      if (!result.ok) throw new Error(result.error.message);
    }
  };
  const everySkuShown = async (): Promise<boolean> => {
    const levels = new Map((await new LedgerQueries(opened.store).stockOf()).map((row) => [row.sku, row.available]));
    return SKUS.every((sku) => fleet.shown('tiktok', sku) === levels.get(sku));
  };

  beforeAll(async () => {
    opened = await openTestStore('mysql');
    fleet = await startSandboxFleet(['tiktok'], { asyncDelayMs: 0, rateLimits: 'documented' });
    proxy = await startRecordingProxy(fleet.get('tiktok').sandbox.baseUrl);
    const catalogue = syncedCatalogue(opened.store, () => {});
    await catalogue.ensureDefaults();
    await catalogue.upsertChannel({ code: 'tiktok', mode: 'live', locations: ['main'] });
    for (const sku of SKUS) await catalogue.upsertSku({ code: sku, kind: 'simple' });
    await fleet.seedListings(catalogue, SKUS.map((sku) => ({ sku, quantity: OPENING })));
    ledger = syncedLedger(opened.store, () => {});
    for (const sku of SKUS) {
      const opening = await ledger.count({ key: `pw-opening-${sku}`, sku, location: 'main', available: OPENING, channel: null, actor: 'test' });
      if (!opening.ok) throw new Error(opening.error.message);
    }
  });
  afterAll(async () => {
    await proxy?.close();
    await fleet?.close();
    await opened?.close();
  });

  test(`B8: a worker stopped for twice the lease is taken over within lease + one poll, completes nothing afterwards, and no push is doubled (${REPETITIONS} repetitions)`, async () => {
    const env = { ...process.env, SHELFGUARD_DATABASE_URL: opened.database.url, SHELFGUARD_CHANNELS: channelsJson(), LEASE_WORKER_LEASE_MS: String(LEASE_MS), LEASE_WORKER_POLL_MS: String(POLL_MS), LEASE_WORKER_TRACE: '1' };
    const workers = [new Worker(env), new Worker(env)];
    const lags: number[] = [];
    try {
      await Promise.all(workers.map((worker) => worker.ready));
      for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
        await raiseEverySku();
        // Stop whichever worker first holds claims, while its pushes wait behind the proxy.
        let paused: Worker | undefined;
        let held: Awaited<ReturnType<typeof heldBy>> = [];
        let stoppedAt = 0;
        await until(async () => {
          for (const worker of workers) {
            if ((await heldBy(opened.store, worker.owner)).length === 0) continue;
            worker.signal('SIGSTOP');
            stoppedAt = Date.now();
            // What it holds once stopped (it may have finished some claims just before).
            held = await heldBy(opened.store, worker.owner);
            if (held.length > 0) { paused = worker; return true; }
            worker.signal('SIGCONT');
          }
          return false;
        }, 20_000, 'a worker holding claims');
        const leaseEnd = Math.max(...held.map((row) => row.lease_until));
        await raiseEverySku();
        // The other worker takes each listing once the lease is over, not before.
        const fences = new Map(held.map((row) => [row.listing_id, row.fence]));
        await until(async () => {
          const rows = await opened.store.db.selectFrom('listing_sync').select(['listing_id', 'fence']).where('listing_id', 'in', [...fences.keys()]).execute();
          if (!rows.every((row) => Number(row.fence) > fences.get(row.listing_id)!)) return false;
          lags.push(Date.now() - leaseEnd);
          return true;
        }, LEASE_MS * 3, 'the takeover').catch(async (error: unknown) => {
          const rows = await opened.store.db.selectFrom('listing_sync').selectAll().where('listing_id', 'in', [...fences.keys()]).execute();
          const { sql } = await import('kysely');
          process.stdout.write(`takeover diagnostics: transactions ${JSON.stringify((await sql`select trx_id, trx_state, trx_started, trx_mysql_thread_id, trx_query, trx_rows_locked from information_schema.innodb_trx`.execute(opened.store.db)).rows)}\n`);
          process.stdout.write(`takeover diagnostics: sessions ${JSON.stringify((await sql`select id, command, time, state, info from information_schema.processlist where db is not null`.execute(opened.store.db)).rows)}\n`);
          process.stdout.write(`takeover diagnostics: workers ${workers.map((worker) => `${worker.owner} exit=${worker.child.exitCode} stderr=${worker.stderr}`).join(' | ')}\n`);
          process.stdout.write(`takeover diagnostics: now=${Date.now()} leaseEnd=${leaseEnd} held=${JSON.stringify(held)} rows=${JSON.stringify(rows)} outbox=${JSON.stringify(await opened.store.db.selectFrom('outbox').selectAll().execute())}\n`);
          throw error;
        });
        expect(lags.at(-1)!).toBeGreaterThanOrEqual(0);
        expect(lags.at(-1)!).toBeLessThanOrEqual(POLL_MS + TAKEOVER_SLACK_MS);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + 2 * LEASE_MS - Date.now())));
        paused!.signal('SIGCONT');
        const resumedAt = Date.now();
        // Whatever the resumed worker still sends has reached the marketplace by then; every SKU
        // must then be (or come back, pushed over a stale push) at the ledger's level.
        await new Promise((resolve) => setTimeout(resolve, 2 * (POLL_MS + PROXY_DELAY_MS) + 1_000));
        await until(async () => (await everySkuShown()) && (await outboxEmpty(opened.store)), 15_000, 'every SKU at the ledger and an empty outbox');
        // The fence refused every completion the resumed worker tried under the claims it lost.
        expect(paused!.finished.filter((push) => push.receivedAt >= resumedAt && fences.get(push.listingId) === push.version)).toEqual([]);
      }
    } finally {
      for (const worker of workers) await worker.stop();
    }
    const { doubles, stale, traced } = audit(proxy.pushed);
    process.stdout.write(`B8 (${REPETITIONS} repetitions, lease ${LEASE_MS} ms, poll ${POLL_MS} ms): takeover after the lease ended ${lags.join(', ')} ms; ${traced} pushes received, ${doubles} double, ${stale} stale\n`);
    expect(traced).toBeGreaterThan(0);
    // No (listing, version) is ever pushed twice. A push that passed the lease check just before
    // the SIGSTOP (waiting for a token or a connection) still leaves on SIGCONT, after the
    // takeover: such stale pushes are counted and printed, not failed, since the channel was
    // brought back to the ledger above (the refused completion queued the listing again).
    expect(doubles).toBe(0);
    expect(await outboxEmpty(opened.store)).toBe(true);
    expect(await opened.store.db.selectFrom('dead_letter').selectAll().execute()).toEqual([]);
  }, 120_000);

  test('B1: the claims of a worker killed with SIGKILL are released by the next worker started on this host, long before its lease ends', async () => {
    const longLeaseMs = 60_000;
    const env = { ...process.env, SHELFGUARD_DATABASE_URL: opened.database.url, SHELFGUARD_CHANNELS: channelsJson(), LEASE_WORKER_LEASE_MS: String(longLeaseMs), LEASE_WORKER_POLL_MS: String(POLL_MS) };
    const killed = new Worker(env);
    let next: Worker | undefined;
    try {
      await killed.ready;
      await raiseEverySku();
      let held: Awaited<ReturnType<typeof heldBy>> = [];
      await until(async () => (held = await heldBy(opened.store, killed.owner)).length > 0, 20_000, 'the worker holding claims');
      killed.signal('SIGKILL');
      await killed.exited;
      held = await heldBy(opened.store, killed.owner);
      expect(held.length).toBeGreaterThan(0);
      const started = Date.now();
      next = new Worker(env);
      await next.ready;
      await until(async () => (await heldBy(opened.store, killed.owner)).length === 0, 10_000, 'the dead worker\'s leases to be released');
      await until(async () => (await everySkuShown()) && (await outboxEmpty(opened.store)), 20_000, 'every SKU at the ledger and an empty outbox');
      const drainedMs = Date.now() - started;
      process.stdout.write(`B1: a SIGKILLed worker's ${held.length} leases (${longLeaseMs} ms) released and drained ${drainedMs} ms after the next worker was started\n`);
      expect(drainedMs).toBeLessThan(longLeaseMs / 2);
    } finally {
      await killed.stop();
      await next?.stop();
    }
  }, 120_000);

  test('B10: SIGTERM to the daemon while it holds claims leaves none of its leases in the future', async () => {
    const daemon = new DaemonProcess({ databaseUrl: opened.database.url, secret: `whsec_${randomBytes(24).toString('base64')}`, port: await freePort(), channels: JSON.parse(channelsJson()) as Record<string, unknown> });
    await daemon.start();
    let owner = '';
    try {
      await raiseEverySku();
      await until(async () => {
        const rows = await opened.store.db.selectFrom('listing_sync').select('lease_owner').where('lease_until', '>', Date.now()).where('lease_owner', 'is not', null).limit(1).execute();
        owner = rows[0]?.lease_owner ?? '';
        return owner !== '';
      }, 20_000, 'the daemon holding claims');
      expect(await daemon.stop()).toEqual({ code: 0, signal: null });
      expect(await heldBy(opened.store, owner)).toEqual([]);
      // What it did not finish is back in the outbox for the next run, which drains it within a lease.
      const restarted = Date.now();
      await daemon.start();
      await until(async () => (await everySkuShown()) && (await outboxEmpty(opened.store)), LEASE_MS_DEFAULT, 'the next run to drain the outbox');
      process.stdout.write(`B10: the next run drained the outbox ${Date.now() - restarted} ms after it was started\n`);
    } finally {
      await daemon.stop();
    }
  }, 120_000);
});
