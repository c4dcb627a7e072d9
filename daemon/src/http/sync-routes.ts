/**
 * The sync engine's admin API under /v1/admin/ (bearer token, like the rest of the admin API),
 * read by the admin UI through the plugin's proxy: channel status (mode, last push, latency
 * percentiles, backlog, rate-limit headroom, dead letters), push records, dead letters, mode
 * changes (validate, promote, pause). Reconciliation runs are in reconcile-routes.ts.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { CHANNEL_CODE_PATTERN } from '../channels/channel.js';
import type { Catalogue } from '../ledger/catalogue.js';
import { countUnresolvedDeadLetters, DEAD_LETTER_ID, listDeadLetters, resolveDeadLetters, retryDeadLetters, unresolvedDeadLetterIds, type DeadLetterActionResult } from '../ledger/dead-letters.js';
import type { Store } from '../ledger/store.js';
import type { Reconciler } from '../reconcile/reconciler.js';
import { promoteChannel, setChannelMode, validateChannel } from '../sync/channel-modes.js';
import type { SyncEngine } from '../sync/sync-engine.js';
import { requireAdminToken } from './admin-routes.js';
import { HttpError, parseInput } from './errors.js';

const listQuery = z.object({ channel: z.string().min(1).max(32).optional(), sku: z.string().min(1).max(100).optional(), limit: z.coerce.number().int().min(1).max(1_000).default(100) }).strict();
const promoteBody = z.object({ threshold: z.number().min(0).max(1).optional(), force: z.boolean().optional() }).strict();

export interface SyncRouterOptions {
  store: Store;
  sync: SyncEngine;
  reconciler: Reconciler;
  catalogue: Catalogue;
  token: () => string | undefined;
}

export function syncRouter(options: SyncRouterOptions): Router {
  const router = express.Router();
  const auth = requireAdminToken(options.token);
  const json = express.json({ limit: '16kb' });
  const channelParam = (req: Request): string => {
    const name = String(req.params.channel);
    if (!CHANNEL_CODE_PATTERN.test(name)) throw new HttpError(400, 'invalid_channel', 'channel must be a channel code such as ebay');
    return name;
  };
  const wrap = (handler: (req: Request) => Promise<unknown>) => async (req: Request, res: express.Response, next: express.NextFunction) => {
    try { res.json(await handler(req)); } catch (error) { next(error); }
  };

  router.get('/v1/admin/channels', auth, wrap(async () => ({ channels: await options.sync.status() })));
  router.get('/v1/admin/pushes', auth, wrap(async (req) => {
    const query = parseInput(listQuery, req.query, 'query');
    let select = options.store.db.selectFrom('push').selectAll().orderBy('created_at', 'desc').limit(query.limit);
    if (query.channel) select = select.where('channel', '=', query.channel);
    if (query.sku) select = select.where('sku', '=', query.sku);
    return { pushes: await select.execute() };
  }));
  router.get('/v1/admin/dead-letters', auth, wrap(async (req) => {
    const query = parseInput(listQuery, req.query, 'query');
    return { deadLetters: await listDeadLetters(options.store, { limit: query.limit, ...(query.channel ? { channel: query.channel } : {}) }) };
  }));
  // Retry queues the dead letter's work again (a push's listing, an inbox event) and resolves it;
  // resolve only acknowledges it. 404 for an unknown id, 409 for one already resolved.
  for (const action of ['retry', 'resolve'] as const) {
    router.post(`/v1/admin/dead-letters/:id/${action}`, auth, wrap(async (req) => {
      const id = String(req.params.id);
      if (!DEAD_LETTER_ID.test(id)) throw new HttpError(400, 'invalid_dead_letter_id', 'id must be a dead letter id (dl_ and 26 letters or digits)');
      const [result] = action === 'retry' ? await retryDeadLetters(options.store, [id]) : await resolveDeadLetters(options.store, [id]);
      if (result!.outcome === 'not_found') throw new HttpError(404, 'unknown_dead_letter', `no dead letter ${id}`);
      if (result!.outcome === 'already_resolved') throw new HttpError(409, 'dead_letter_resolved', `dead letter ${id} was already resolved`);
      return result;
    }));
  }
  // Every unresolved dead letter of one channel in one call, oldest first, up to
  // DEAD_LETTERS_ACTION_MAX (the admin UI's "Retry all" after an outage, however many the list
  // shows). Answers how many came to each outcome, and how many are left for another call.
  for (const action of ['retry', 'resolve'] as const) {
    router.post(`/v1/admin/channels/:channel/dead-letters/${action}`, auth, wrap(async (req) => {
      const channel = channelParam(req);
      const known = await options.store.db.selectFrom('channel').select('id').where('code', '=', channel).executeTakeFirst();
      if (!known) throw new HttpError(404, 'unknown_channel', `no channel ${channel}`);
      const ids = await unresolvedDeadLetterIds(options.store, channel);
      const results = action === 'retry' ? await retryDeadLetters(options.store, ids) : await resolveDeadLetters(options.store, ids);
      const outcomes: Partial<Record<DeadLetterActionResult['outcome'], number>> = {};
      for (const result of results) outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      return { channel, acted: results.length, outcomes, left: await countUnresolvedDeadLetters(options.store, channel) };
    }));
  }
  router.post('/v1/admin/channels/:channel/validate', auth, wrap(async (req) => validateChannel(options.reconciler, channelParam(req))));
  router.post('/v1/admin/channels/:channel/promote', auth, json, wrap(async (req) => {
    const body = parseInput(promoteBody, req.body, 'body');
    return promoteChannel(options.reconciler, options.catalogue, channelParam(req), body.threshold, body.force ?? false);
  }));
  for (const mode of ['pause', 'shadow'] as const) {
    router.post(`/v1/admin/channels/:channel/${mode}`, auth, wrap(async (req) => {
      const moved = await setChannelMode(options.catalogue, channelParam(req), mode === 'pause' ? 'paused' : 'shadow');
      if (!moved.ok) throw new HttpError(404, 'unknown_channel', moved.message);
      return moved;
    }));
  }
  return router;
}
