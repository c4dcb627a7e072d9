/**
 * The eBay sandbox: OAuth token endpoint, Inventory API quantity and read routes, the Trading
 * API's ReviseInventoryStatus, Fulfillment getOrders/getOrder and the Notification API's
 * getPublicKey with ECDSA-signed pushes, all on one base URL as the connector's baseUrl expects.
 * Marketplace-specific test extras live under /_sandbox/ebay/.
 */
import express, { type Express, type Response } from 'express';
import { z } from 'zod';
import { limits } from '../../channels/ebay/limits.js';
import { ANALYTICS_OPERATIONS } from '../../channels/ebay/seller-standards.js';
import { CUSTOMER_SERVICE_OPERATIONS } from '../../metrics/ebay-customer-service-client.js';
import type { MarketplaceSandbox, SandboxContext } from '../kit/sandbox-server.js';
import { seededRandom } from '../kit/seeded-random.js';
import { installAnalyticsRoutes } from './analytics-routes.js';
import { installCustomerServiceRoutes } from './customer-service-routes.js';
import { EbayAuth, generateCredentials } from './ebay-auth.js';
import { INVENTORY_SYSTEM_ERROR, TOO_MANY_REQUESTS, sendErrors } from './ebay-errors.js';
import { EbayStore } from './ebay-store.js';
import { installFulfillmentRoutes } from './fulfillment-routes.js';
import { installInventoryRoutes } from './inventory-routes.js';
import { generateNotificationKey, installPublicKeyRoute, signedNotification } from './notification-signer.js';
import { sendTrading, installTradingRoute } from './trading-route.js';

const revisionsSchema = z.object({ count: z.number().int().min(0).max(10_000) }).strict();

function isTrading(res: Response): boolean {
  return res.req.path === '/ws/api.dll';
}

export function createSandboxDefinition(options: { seed?: number } = {}): MarketplaceSandbox {
  const seed = options.seed ?? 1;
  const store = new EbayStore(seed);
  const key = generateNotificationKey();
  let auth: EbayAuth | undefined;
  return {
    marketplace: 'ebay',
    credentials: generateCredentials(seededRandom(seed)),
    operations: { ...limits.operations, ...ANALYTICS_OPERATIONS, ...CUSTOMER_SERVICE_OPERATIONS },
    assignIdentifiers(listing, context) {
      if ((listing as { isParent?: boolean }).isParent) return { inventoryItemGroupKey: listing.sku, listingId: store.nextNumericId('listing') };
      const parent = listing.parentSku ? context.state.listings.get(listing.parentSku) : undefined;
      return {
        offerId: store.nextNumericId('offer'),
        listingId: parent?.identifiers.listingId ?? store.nextNumericId('listing'),
        ...(listing.parentSku ? { inventoryItemGroupKey: listing.parentSku } : {}),
      };
    },
    sendRateLimited(res, retryAfterMs) {
      // Trading signals its call limit in XML over HTTP 200 (ErrorCode 518); REST answers 429.
      if (isTrading(res)) return sendTrading(res, 200, 'ReviseInventoryStatus', 'Failure', {}, [{ code: '518', shortMessage: 'Call usage limit has been reached.', longMessage: 'Your application has exceeded usage limit on this call.' }]);
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      sendErrors(res, 429, [TOO_MANY_REQUESTS]);
    },
    sendServerError(res) {
      if (isTrading(res)) return sendTrading(res, 500, 'ReviseInventoryStatus', 'Failure', {}, [{ code: '10007', shortMessage: 'Internal error to the application.', longMessage: 'Internal error to the application.', classification: 'SystemError' }]);
      sendErrors(res, 500, [INVENTORY_SYSTEM_ERROR]);
    },
    installRoutes(app: Express, context: SandboxContext) {
      auth = new EbayAuth(context);
      auth.install(app);
      installInventoryRoutes(app, context, auth, store);
      installTradingRoute(app, context, auth, store);
      installFulfillmentRoutes(app, context, auth);
      installPublicKeyRoute(app, context, auth, key);
      installAnalyticsRoutes(app, context, auth);
      installCustomerServiceRoutes(app, context, auth);
      installExtras(app, context, store);
    },
    onOrderChanged(orderId, change, context) {
      const order = context.state.orders.get(orderId);
      if (!order || (change !== 'created' && change !== 'shipped')) return;
      // ORDER_CONFIRMATION comes once per line item; ITEM_MARKED_SHIPPED once per order here.
      if (change === 'created') {
        for (const line of order.lines) context.notify(signedNotification('ORDER_CONFIRMATION', { orderId, lineItemId: `${orderId}-${line.lineId}` }, context.nowMs(), key));
      } else {
        context.notify(signedNotification('ITEM_MARKED_SHIPPED', { orderId }, context.nowMs(), key));
      }
    },
    describe() {
      return { notificationKeyId: key.kid, tradingPath: '/ws/api.dll' };
    },
  };
}

/** /_sandbox/ebay/: make a listing a legacy Trading listing, and set today's revision count. */
function installExtras(app: Express, context: SandboxContext, store: EbayStore): void {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.post('/listings/:sku/trading', (req, res) => {
    const listing = context.state.listings.get(req.params.sku);
    if (!listing) { res.status(404).json({ error: 'not_found', message: `no listing with SKU ${req.params.sku}` }); return; }
    const parent = listing.parentSku ? context.state.listings.get(listing.parentSku) : undefined;
    const itemId = parent?.identifiers.tradingItemId ?? listing.identifiers.listingId ?? store.nextNumericId('listing');
    listing.identifiers = { tradingItemId: itemId };
    // A Trading multi-variation listing is one item: its parent carries the same ItemID.
    if (parent) parent.identifiers = { tradingItemId: itemId };
    res.json({ sku: listing.sku, identifiers: listing.identifiers, parentSku: listing.parentSku });
  });
  router.put('/listings/:sku/revisions', (req, res) => {
    const body = revisionsSchema.safeParse(req.body ?? {});
    const listing = context.state.listings.get(req.params.sku);
    if (!body.success) { res.status(400).json({ error: 'invalid_request', issues: body.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) }); return; }
    if (!listing) { res.status(404).json({ error: 'not_found', message: `no listing with SKU ${req.params.sku}` }); return; }
    store.setRevisionsToday(listing, body.data.count, context);
    res.json({ sku: listing.sku, revisionsToday: body.data.count });
  });
  app.use('/_sandbox/ebay', router);
}
