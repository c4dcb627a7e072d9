/**
 * POST /v1/events: the plugin's signed batches. Order of checks: content type, size (the body
 * parser refuses > 1 MB before buffering it all), per-address failure budget, Standard Webhooks
 * signature and replay window, JSON, envelope, then each event on its own. The answer is sent
 * only after every accepted event has committed; a database that cannot commit makes it 503.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../ledger/store.js';
import type { WooEventIngest, EventStatus } from '../ingest/woo-events.js';
import type { WooEvent } from '../ingest/woo-event-types.js';
import { validateEnvelope, validateEvent } from '../ingest/contract-validation.js';
import { verify } from '../signing/standard-webhooks.js';
import { TokenBucket } from '../sandbox/kit/token-bucket.js';
import { HttpError } from './errors.js';
import type { DaemonMetrics } from './metrics.js';

export const EVENTS_BODY_BYTES_MAX = 1024 * 1024;
const AUTH_FAILURES_PER_SECOND = 5;
const AUTH_FAILURES_BURST = 20;
const FAILURE_BUCKETS_MAX = 10_000;

export interface EventsRouteOptions {
  secrets: () => string[];
  ingest: WooEventIngest;
  logger: Logger;
  metrics: DaemonMetrics;
  nowSeconds?: () => number;
  /** Failed requests an address may make per second (and in a burst) before it gets 429. */
  authFailuresPerSecond?: number;
  authFailuresBurst?: number;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function eventsRouter(options: EventsRouteOptions): Router {
  const router = express.Router();
  const failures = new Map<string, TokenBucket>();
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));

  const budgetFor = (address: string): TokenBucket => {
    let bucket = failures.get(address);
    if (!bucket) {
      if (failures.size >= FAILURE_BUCKETS_MAX) failures.clear();
      bucket = new TokenBucket(options.authFailuresPerSecond ?? AUTH_FAILURES_PER_SECOND, options.authFailuresBurst ?? AUTH_FAILURES_BURST);
      failures.set(address, bucket);
    }
    return bucket;
  };

  router.post('/v1/events', (req, res, next) => {
    if (!req.is('application/json')) return next(new HttpError(415, 'unsupported_media_type', 'send the batch as application/json'));
    const address = req.socket.remoteAddress ?? 'unknown';
    if (budgetFor(address).waitMs() > 0) return next(new HttpError(429, 'too_many_failures', 'too many failed requests from this address; slow down', { 'retry-after': '1' }));
    next();
  }, express.raw({ type: () => true, limit: EVENTS_BODY_BYTES_MAX }), async (req: Request, res: Response, next) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = verify({ secrets: options.secrets(), id: header(req, 'webhook-id'), timestamp: header(req, 'webhook-timestamp'), signature: header(req, 'webhook-signature'), body, nowSeconds: nowSeconds() });
      if (!verdict.ok) {
        budgetFor(req.socket.remoteAddress ?? 'unknown').tryTake();
        throw new HttpError(401, verdict.reason, `the request is not signed with a current secret within ±5 minutes (${verdict.reason})`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
      }
      const envelope = validateEnvelope(parsed);
      if (!envelope.ok) throw new HttpError(400, 'invalid_envelope', envelope.message);
      const results = await applyAll(options, envelope.site, envelope.events);
      // A batch in which not one event is valid is a malformed request: 422 with the same
      // per-event results, so the sender can dead-letter each with its reason.
      const noneValid = results.every((result) => result.status === 'rejected' && result.code === 'invalid_event');
      res.status(noneValid ? 422 : 200).json({ results });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

async function applyAll(options: EventsRouteOptions, site: string, events: unknown[]): Promise<EventStatus[]> {
  const results: EventStatus[] = [];
  for (const [index, event] of events.entries()) {
    const id = typeof (event as { id?: unknown })?.id === 'string' ? String((event as { id: string }).id).slice(0, 190) : `(event ${index})`;
    const valid = validateEvent(event, index);
    if (!valid.ok) {
      results.push({ id, status: 'rejected', code: 'invalid_event', message: valid.message });
      options.metrics.eventsIngested.inc({ type: 'invalid', status: 'rejected' });
      continue;
    }
    try {
      const status = await options.ingest.apply(site, event as WooEvent);
      results.push(status);
      options.metrics.eventsIngested.inc({ type: (event as WooEvent).type, status: status.status });
    } catch (error) {
      // A database that cannot commit fails the whole batch with 503: nothing after this event is
      // attempted, and the plugin redelivers the batch (applied events then answer duplicate).
      if (isStoreUnavailable(error)) throw error;
      options.logger.error({ eventId: id, err: error instanceof Error ? error.message : String(error) }, 'event could not be applied');
      throw error;
    }
  }
  return results;
}
