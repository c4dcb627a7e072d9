/**
 * The frame every marketplace sandbox runs in: an express app on a real port with the fault
 * knobs, per-operation token buckets at the marketplace's documented rates, a bounded request
 * log, outbound notification delivery, and the /_sandbox/ test surface. A marketplace module
 * supplies only its protocol: routes, its own error bodies, and its notification format.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import type { RateLimit } from '../../channels/channel.js';
import { decideFault, faultsSchema, NO_FAULTS, type SandboxFaults } from './faults.js';
import { SandboxState } from './sandbox-state.js';
import { seededRandom } from './seeded-random.js';
import { TokenBucket } from './token-bucket.js';
import { installTestSurface } from './test-surface.js';
import { NotificationSender, type OutboundNotification } from './notification-sender.js';

export interface RecordedRequest {
  atMs: number;
  method: string;
  path: string;
  operation?: string;
  status?: number;
  fault?: string;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Where signed notifications go (the daemon's /v1/webhooks/<channel>). */
  notifyUrl?: string;
  /** 'documented' enforces the marketplace's rates; 'unlimited' lifts them (engine capacity benches). */
  rateLimits?: 'documented' | 'unlimited';
  /** Delay of asynchronous processing (Amazon feeds and patches, Walmart feeds). */
  asyncDelayMs?: number;
  seed?: number;
  faults?: Partial<SandboxFaults>;
}

export interface SandboxContext {
  readonly marketplace: string;
  readonly state: SandboxState;
  readonly credentials: Record<string, string>;
  readonly random: () => number;
  readonly nowMs: () => number;
  readonly options: Required<Pick<SandboxOptions, 'rateLimits' | 'asyncDelayMs'>> & { notifyUrl?: string };
  faults: SandboxFaults;
  /** Raised by POST /_sandbox/tokens/expire: access tokens minted under an older epoch must be
   * refused as expired, with the marketplace's own 401, so connectors' refresh paths are tested. */
  tokenEpoch: number;
  /** Takes a token for the operation; on an empty bucket sends the marketplace's 429 and returns false. */
  admit(operation: string, res: Response): boolean;
  /** Sends a notification to notifyUrl, honouring the duplicate and reorder knobs. */
  notify(notification: OutboundNotification): void;
  /** Runs work after the configured asynchronous delay. */
  later(work: () => void): void;
}

export interface MarketplaceSandbox {
  marketplace: string;
  /** Test credentials this sandbox's auth flow accepts. */
  credentials: Record<string, string>;
  /** Documented rates per operation name. */
  operations: Record<string, RateLimit>;
  /** Identifiers the marketplace would assign to a newly seeded listing. */
  assignIdentifiers(listing: { sku: string; parentSku?: string }, context: SandboxContext): Record<string, string>;
  /** The marketplace's own 429 response (body and headers). */
  sendRateLimited(res: Response, retryAfterMs: number, context: SandboxContext): void;
  /** The marketplace's own 5xx response. */
  sendServerError(res: Response): void;
  installRoutes(app: Express, context: SandboxContext): void;
  /** Called when the test surface changes an order, so the marketplace can notify in its format. */
  onOrderChanged?(orderId: string, change: 'created' | 'cancelled' | 'shipped' | 'return_requested' | 'return_received', context: SandboxContext): void;
  /** Extra fields for the first stdout line of `shelfguard sandbox <name>`. */
  describe?(context: SandboxContext): Record<string, unknown>;
}

export interface SandboxHandle {
  marketplace: string;
  baseUrl: string;
  credentials: Record<string, string>;
  context: SandboxContext;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const REQUEST_LOG_MAX = 20_000;

export async function startSandbox(definition: MarketplaceSandbox, options: SandboxOptions = {}): Promise<SandboxHandle> {
  const app = express();
  app.disable('x-powered-by');
  const requests: RecordedRequest[] = [];
  const random = seededRandom(options.seed ?? 1);
  const buckets = new Map<string, TokenBucket>();
  for (const [operation, limit] of Object.entries(definition.operations)) buckets.set(operation, new TokenBucket(limit.ratePerSecond, limit.burst));
  const sender = new NotificationSender(random);

  const context: SandboxContext = {
    marketplace: definition.marketplace,
    state: new SandboxState(),
    credentials: definition.credentials,
    random,
    nowMs: () => Date.now(),
    options: { rateLimits: options.rateLimits ?? 'documented', asyncDelayMs: options.asyncDelayMs ?? 0, notifyUrl: options.notifyUrl },
    faults: { ...NO_FAULTS, ...faultsSchema.partial().parse(options.faults ?? {}) },
    tokenEpoch: 0,
    admit(operation, res) {
      const locals = res.locals as { record?: RecordedRequest; injectedRateLimit?: boolean };
      const entry = locals.record;
      if (entry) entry.operation = operation;
      // An injected 429 is answered here, where the operation is known, so the request log says
      // which operation the Retry-After holds.
      if (locals.injectedRateLimit) {
        if (entry) entry.fault = 'rate_limited';
        definition.sendRateLimited(res, context.faults.retryAfterSeconds * 1000, context);
        return false;
      }
      if (context.options.rateLimits === 'unlimited') return true;
      const bucket = buckets.get(operation);
      if (!bucket) throw new Error(`sandbox ${definition.marketplace} has no rate limit for operation ${operation}`);
      const taken = bucket.tryTake();
      if (taken.taken) return true;
      definition.sendRateLimited(res, taken.retryAfterMs, context);
      return false;
    },
    notify(notification) {
      if (!context.options.notifyUrl) return;
      sender.send(context.options.notifyUrl, notification, context.faults);
    },
    later(work) {
      if (context.options.asyncDelayMs <= 0) queueMicrotask(work);
      else setTimeout(work, context.options.asyncDelayMs).unref();
    },
  };

  app.use(recordAndInjectFaults(definition, context, requests));
  installTestSurface(app, definition, context, requests, sender);
  definition.installRoutes(app, context);
  app.use((req: Request, res: Response) => res.status(404).json({ error: 'not_found', message: `the ${definition.marketplace} sandbox has no route ${req.method} ${req.path}` }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error === 'object' && error && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request', message: error instanceof Error ? error.message : String(error) });
  });

  const server: Server = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  server.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  return {
    marketplace: definition.marketplace,
    baseUrl: `http://127.0.0.1:${port}`,
    credentials: definition.credentials,
    context,
    requests,
    async close() {
      sender.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function recordAndInjectFaults(definition: MarketplaceSandbox, context: SandboxContext, requests: RecordedRequest[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/_sandbox')) return next();
    const record: RecordedRequest = { atMs: Date.now(), method: req.method, path: req.path };
    if (requests.length >= REQUEST_LOG_MAX) requests.splice(0, requests.length - REQUEST_LOG_MAX + 1);
    requests.push(record);
    res.locals.record = record;
    res.on('finish', () => { record.status = res.statusCode; });
    const fault = decideFault(context.faults, context.random);
    const proceed = (): void => {
      if (fault === 'rate_limited' && Object.keys(definition.operations).length > 0) {
        // Sent by admit(), which every rate-limited route calls first (routes without a limit,
        // such as token refreshes, are not refused).
        (res.locals as { injectedRateLimit?: boolean }).injectedRateLimit = true;
        next();
      } else if (fault === 'rate_limited') {
        // A marketplace without per-operation limits (the WooCommerce stand-in) refuses at once.
        record.fault = fault;
        definition.sendRateLimited(res, context.faults.retryAfterSeconds * 1000, context);
      } else if (fault === 'server_error') {
        record.fault = fault;
        definition.sendServerError(res);
      } else if (fault === 'timeout') {
        record.fault = fault;
        setTimeout(() => req.socket.destroy(), context.faults.hangMs).unref();
      } else if (fault === 'drop_after_apply') {
        record.fault = fault;
        // Let the handler apply the change, then lose the response on the wire.
        res.writeHead = (() => { req.socket.destroy(); return res; }) as typeof res.writeHead;
        next();
      } else next();
    };
    if (context.faults.latencyMs > 0) setTimeout(proceed, context.faults.latencyMs);
    else proceed();
  };
}
