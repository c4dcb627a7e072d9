/**
 * The Etsy Open API v3 sandbox: real paths, `x-api-key` and OAuth 2.0 + PKCE, paging at Etsy's
 * page sizes, read-before-write inventory with Etsy's validation, receipts, Etsy's rate limits and
 * headers, and `order.paid` webhooks signed the Standard Webhooks way. Requests and responses are
 * checked against Etsy's official OpenAPI model (schemas/etsy-openapi-subset.json).
 */
import express, { type Express, type Request, type Response } from 'express';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { MarketplaceSandbox, SandboxContext } from '../kit/sandbox-server.js';
import { seededRandom } from '../kit/seeded-random.js';
import { ETSY_REQUESTS_PER_SECOND } from '../../channels/etsy/limits.js';
import { parseQuery, validateRequestBody, validateResponse } from './openapi-model.js';
import { EtsySandboxAuth, type EtsySandboxIdentity } from './sandbox-auth.js';
import { findListingView, listingState, listingViews, shopListingOf, inventoryOf } from './sandbox-catalog.js';
import { checkInventoryUpdate } from './sandbox-inventory-update.js';
import { EtsyRateLimits, ETSY_SANDBOX_OPERATION, sendEtsyRateLimited } from './sandbox-rate-limits.js';
import { receiptOf } from './sandbox-receipts.js';

const APPLICATION_ID = 4_242_424;
const FIRST_LISTING_ID = 1_500_000_001;
/** getListingsByListingIds: "Limit 100 ids maximum per query" (official model). */
const LISTING_IDS_PER_BATCH_MAX = 100;
const FIRST_PRODUCT_ID = 20_000_000_001;
const FIRST_RECEIPT_ID = 3_100_000_001;
const WEBHOOK_EVENT_TYPES: Partial<Record<string, string>> = { created: 'order.paid', cancelled: 'order.canceled', shipped: 'order.shipped' };

function token(random: () => number, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

/** Test-only credentials, generated from the seed: never valid anywhere but this sandbox. */
function generateIdentity(seed: number): EtsySandboxIdentity {
  const random = seededRandom(seed);
  const userId = 80_000_000 + Math.floor(random() * 9_000_000);
  return {
    keystring: `sandbox${token(random, 17)}`,
    sharedSecret: token(random, 10),
    userId,
    shopId: 30_000_000 + Math.floor(random() * 9_000_000),
    refreshToken: `${userId}.${token(random, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`,
    webhookSigningSecret: `whsec_${Buffer.from(token(random, 32)).toString('base64')}`,
  };
}

function etsyError(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** Sends a 200 body after checking it against the official model: a mismatch is a sandbox bug. */
function sendChecked(res: Response, operationId: string, body: unknown): void {
  const problem = validateResponse(operationId, body);
  if (problem) { etsyError(res, 500, `sandbox response for ${operationId} violates Etsy's model: ${problem}`); return; }
  res.json(body);
}

export function createSandboxDefinition(options: { seed?: number } = {}): MarketplaceSandbox {
  const identity = generateIdentity(options.seed ?? 1);
  let current: SandboxContext | undefined;
  const auth = new EtsySandboxAuth(identity, () => current);
  const rates = new EtsyRateLimits();
  let nextListingId = FIRST_LISTING_ID;
  let nextProductId = FIRST_PRODUCT_ID;
  let nextReceiptId = FIRST_RECEIPT_ID;
  const listingIdByParentSku = new Map<string, string>();
  const newProductId = () => { const id = nextProductId; nextProductId += 2; return String(id); };

  const guard = (req: Request, res: Response, scope: string | undefined): boolean =>
    auth.checkApiKey(req, res) && rates.admit(current!, res) && (scope === undefined || auth.checkBearer(req, res, scope));

  const ownShop = (req: Request, res: Response): boolean => {
    if (String(req.params.shop_id) === String(identity.shopId)) return true;
    if (!/^[1-9]\d*$/.test(String(req.params.shop_id))) etsyError(res, 400, 'Invalid parameter shop_id: must be a positive integer');
    else etsyError(res, 403, 'You do not have permission to access this shop');
    return false;
  };

  const listingIdParam = (req: Request, res: Response): number | undefined => {
    const raw = String(req.params.listing_id);
    if (/^[1-9]\d{0,15}$/.test(raw)) return Number(raw);
    etsyError(res, 400, `Invalid parameter listing_id: expected a positive integer, got ${JSON.stringify(raw.slice(0, 40))}`);
    return undefined;
  };

  function installRoutes(app: Express, context: SandboxContext): void {
    current = context;
    auth.installRoutes(app, (res) => rates.admit(context, res));

    app.get('/v3/application/openapi-ping', (req, res) => {
      if (!guard(req, res, undefined)) return;
      sendChecked(res, 'ping', { application_id: APPLICATION_ID });
    });

    app.get('/v3/application/shops/:shop_id/listings', (req, res) => {
      if (!guard(req, res, 'listings_r') || !ownShop(req, res)) return;
      const query = parseQuery('getListingsByShop', req.query as Record<string, unknown>);
      if (!query.ok) { etsyError(res, 400, query.message); return; }
      const state = (query.value.state as string | undefined) ?? 'active';
      const limit = (query.value.limit as number | undefined) ?? 25;
      const offset = (query.value.offset as number | undefined) ?? 0;
      const withInventory = ((query.value.includes as string[] | undefined) ?? []).includes('Inventory');
      const matching = listingViews(context.state).filter((view) => listingState(view) === state);
      const results = matching.slice(offset, offset + limit).map((view) => {
        const { inventory, ...listing } = shopListingOf(view, identity);
        return withInventory ? { ...listing, inventory } : listing;
      });
      sendChecked(res, 'getListingsByShop', { count: matching.length, results });
    });

    // getListingsByListingIds: up to 100 listings a call, with their inventory when asked; ids of
    // listings that do not exist are left out of the answer, as Etsy does.
    app.get('/v3/application/listings/batch', (req, res) => {
      if (!guard(req, res, undefined)) return;
      const query = parseQuery('getListingsByListingIds', req.query as Record<string, unknown>);
      if (!query.ok) { etsyError(res, 400, query.message); return; }
      const ids = query.value.listing_ids as number[] | undefined;
      if (!ids || ids.length === 0) { etsyError(res, 400, 'Missing required parameter listing_ids'); return; }
      if (ids.length > LISTING_IDS_PER_BATCH_MAX) { etsyError(res, 400, `listing_ids takes at most ${LISTING_IDS_PER_BATCH_MAX} ids, got ${ids.length}`); return; }
      const withInventory = ((query.value.includes as string[] | undefined) ?? []).includes('Inventory');
      const results = [...new Set(ids)].flatMap((listingId) => {
        const view = findListingView(context.state, listingId);
        if (!view) return [];
        const { inventory, ...listing } = shopListingOf(view, identity);
        return [withInventory ? { ...listing, inventory } : listing];
      });
      sendChecked(res, 'getListingsByListingIds', { count: results.length, results });
    });

    app.get('/v3/application/listings/:listing_id/inventory', (req, res) => {
      if (!guard(req, res, 'listings_r')) return;
      const listingId = listingIdParam(req, res);
      if (listingId === undefined) return;
      const view = findListingView(context.state, listingId);
      if (!view) { etsyError(res, 404, `Listing with listing_id ${listingId} not found`); return; }
      sendChecked(res, 'getListingInventory', inventoryOf(view));
    });

    app.put('/v3/application/listings/:listing_id/inventory', express.json({ limit: '1mb' }), (req, res) => {
      if (!guard(req, res, 'listings_w')) return;
      const listingId = listingIdParam(req, res);
      if (listingId === undefined) return;
      const problem = validateRequestBody('updateListingInventory', req.body);
      if (problem) { etsyError(res, 400, `Invalid request body: ${problem}`); return; }
      const view = findListingView(context.state, listingId);
      if (!view) { etsyError(res, 404, `Listing with listing_id ${listingId} not found`); return; }
      const check = checkInventoryUpdate(view, req.body as Record<string, unknown>);
      if (!check.ok) { etsyError(res, 400, check.error); return; }
      for (const change of check.changes) {
        const listing = context.state.listings.get(change.sku)!;
        listing.quantity = change.quantity;
        listing.price = change.price;
        // Etsy assigns new product and offering ids on every inventory write.
        listing.identifiers = { ...listing.identifiers, productId: newProductId() };
        listing.updatedAtMs = context.nowMs();
      }
      sendChecked(res, 'updateListingInventory', inventoryOf(findListingView(context.state, listingId)!));
    });

    app.get('/v3/application/shops/:shop_id/receipts', (req, res) => {
      if (!guard(req, res, 'transactions_r') || !ownShop(req, res)) return;
      const query = parseQuery('getShopReceipts', req.query as Record<string, unknown>);
      if (!query.ok) { etsyError(res, 400, query.message); return; }
      const q = query.value as { min_last_modified?: number; max_last_modified?: number; min_created?: number; max_created?: number; limit?: number; offset?: number; sort_on?: string; sort_order?: string; was_canceled?: boolean };
      const receipts = [...context.state.orders.values()].map((order) => receiptOf(order, context.state, identity.userId)).filter((receipt) =>
        (q.min_last_modified === undefined || receipt.update_timestamp >= q.min_last_modified)
        && (q.max_last_modified === undefined || receipt.update_timestamp <= q.max_last_modified)
        && (q.min_created === undefined || receipt.create_timestamp >= q.min_created)
        && (q.max_created === undefined || receipt.create_timestamp <= q.max_created)
        && (q.was_canceled === undefined || (receipt.status === 'canceled') === q.was_canceled));
      const field = q.sort_on === 'updated' ? 'update_timestamp' : q.sort_on === 'receipt_id' ? 'receipt_id' : 'create_timestamp';
      const descending = ['desc', 'descending', 'down', undefined].includes(q.sort_order);
      receipts.sort((a, b) => (a[field] - b[field] || a.receipt_id - b.receipt_id) * (descending ? -1 : 1));
      const offset = q.offset ?? 0;
      sendChecked(res, 'getShopReceipts', { count: receipts.length, results: receipts.slice(offset, offset + (q.limit ?? 25)) });
    });

    app.get('/v3/application/shops/:shop_id/receipts/:receipt_id', (req, res) => {
      if (!guard(req, res, 'transactions_r') || !ownShop(req, res)) return;
      const order = context.state.orders.get(String(req.params.receipt_id));
      if (!order) { etsyError(res, 404, `Receipt with receipt_id ${String(req.params.receipt_id).slice(0, 40)} not found`); return; }
      sendChecked(res, 'getShopReceipt', receiptOf(order, context.state, identity.userId));
    });

    app.use('/_sandbox/etsy', express.json());
    app.put('/_sandbox/etsy/config', (req, res) => {
      const parsed = z.object({ requestsPerDay: z.number().int().min(1).max(10_000_000) }).strict().safeParse(req.body);
      if (!parsed.success) { res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) }); return; }
      rates.perDay = parsed.data.requestsPerDay;
      rates.reset();
      res.json({ requestsPerDay: rates.perDay });
    });
  }

  return {
    marketplace: 'etsy',
    credentials: { keystring: identity.keystring, sharedSecret: identity.sharedSecret, refreshToken: identity.refreshToken, shopId: String(identity.shopId), webhookSigningSecret: identity.webhookSigningSecret },
    operations: { [ETSY_SANDBOX_OPERATION]: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND } },
    assignIdentifiers(listing): Record<string, string> {
      if (listing.parentSku) {
        let listingId = listingIdByParentSku.get(listing.parentSku);
        if (!listingId) { listingId = String(nextListingId++); listingIdByParentSku.set(listing.parentSku, listingId); }
        return { listingId, productId: newProductId() };
      }
      const isParent = (listing as { isParent?: boolean }).isParent === true;
      if (isParent) {
        const listingId = listingIdByParentSku.get(listing.sku) ?? String(nextListingId++);
        listingIdByParentSku.set(listing.sku, listingId);
        return { listingId };
      }
      return { listingId: String(nextListingId++), productId: newProductId() };
    },
    sendRateLimited(res, retryAfterMs) { sendEtsyRateLimited(res, retryAfterMs); },
    sendServerError(res) { etsyError(res, 500, 'An internal error occurred. Please try again later.'); },
    installRoutes,
    onOrderChanged(orderId, change, context) {
      let receiptId = orderId;
      if (change === 'created' && !/^[1-9]\d{0,15}$/.test(orderId)) {
        // Etsy receipt ids are integers; the kit mints `SB…` ids, so the order is re-keyed before
        // the test surface answers with it (it serialises the same object after this hook).
        const order = context.state.orders.get(orderId)!;
        receiptId = String(nextReceiptId++);
        context.state.orders.delete(orderId);
        order.orderId = receiptId;
        context.state.orders.set(receiptId, order);
      }
      const eventType = WEBHOOK_EVENT_TYPES[change];
      if (!eventType) return;
      const body = JSON.stringify({ event_type: eventType, resource_url: `https://api.etsy.com/v3/application/shops/${identity.shopId}/receipts/${receiptId}`, shop_id: String(identity.shopId) });
      const messageId = `msg_${token(context.random, 27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
      const sentAt = new Date(context.nowMs());
      const signature = new Webhook(identity.webhookSigningSecret).sign(messageId, sentAt, body);
      context.notify({ headers: { 'content-type': 'application/json', 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)), 'webhook-signature': signature }, body });
    },
    describe: () => ({ shopId: identity.shopId, userId: identity.userId, oauthConnectPath: '/oauth/connect' }),
  };
}
