/**
 * The one place where concrete parts are wired together: store, ledger, ingest, HTTP. Everything
 * else receives its dependencies through constructors.
 */
import type { Config } from './config.js';
import { Catalogue } from './ledger/catalogue.js';
import { Ledger } from './ledger/ledger.js';
import { migrateToLatest } from './ledger/migrations.js';
import { openStore, type Store } from './ledger/store.js';
import { WooEventIngest } from './ingest/woo-events.js';
import { adminRouter } from './http/admin-routes.js';
import { createApp } from './http/app.js';
import { eventsRouter } from './http/events-route.js';
import { createMetrics } from './http/metrics.js';
import { listen, type RunningServer } from './http/server.js';
import type { Logger } from './logger.js';

export interface Daemon {
  store: Store;
  ledger: Ledger;
  catalogue: Catalogue;
  server: RunningServer;
  url: string;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Apply pending migrations at start (the default; `serve --no-migrate` turns it off). */
  migrate?: boolean;
  nowSeconds?: () => number;
}

export async function startDaemon(config: Config, logger: Logger, options: DaemonOptions = {}): Promise<Daemon> {
  const store = await openStore(config.databaseUrl, { connectionsMax: config.databaseConnectionsMax });
  if (options.migrate !== false) {
    const applied = await migrateToLatest(store.db as never);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const catalogue = new Catalogue(store);
  await catalogue.ensureDefaults();
  const ledger = new Ledger(store);
  const metrics = createMetrics();
  const ingest = new WooEventIngest(store, ledger, catalogue);
  let draining = false;
  const secrets = [config.secret, config.previousSecret].filter((secret): secret is string => secret !== undefined);
  if (secrets.length === 0) logger.warn('no SHELFGUARD_SECRET set: every plugin event will be refused (401)');

  const app = createApp({
    store, logger, metrics, isDraining: () => draining,
    routers: [
      eventsRouter({ secrets: () => secrets, ingest, logger, metrics, ...(options.nowSeconds ? { nowSeconds: options.nowSeconds } : {}) }),
      adminRouter(store, () => config.adminToken),
    ],
  });
  const server = await listen(app, config.host, config.port, { headersTimeoutMs: config.headersTimeoutMs, requestTimeoutMs: config.requestTimeoutMs });
  logger.info({ url: server.url, database: store.description }, 'shelfguard daemon listening');

  return {
    store, ledger, catalogue, server, url: server.url,
    async stop() {
      draining = true;
      await server.close(config.shutdownGraceMs);
      await store.close();
      logger.info('shelfguard daemon stopped');
    },
  };
}
