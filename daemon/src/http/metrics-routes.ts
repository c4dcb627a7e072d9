/**
 * The seller-standing admin API under /v1/admin/metrics (bearer token, like the rest of the admin
 * API). The admin UI reads the standing; the plugin polls the alerts for wp-admin notices and
 * sends each new one by e-mail through WordPress, then acknowledges it; protection actions are
 * listed and reverted here.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../ledger/catalogue.js';
import type { Store } from '../ledger/store.js';
import { listAlerts } from '../metrics/alert-recorder.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import { standingLines } from '../metrics/metrics-report.js';
import { revertProtection } from '../metrics/protection-executor.js';
import { requireAdminToken } from './admin-routes.js';
import { HttpError, parseInput } from './errors.js';

export const ALERTS_PAGE_MAX = 500;

const alertsQuery = z.object({ since: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(ALERTS_PAGE_MAX).default(100), unacknowledged: z.enum(['0', '1']).optional() }).strict();
const actionsQuery = z.object({ open: z.enum(['0', '1']).optional(), limit: z.coerce.number().int().min(1).max(ALERTS_PAGE_MAX).default(100) }).strict();
const idParam = z.string().regex(/^[a-z]{2}_[0-9A-Z]{26}$/);

export interface MetricsRouterOptions {
  store: Store;
  metrics: MetricsService;
  catalogue: Catalogue;
  token: () => string | undefined;
  nowMs?: () => number;
}

export function metricsRouter(options: MetricsRouterOptions): Router {
  const router = express.Router();
  const auth = requireAdminToken(options.token);
  const nowMs = options.nowMs ?? Date.now;
  const wrap = (handler: (req: Request) => Promise<unknown>) => async (req: Request, res: express.Response, next: express.NextFunction) => {
    try { res.json(await handler(req)); } catch (error) { next(error); }
  };
  const id = (req: Request): string => parseInput(idParam, String(req.params.id), 'id');

  router.get('/v1/admin/metrics', auth, wrap(async () => {
    const snapshot = await options.metrics.snapshot();
    return { ...snapshot, lines: standingLines(snapshot) };
  }));
  router.post('/v1/admin/metrics/check', auth, wrap(async () => {
    const { alerts, protection } = await options.metrics.check();
    return { alerts, protection };
  }));
  router.get('/v1/admin/metrics/alerts', auth, wrap(async (req) => {
    const query = parseInput(alertsQuery, req.query, 'query');
    return { alerts: await listAlerts(options.store, { limit: query.limit, ...(query.since !== undefined ? { sinceMs: query.since } : {}), unacknowledgedOnly: query.unacknowledged === '1' }) };
  }));
  router.post('/v1/admin/metrics/alerts/:id/acknowledge', auth, wrap(async (req) => {
    const alertId = id(req);
    const updated = await options.store.db.updateTable('metric_alert').set({ acknowledged_at: nowMs() }).where('id', '=', alertId).where('acknowledged_at', 'is', null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const exists = await options.store.db.selectFrom('metric_alert').select('id').where('id', '=', alertId).executeTakeFirst();
      if (!exists) throw new HttpError(404, 'not_found', `no alert ${alertId}`);
    }
    return { id: alertId, acknowledged: true };
  }));
  router.get('/v1/admin/metrics/protection', auth, wrap(async (req) => {
    const query = parseInput(actionsQuery, req.query, 'query');
    let select = options.store.db.selectFrom('protection_action').selectAll().orderBy('created_at', 'desc').limit(query.limit);
    if (query.open === '1') select = select.where('reverted_at', 'is', null);
    return { actions: await select.execute() };
  }));
  router.post('/v1/admin/metrics/protection/:id/revert', auth, wrap(async (req) => {
    const result = await revertProtection(options.store, options.catalogue, id(req), 'admin', nowMs());
    if (!result.ok) throw new HttpError(result.code === 'not_found' ? 404 : 409, result.code, result.message);
    return result;
  }));
  return router;
}
