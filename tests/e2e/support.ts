/**
 * What the end-to-end tests drive: the WordPress test site that tests/lanes/35-e2e.sh started
 * (its PHP in WordPress's context through tests/e2e/wp.php, its HTTP on SHELFGUARD_WP_PORT), and
 * a real daemon on a ledger that survives a stop and a restart on the same port.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../daemon/src/config.js';
import { createLogger } from '../../daemon/src/logger.js';
import { startDaemon, type Daemon } from '../../daemon/src/main.js';
import { newSecret } from '../helpers/daemon.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.js';

export const SITE_URL = `http://127.0.0.1:${process.env.SHELFGUARD_WP_PORT ?? '8093'}`;
const HELPER = fileURLToPath(new URL('./wp.php', import.meta.url));

export async function siteAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${SITE_URL}/wp-json/`, { signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
}

/** One WordPress request in the site's PHP context; its JSON answer. Secrets go by environment. */
export function wp<T = any>(action: string, args: Record<string, unknown> = {}, secret?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(secret ? { SHELFGUARD_E2E_SECRET: secret } : {}) };
    execFile('php', [HELPER, action, JSON.stringify(args)], { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`wp.php ${action} failed: ${stderr.slice(0, 2_000) || error.message}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try { resolve(JSON.parse(line) as T); } catch { reject(new Error(`wp.php ${action} printed no JSON: ${stdout.slice(0, 500)}`)); }
    });
  });
}

/** WordPress's cron endpoint, as a system cron job calls it: runs the due scheduled events. */
export async function wpCron(): Promise<number> {
  const response = await fetch(`${SITE_URL}/wp-cron.php`, { signal: AbortSignal.timeout(60_000) });
  await response.text();
  return response.status;
}

export interface QueueRow { id: string; event_key: string; event_type: string; product_id: string; status: string; attempts: string; last_error: string }
export interface QueueView { statuses: Record<string, number>; rows: QueueRow[] }
export interface Delivery { delivered: number; dead: number; retrying: number; error: string; ms: number }

/** A real daemon whose ledger outlives stop(): restart() brings it back on the same port and data. */
export class LedgerDaemon {
  readonly secret = newSecret();
  readonly adminToken = randomBytes(24).toString('hex');
  private daemon: Daemon | undefined;
  private database: TestDatabase | undefined;
  private port = 0;
  url = '';

  constructor(private readonly kind: StoreKind) {}

  async start(): Promise<void> {
    this.database ??= await createTestDatabase(this.kind);
    const sink = new Writable({ write(_chunk, _encoding, done) { done(); } });
    const config = loadConfig({}, { databaseUrl: this.database.url, port: this.port, secret: this.secret, adminToken: this.adminToken, logLevel: 'warn' });
    this.daemon = await startDaemon(config, createLogger('warn', sink), { pollOrders: false });
    this.url = this.daemon.url;
    this.port = Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    await this.daemon?.stop();
    this.daemon = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.database?.drop();
  }

  async admin(path: string): Promise<{ status: number; json: any }> {
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.adminToken}` } });
    return { status: response.status, json: await response.json().catch(() => null) };
  }

  async stockOf(sku: string): Promise<{ onHand: number; available: number } | undefined> {
    return (await this.admin(`/v1/admin/stock?sku=${encodeURIComponent(sku)}`)).json.stock[0];
  }

  /** Every movement of a SKU, oldest first. */
  async movementsOf(sku: string): Promise<Array<{ id: string; deltaOnHand: number; reason: string; key: string; actor: string }>> {
    const all = [];
    let after: string | null = null;
    do {
      const { json }: { json: any } = await this.admin(`/v1/admin/movements?sku=${encodeURIComponent(sku)}&order=asc&limit=1000${after ? `&after=${after}` : ''}`);
      all.push(...json.movements);
      after = json.next;
    } while (after);
    return all;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small deterministic generator (the sandboxes' own), so a failing run can be repeated exactly. */
export { seededRandom as seeded } from '../../daemon/src/sandbox/kit/seeded-random.js';
