/**
 * A real daemon for HTTP tests: startDaemon on a fresh ledger, a generated secret and admin token,
 * logs captured in memory (to prove secrets never reach them), and a signed-request helper.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../daemon/src/config.js';
import { createLogger } from '../../daemon/src/logger.js';
import { startDaemon, type Daemon } from '../../daemon/src/main.js';
import { signedHeaders } from '../../daemon/src/signing/standard-webhooks.js';
import { createTestDatabase, type StoreKind } from './stores.js';

export interface TestDaemon {
  daemon: Daemon;
  secret: string;
  adminToken: string;
  logs: string[];
  postEvents(body: unknown, options?: { secret?: string; timestamp?: number; id?: string }): Promise<{ status: number; json: any }>;
  admin(path: string): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function startTestDaemon(kind: StoreKind, overrides: Partial<Config> = {}): Promise<TestDaemon> {
  const database = await createTestDatabase(kind);
  const secret = newSecret();
  const adminToken = randomBytes(24).toString('hex');
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { logs.push(String(chunk)); done(); } });
  const config = loadConfig({}, { databaseUrl: database.url, port: 0, secret, adminToken, logLevel: 'debug', ...overrides });
  const daemon = await startDaemon(config, createLogger('debug', sink));
  return {
    daemon, secret, adminToken, logs,
    async postEvents(body, options = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const id = options.id ?? `msg_${randomUUID()}`;
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const response = await fetch(`${daemon.url}/v1/events`, {
        method: 'POST',
        headers: signedHeaders(options.secret ?? secret, id, timestamp, text),
        body: text,
      });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    async admin(path) {
      const response = await fetch(`${daemon.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    async stop() {
      await daemon.stop();
      await database.drop();
    },
  };
}

export function productUpserted(id: number, sku: string, stock: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `wc:test.shop:product:${id}:upsert:${randomUUID()}`, type: 'product.upserted', occurred_at: new Date().toISOString(), product: { id, sku, name: sku, kind: 'simple', manage_stock: true, stock_quantity: stock, backorders: 'no', ...extra } };
}

export function lineReduced(orderItemId: number, product: { id: number; sku?: string }, quantity: number, seq = 1): Record<string, unknown> {
  return { id: `wc:test.shop:${orderItemId}:reduce:${seq}`, type: 'order.line.reduced', occurred_at: new Date().toISOString(), order_id: 1000 + orderItemId, order_item_id: orderItemId, seq, product, quantity };
}
