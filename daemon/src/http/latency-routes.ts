/**
 * GET /v1/admin/pushes/latency?minutes=60[&channel=ebay]: each channel's propagation latency per
 * minute (p50, p99, pushes) over the last minutes, read from the persisted push records, for the
 * Overview's chart. Only pushes a marketplace applied or accepted count, as in the live window.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { CHANNEL_CODE_PATTERN } from '../channels/channel.js';
import type { Store } from '../ledger/store.js';
import { LATENCY_HISTORY_MINUTES_MAX, historyStartMs, latencyHistory, type TimedLatency } from '../sync/latency-history.js';
import { requireAdminToken } from './admin-routes.js';
import { HttpError, parseInput } from './errors.js';

/** Pushes read per channel: a busier hour is summarised from its newest pushes and says so. */
export const LATENCY_ROWS_PER_CHANNEL_MAX = 50_000;
const COUNTED_STATUSES = ['applied', 'accepted'];

const latencyQuery = z.object({
  minutes: z.coerce.number().int().min(1).max(LATENCY_HISTORY_MINUTES_MAX).default(60),
  channel: z.string().regex(CHANNEL_CODE_PATTERN, 'expected a channel code such as ebay').optional(),
}).strict();

export interface LatencyRouterOptions {
  store: Store;
  token: () => string | undefined;
  nowMs?: () => number;
}

export function latencyRouter(options: LatencyRouterOptions): Router {
  const router = express.Router();
  const nowMs = options.nowMs ?? Date.now;
  router.get('/v1/admin/pushes/latency', requireAdminToken(options.token), async (req, res, next) => {
    try {
      const query = parseInput(latencyQuery, req.query, 'query');
      const now = nowMs();
      const sinceMs = historyStartMs(now, query.minutes);
      const db = options.store.db;
      const known = (await db.selectFrom('channel').select('code').orderBy('code').execute()).map((row) => row.code);
      if (query.channel && !known.includes(query.channel)) throw new HttpError(404, 'unknown_channel', `no channel ${JSON.stringify(query.channel)}`);
      const channels = query.channel ? [query.channel] : known;
      const samples: TimedLatency[] = [];
      const truncated: string[] = [];
      for (const channel of channels) {
        // One channel at a time so the (channel, created_at) index serves every read.
        const rows = await db.selectFrom('push').select(['created_at', 'latency_ms'])
          .where('channel', '=', channel).where('created_at', '>=', sinceMs).where('status', 'in', COUNTED_STATUSES)
          .orderBy('created_at', 'desc').limit(LATENCY_ROWS_PER_CHANNEL_MAX).execute();
        if (rows.length === LATENCY_ROWS_PER_CHANNEL_MAX) truncated.push(channel);
        for (const row of rows) samples.push({ channel, atMs: Number(row.created_at), latencyMs: Number(row.latency_ms) });
      }
      res.json({ minutes: query.minutes, channels: latencyHistory(samples, channels, now, query.minutes), truncated });
    } catch (error) { next(error); }
  });
  return router;
}
