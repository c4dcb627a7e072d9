/**
 * Reconciliation under /v1/admin/reconcile (bearer token, like the rest of the admin API): start a
 * run (202 at once with its id; 409 naming the running one while another runs), the history of
 * runs newest first with their progress, one run with the drift it found, and the latest drift per
 * listing for the Products screen's drift filter.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { CHANNEL_CODE_PATTERN } from '../channels/channel.js';
import { RUNS_PAGE_MAX } from '../reconcile/reconcile-history.js';
import type { ReconcileRuns } from '../reconcile/reconcile-runs.js';
import { requireAdminToken } from './admin-routes.js';
import { HttpError, parseInput } from './errors.js';

const RUN_ID = /^rr_[0-9A-Z]{26}$/;
const RUNS_PAGE_DEFAULT = 20;

const startBody = z.object({ channel: z.string().regex(CHANNEL_CODE_PATTERN, 'a channel code such as ebay').optional(), fix: z.boolean().default(false) }).strict();
const runsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(RUNS_PAGE_MAX).default(RUNS_PAGE_DEFAULT),
  before: z.string().regex(RUN_ID, 'a run id such as rr_01J…').optional(),
}).strict();
const runParams = z.object({ id: z.string().regex(RUN_ID, 'a run id such as rr_01J…') }).strict();

export interface ReconcileRouterOptions {
  runs: ReconcileRuns;
  token: () => string | undefined;
}

export function reconcileRouter(options: ReconcileRouterOptions): Router {
  const router = express.Router();
  const auth = requireAdminToken(options.token);
  const json = express.json({ limit: '16kb' });
  const wrap = (handler: (req: Request, res: express.Response) => Promise<unknown>) => async (req: Request, res: express.Response, next: express.NextFunction) => {
    try { res.json(await handler(req, res)); } catch (error) { next(error); }
  };

  router.post('/v1/admin/reconcile', auth, json, wrap(async (req, res) => {
    const body = parseInput(startBody, req.body, 'body');
    const started = await options.runs.start('admin', { fix: body.fix, ...(body.channel ? { channels: [body.channel] } : {}) });
    if (!started.ok && started.code === 'unknown_channel') throw new HttpError(400, 'unknown_channel', started.message);
    if (!started.ok && started.code === 'stopping') throw new HttpError(503, 'draining', started.message, { 'retry-after': '5' });
    if (!started.ok) {
      res.status(409);
      return { error: 'already_running', message: started.message, runId: started.runningId };
    }
    res.status(202);
    return { runId: started.runId };
  }));
  router.get('/v1/admin/reconcile/runs', auth, wrap(async (req) => {
    const query = parseInput(runsQuery, req.query, 'query');
    return { runs: await options.runs.history.list({ limit: query.limit, ...(query.before ? { before: query.before } : {}) }) };
  }));
  router.get('/v1/admin/reconcile/runs/:id', auth, wrap(async (req) => {
    const { id } = parseInput(runParams, { id: req.params.id }, 'path');
    const run = await options.runs.history.run(id);
    if (!run) throw new HttpError(404, 'unknown_run', `no reconciliation run ${id} (runs past the newest 200 are not kept)`);
    return { run, drift: await options.runs.history.drift(id) };
  }));
  router.get('/v1/admin/reconcile/drift', auth, wrap(async (req) => {
    parseInput(z.object({}).strict(), req.query, 'query');
    return { drift: await options.runs.history.latestDrift() };
  }));
  return router;
}
