/**
 * The daemon's express app: health, readiness, metrics, the plugin's events, the admin API, and
 * the one error mapper. Routes are added by the caller (main.ts) so later parts — marketplace
 * webhooks, sync status — plug in without this file knowing them.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from '../logger.js';
import { isMigrated } from '../ledger/migrations.js';
import type { Store } from '../ledger/store.js';
import { errorMapper, sendError } from './errors.js';
import type { DaemonMetrics } from './metrics.js';

export interface AppOptions {
  store: Store;
  logger: Logger;
  metrics: DaemonMetrics;
  routers: Router[];
  /** Set when shutdown starts: readiness turns false so load balancers stop sending. */
  isDraining: () => boolean;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? (res.statusCode === 404 ? 'unmatched' : req.path.split('/').slice(0, 3).join('/'));
      options.metrics.httpRequests.inc({ route, status: String(res.statusCode) });
      options.metrics.httpDuration.observe({ route }, (performance.now() - started) / 1000);
    });
    next();
  });

  app.get('/healthz', (_req, res) => { res.json({ status: 'alive' }); });
  app.get('/readyz', async (_req, res) => {
    if (options.isDraining()) return sendError(res, 503, 'draining', 'the daemon is shutting down');
    try {
      await options.store.ping();
      if (!(await isMigrated(options.store.db as never))) return sendError(res, 503, 'not_migrated', 'migrations are pending: run `shelfguard migrate`');
      res.json({ status: 'ready', database: options.store.dialect });
    } catch {
      sendError(res, 503, 'database_unreachable', 'the ledger database does not answer');
    }
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.setHeader('content-type', options.metrics.registry.contentType);
      res.send(await options.metrics.registry.metrics());
    } catch (error) { next(error); }
  });
  for (const router of options.routers) app.use(router);
  app.use((req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`));
  app.use(errorMapper(options.logger));
  return app;
}
