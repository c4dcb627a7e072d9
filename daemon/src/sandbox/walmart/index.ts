/**
 * The Walmart Marketplace (US) sandbox: the token API, inventory, the asynchronous inventory
 * feed, orders and ORDER_UPDATES webhooks, over real HTTP with Walmart's paths, shapes, error
 * bodies and throttling headers. Requests are checked against schemas extracted from the official
 * model (see schemas/ and extract-schemas.ts).
 */
import express from 'express';
import { limits } from '../../channels/walmart/limits.js';
import type { MarketplaceSandbox } from '../kit/sandbox-server.js';
import { seededRandom } from '../kit/seeded-random.js';
import { installFeedRoutes, FEED_FILE_BYTES_MAX } from './walmart-feed-routes.js';
import { installGateway } from './walmart-gateway.js';
import { installInventoryRoutes } from './walmart-inventory-routes.js';
import { installSubscriptionSurface, notifyOrderChanged } from './walmart-notify.js';
import { installOrderRoutes } from './walmart-order-routes.js';
import { installPerformanceRoutes } from './walmart-performance-routes.js';
import { PERFORMANCE_OPERATIONS } from '../../metrics/walmart-performance-client.js';
import { sendApiError, sendWalmartRateLimited, ThrottleHeaders, walmartErrorEntry } from './walmart-sandbox-errors.js';
import { SANDBOX_SHIP_NODE, type WalmartSandboxState } from './walmart-sandbox-state.js';
import { compileWalmartSchemas } from './walmart-schemas.js';

/** The authHeaderName of the sandbox's default subscription (the connector's default too). */
export const SANDBOX_WEBHOOK_AUTH_HEADER = 'Authorization';

function generatedCredentials(seed: number): { clientId: string; clientSecret: string } {
  const random = seededRandom(seed ^ 0x5a17);
  const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const secret = Array.from({ length: 86 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  return { clientId: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`, clientSecret: secret };
}

export function createSandboxDefinition(options: { seed?: number } = {}): MarketplaceSandbox {
  const credentials = generatedCredentials(options.seed ?? 1);
  // Compiling the model's schemas takes a few hundred milliseconds; do it before the first request.
  compileWalmartSchemas();
  const walmart: WalmartSandboxState = {
    tokens: new Map(),
    feeds: new Map(),
    subscription: { authMethod: 'HMAC', authHeaderName: SANDBOX_WEBHOOK_AUTH_HEADER, clientSecret: credentials.clientSecret },
    throttle: new ThrottleHeaders(limits.operations),
  };
  let wpidSequence = 0;
  return {
    marketplace: 'walmart',
    credentials,
    operations: { ...limits.operations, ...PERFORMANCE_OPERATIONS },
    assignIdentifiers(listing) {
      // Walmart has no parent item: a variant group is the variantGroupId its children share.
      const variantGroupId = listing.parentSku ? `VG-${listing.parentSku}` : undefined;
      wpidSequence += 1;
      const wpid = `0${wpidSequence.toString(36).toUpperCase().padStart(11, '0')}`;
      const identifiers: Record<string, string> = { wpid };
      if (variantGroupId) identifiers.variantGroupId = variantGroupId;
      return identifiers;
    },
    sendRateLimited(res, retryAfterMs) {
      sendWalmartRateLimited(res, retryAfterMs, Date.now());
    },
    sendServerError(res) {
      sendApiError(res, 500, walmartErrorEntry('SYSTEM_ERROR.GMP_GATEWAY_API', 'SYSTEM_ERROR', 'Internal server error', 'System encountered some internal error.', 'SYSTEM'));
    },
    installRoutes(app, context) {
      installSubscriptionSurface(app, walmart);
      const router = express.Router();
      // Raw bytes for every /v3 body: JSON, form and multipart are each parsed by their route.
      router.use('/v3', express.raw({ type: () => true, limit: FEED_FILE_BYTES_MAX + 64 * 1024 }));
      installGateway(router, context, walmart);
      installInventoryRoutes(router, context, walmart);
      installFeedRoutes(router, context, walmart);
      installOrderRoutes(router, context, walmart);
      installPerformanceRoutes(router, context);
      router.use('/v3', (req, res) => sendApiError(res, 404, walmartErrorEntry('CONTENT_NOT_FOUND.GMP_GATEWAY_API', 'path', `No resource ${req.method} ${req.baseUrl}${req.path}`, 'Requested content could not be found.', 'REQUEST')));
      router.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
        const status = typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : 500;
        if (status === 413) return sendApiError(res, 413, walmartErrorEntry('REQUEST_ENTITY_TOO_LARGE.GMP_GATEWAY_API', 'body', 'Request entity too large', 'Request entity too large.', 'REQUEST'));
        next(error);
      });
      app.use(router);
    },
    onOrderChanged(orderId, change, context) {
      notifyOrderChanged(orderId, change, context, walmart);
    },
    describe() {
      return { shipNode: SANDBOX_SHIP_NODE, webhookAuth: { authMethod: walmart.subscription.authMethod, authHeaderName: walmart.subscription.authHeaderName } };
    },
  };
}
