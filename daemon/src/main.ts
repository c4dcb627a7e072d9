/**
 * The one place where concrete parts are wired together: store, ledger, ingest, the sync engine
 * (outbox dispatcher and per-channel schedulers), the order inbox and its polling fallback,
 * scheduled reconciliation, and HTTP. Everything else receives its dependencies through
 * constructors.
 */
import type { Config } from './config.js';
import type { Channel, ChannelConnection, ChannelName } from './channels/channel.js';
import type { Catalogue } from './ledger/catalogue.js';
import type { Ledger } from './ledger/ledger.js';
import { migrateToLatest } from './ledger/migrations.js';
import { openStore, type Store } from './ledger/store.js';
import { WooEventIngest } from './ingest/woo-events.js';
import { adminRouter } from './http/admin-routes.js';
import { createApp } from './http/app.js';
import { eventsRouter } from './http/events-route.js';
import { createMetrics } from './http/metrics.js';
import { listen, type RunningServer } from './http/server.js';
import { syncRouter } from './http/sync-routes.js';
import { metricsRouter } from './http/metrics-routes.js';
import { ordersRouter } from './http/orders-routes.js';
import { latencyRouter } from './http/latency-routes.js';
import { MetricsService } from './metrics/metrics-service.js';
import { readMetricsSettings } from './metrics/metrics-settings.js';
import { officialReadersFor } from './metrics/official-readers.js';
import { webhooksRouter } from './http/webhooks-route.js';
import type { Logger } from './logger.js';
import { OrderInbox } from './orders/order-inbox.js';
import { OrderPoller } from './orders/order-poller.js';
import { OrderProcessor, type OversellAlert } from './orders/order-processor.js';
import { Reconciler } from './reconcile/reconciler.js';
import { ReconcileRuns } from './reconcile/reconcile-runs.js';
import { reconcileRouter } from './http/reconcile-routes.js';
import { scheduleReconciliation } from './reconcile/reconcile-schedule.js';
import { createConnector as createUncheckedConnector } from './sync/channel-registry.js';
import { leaseCheckedFetch } from './sync/lease-guard.js';
import { connectionRouter } from './http/connection-routes.js';
import { parseCredentialsKey } from './ledger/credentials-seal.js';
import { ConnectionStore } from './ledger/credentials-store.js';
import type { SchedulerOptions } from './sync/channel-scheduler.js';
import type { PushEvent } from './sync/dispatcher.js';
import { SyncEngine } from './sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from './sync/synced-ledger.js';

/** How often seller metrics are evaluated, alerts raised and opted-in protection applied. */
export const METRICS_CHECK_INTERVAL_MS = 15 * 60_000;

export interface Daemon {
  metrics: MetricsService;
  store: Store;
  ledger: Ledger;
  catalogue: Catalogue;
  sync: SyncEngine;
  inbox: OrderInbox;
  poller: OrderPoller;
  reconciler: Reconciler;
  /** Every reconciliation run, recorded (history, progress, one at a time). */
  reconcileRuns: ReconcileRuns;
  server: RunningServer;
  url: string;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Apply pending migrations at start (the default; `serve --no-migrate` turns it off). */
  migrate?: boolean;
  nowSeconds?: () => number;
  /** Connectors built by the caller (demo, benches); otherwise built from config.channels. */
  channels?: Channel[];
  scheduler?: SchedulerOptions;
  /** Start the order polling fallback (default true). */
  pollOrders?: boolean;
  onPush?: (event: PushEvent) => void;
  onOversell?: (alert: OversellAlert) => void;
}

/** Connectors whose push requests re-check their claim's lease as they leave (B8). */
const createConnector: typeof createUncheckedConnector = (name, connection) => createUncheckedConnector(name, { fetch: leaseCheckedFetch, ...connection });

function connectorsFrom(config: Config): Channel[] {
  return Object.entries(config.channels).map(([name, connection]) => createConnector(name as ChannelName, { baseUrl: connection!.baseUrl, credentials: connection!.credentials, requestTimeoutMs: connection!.requestTimeoutMs }));
}

/** Marketplaces connected from the admin UI, for every channel configuration does not own. A row
 * that cannot be opened (no key, another key) is logged by channel name and left for the operator. */
async function storedConnections(connections: ConnectionStore, taken: Set<string>, logger: Logger): Promise<Partial<Record<ChannelName, ChannelConnection>>> {
  let stored;
  try {
    stored = await connections.list();
  } catch (error) {
    logger.warn({ err: String(error) }, 'stored marketplace connections not loaded (run `shelfguard migrate`)');
    return {};
  }
  const opened: Partial<Record<ChannelName, ChannelConnection>> = {};
  for (const connection of stored) {
    if (taken.has(connection.channel)) {
      logger.warn({ channel: connection.channel }, 'a marketplace connection stored from the admin UI is ignored: configuration owns this channel');
    } else if (!connection.credentials) {
      logger.error({ channel: connection.channel, problem: connection.problem }, 'a stored marketplace connection cannot be opened; the channel stays disconnected');
    } else {
      opened[connection.channel as ChannelName] = { baseUrl: connection.baseUrl, credentials: connection.credentials, requestTimeoutMs: connection.requestTimeoutMs };
    }
  }
  return opened;
}

export async function startDaemon(config: Config, logger: Logger, options: DaemonOptions = {}): Promise<Daemon> {
  const store = await openStore(config.databaseUrl, { connectionsMax: config.databaseConnectionsMax });
  if (options.migrate !== false) {
    const applied = await migrateToLatest(store.db as never);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const credentialsKey = config.credentialsKey ? parseCredentialsKey(config.credentialsKey) : undefined;
  const connections = new ConnectionStore(store, credentialsKey);
  const built = options.channels ?? connectorsFrom(config);
  const stored = await storedConnections(connections, new Set([...built.map((channel) => channel.name), ...Object.keys(config.channels)]), logger);
  const channels = [...built, ...Object.entries(stored).map(([name, connection]) => createConnector(name as ChannelName, connection))];
  const sync = new SyncEngine({
    store, channels, pollMs: config.syncPollMs, ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    onPush: (event) => {
      if (event.status === 'dead') logger.error({ channel: event.channel, sku: event.sku, error: event.error }, 'push dead-lettered');
      options.onPush?.(event);
    },
    onError: (error) => logger.error({ err: String(error) }, 'sync dispatcher error'),
  });
  const catalogue = syncedCatalogue(store, () => sync.wake());
  await catalogue.ensureDefaults();
  for (const channel of channels) {
    const known = await store.db.selectFrom('channel').select('id').where('code', '=', channel.name).executeTakeFirst();
    const first = await store.db.selectFrom('location').select('code').where('kind', '=', 'warehouse').orderBy('id').executeTakeFirst();
    if (!known) await catalogue.upsertChannel({ code: channel.name, mode: config.channels[channel.name]?.mode ?? 'shadow', locations: first ? [first.code] : [] });
  }
  const ledger = syncedLedger(store, () => sync.wake());
  const metrics = createMetrics();
  const ingest = new WooEventIngest(store, ledger, catalogue);
  const processor = new OrderProcessor(store, ledger, (alert) => {
    logger.warn({ channel: alert.channel, order: alert.orderId, line: alert.lineId, sku: alert.sku, quantity: alert.quantity }, 'oversell: a marketplace order could not be covered from any permitted location');
    options.onOversell?.(alert);
  });
  const inbox = new OrderInbox(store, processor, (name) => sync.channel(name), (error) => logger.error({ err: String(error) }, 'order inbox error'));
  const poller = new OrderPoller(store, inbox, channels, config.orderPollIntervalMs, (error) => logger.warn({ err: String(error) }, 'order poll failed'));
  const reconciler = new Reconciler(store, (name) => sync.channel(name), catalogue, ledger, (channel, operation, work) => sync.schedulers.get(channel)?.call(operation, work) ?? work());
  const reconcileRuns = new ReconcileRuns(store, reconciler, () => [config.secret, config.previousSecret, config.adminToken, ...Object.values({ ...stored, ...config.channels }).flatMap((connection) => Object.values(connection?.credentials ?? {}))].filter((value): value is string => typeof value === 'string'));
  const metricsSettings = readMetricsSettings();
  if (!metricsSettings.ok) throw new Error(`invalid seller-metrics settings: ${metricsSettings.problems.join('; ')}`);
  const metricsService = new MetricsService({ store, catalogue, settings: metricsSettings.settings, official: officialReadersFor({ ...stored, ...config.channels }) });
  let draining = false;
  const secrets = [config.secret, config.previousSecret].filter((secret): secret is string => secret !== undefined);
  if (secrets.length === 0) logger.warn('no SHELFGUARD_SECRET set: every plugin event will be refused (401)');

  const app = createApp({
    store, logger, metrics, isDraining: () => draining,
    routers: [
      eventsRouter({ secrets: () => secrets, ingest, logger, metrics, ...(options.nowSeconds ? { nowSeconds: options.nowSeconds } : {}) }),
      webhooksRouter((name) => sync.channel(name), inbox),
      syncRouter({ store, sync, reconciler, catalogue, token: () => config.adminToken }),
      reconcileRouter({ runs: reconcileRuns, token: () => config.adminToken }),
      metricsRouter({ store, metrics: metricsService, catalogue, token: () => config.adminToken }),
      connectionRouter({
        store, catalogue, connections, logger, token: () => config.adminToken, createConnector,
        live: {
          configured: config.channels,
          isRunning: (name) => sync.channel(name) !== undefined,
          attach: (channel) => { sync.addChannel(channel); poller.add(channel); },
          detach: async (name) => { poller.remove(name); await sync.removeChannel(name); },
        },
      }),
      adminRouter(store, () => config.adminToken),
      ordersRouter(store, () => config.adminToken),
      latencyRouter({ store, token: () => config.adminToken }),
    ],
  });
  const server = await listen(app, config.host, config.port, { headersTimeoutMs: config.headersTimeoutMs, requestTimeoutMs: config.requestTimeoutMs });
  sync.start();
  inbox.start();
  if (options.pollOrders !== false) poller.start();
  const reconcileTask = scheduleReconciliation(config.reconcileSchedule, reconcileRuns, logger);
  const metricsTimer = setInterval(() => {
    metricsService.check().catch((error: unknown) => logger.warn({ err: String(error) }, 'seller-metrics check failed'));
  }, METRICS_CHECK_INTERVAL_MS);
  metricsTimer.unref();
  logger.info({ url: server.url, database: store.description, channels: channels.map((channel) => channel.name) }, 'shelfguard daemon listening');

  return {
    metrics: metricsService, store, ledger, catalogue, sync, inbox, poller, reconciler, reconcileRuns, server, url: server.url,
    async stop() {
      draining = true;
      clearInterval(metricsTimer);
      reconcileTask?.stop();
      await reconcileRuns.stop();
      poller.stop();
      await server.close(config.shutdownGraceMs);
      await inbox.stop();
      await sync.stop();
      await store.close();
      logger.info('shelfguard daemon stopped');
    },
  };
}
