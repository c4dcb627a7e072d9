/**
 * The real daemon for the plugin's alert tests (AlertsTest.php): a fresh SQLite ledger holding
 * yesterday's Amazon and Walmart orders, one of each oversold and cancelled (AlertSeed.ts), so
 * that the daemon's own seller-standing check (POST /v1/admin/metrics/check) raises real alerts. Prints
 * one JSON line {"url"} once it listens, then runs until stdin closes or SIGTERM, and removes
 * its ledger. The plugin's secret and admin token come by environment, never by argument.
 *
 *   node --import tsx tests/plugin/tests/AlertDaemon.ts
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../../daemon/src/config.js';
import { createLogger } from '../../../daemon/src/logger.js';
import { startDaemon } from '../../../daemon/src/main.js';
import { createTestDatabase } from '../../helpers/stores.js';
import { ALERTING_CHANNELS, seedSellerCancellations } from './AlertSeed.js';

async function main(): Promise<void> {
  const secret = process.env.SHELFGUARD_SECRET;
  const adminToken = process.env.SHELFGUARD_ADMIN_TOKEN;
  if (!secret || !adminToken) throw new Error('SHELFGUARD_SECRET and SHELFGUARD_ADMIN_TOKEN must be set');
  const database = await createTestDatabase('sqlite');
  const sink = new Writable({ write(_chunk, _encoding, done) { done(); } });
  const config = loadConfig({}, { databaseUrl: database.url, port: 0, secret, adminToken, logLevel: 'warn' });
  const daemon = await startDaemon(config, createLogger('warn', sink), { pollOrders: false });
  await seedSellerCancellations(daemon, ALERTING_CHANNELS, Date.now());
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
