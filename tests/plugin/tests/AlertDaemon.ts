/**
 * The real daemon for the plugin's alert tests (AlertsTest.php): a fresh SQLite ledger holding
 * yesterday's Amazon and Walmart orders, one of each oversold and cancelled, so that the
 * daemon's own seller-standing check (POST /v1/admin/metrics/check) raises real alerts. Prints
 * one JSON line {"url"} once it listens, then runs until stdin closes or SIGTERM, and removes
 * its ledger. The plugin's secret and admin token come by environment, never by argument.
 *
 *   node --import tsx tests/plugin/tests/AlertDaemon.ts
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../../daemon/src/config.js';
import type { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import type { Store } from '../../../daemon/src/ledger/store.js';
import { createLogger } from '../../../daemon/src/logger.js';
import { startDaemon } from '../../../daemon/src/main.js';
import { DAY_MS } from '../../../daemon/src/metrics/order-facts.js';
import { createTestDatabase } from '../../helpers/stores.js';

const SHIPPED_ORDERS = 40;

/** SHIPPED_ORDERS shipped orders on `channel` yesterday and one more oversold and cancelled. */
async function seedChannel(store: Store, catalogue: Catalogue, channel: string, nowMs: number): Promise<void> {
  await catalogue.upsertChannel({ code: channel, locations: ['main'] });
  await catalogue.upsertListing({ channel, sku: 'MUG' });
  const placed = nowMs - DAY_MS;
  const line = (orderId: string, status: string, updatedAt: number) => ({
    channel, order_id: orderId, line_id: '1', sku: 'MUG', quantity: 1, fulfillment: 'merchant', status, source_updated_at: updatedAt,
    stock_state: status === 'cancelled' ? 'released' : 'reserved', cancel_reason: status === 'cancelled' ? 'seller_out_of_stock' : null, placed_at: placed, created_at: placed, updated_at: updatedAt,
  });
  const rows = Array.from({ length: SHIPPED_ORDERS }, (_, index) => line(`${channel}-${index}`, 'shipped', placed));
  rows.push(line(`${channel}-OVER`, 'cancelled', placed + 60_000));
  await store.db.insertInto('order_line').values(rows).execute();
  const sku = await store.db.selectFrom('sku').select('id').where('code', '=', 'MUG').executeTakeFirstOrThrow();
  await store.db.insertInto('oversell').values({
    id: `os_${channel}`, intent_key: `${channel}:order:${channel}-OVER:line:1:reserve`, channel, reference: `${channel}://order/${channel}-OVER/line/1`,
    sku_id: sku.id, requested: 1, available: 0, resolution: null, created_at: placed,
  }).execute();
}

async function main(): Promise<void> {
  const secret = process.env.SHELFGUARD_SECRET;
  const adminToken = process.env.SHELFGUARD_ADMIN_TOKEN;
  if (!secret || !adminToken) throw new Error('SHELFGUARD_SECRET and SHELFGUARD_ADMIN_TOKEN must be set');
  const database = await createTestDatabase('sqlite');
  const sink = new Writable({ write(_chunk, _encoding, done) { done(); } });
  const config = loadConfig({}, { databaseUrl: database.url, port: 0, secret, adminToken, logLevel: 'warn' });
  const daemon = await startDaemon(config, createLogger('warn', sink), { pollOrders: false });
  const nowMs = Date.now();
  await daemon.catalogue.upsertLocation('main', 'Main');
  await daemon.catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
  for (const channel of ['amazon', 'walmart']) await seedChannel(daemon.store, daemon.catalogue, channel, nowMs);
  process.stdout.write(`${JSON.stringify({ url: daemon.url })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await daemon.stop();
    await database.drop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
