/**
 * TikTok Shop 202309 routes: token get/refresh, inventory update per product, products search,
 * orders search and order detail, each signed and enveloped as TikTok's are.
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxListing, SandboxOrder } from '../kit/sandbox-state.js';
import { checkSignedRequest, CODE_INVALID_APP, CODE_PARAMS, fixtureProblems, send, type IssuedToken } from './tiktok-envelope.js';

/** Access tokens live 7 days (authorization guide). */
const ACCESS_TOKEN_LIFETIME_S = 7 * 86_400;
const PAGE_SIZE_MAX = 100;
const QUANTITY_MAX = 99_999;
const STATUS: Record<SandboxOrder['status'], string> = { created: 'AWAITING_SHIPMENT', cancelled: 'CANCELLED', shipped: 'IN_TRANSIT', delivered: 'DELIVERED', return_requested: 'DELIVERED', return_received: 'COMPLETED' };

export interface TiktokSandboxState { tokens: Map<string, IssuedToken>; zeroQuantityAllowed: boolean }

/** A cancelled line names who cancelled it as TikTok's order detail does: `cancel_user` and a reason text. */
function cancelFields(reason: SandboxOrder['lines'][number]['cancelReason']): Record<string, string> {
  switch (reason) {
    case 'buyer': return { cancel_user: 'BUYER', cancel_reason: 'No longer needed' };
    case 'marketplace': return { cancel_user: 'SYSTEM', cancel_reason: 'Payment not completed' };
    case 'seller_out_of_stock': return { cancel_user: 'SELLER', cancel_reason: 'Out of stock' };
    case 'seller_other': return { cancel_user: 'SELLER', cancel_reason: 'Unable to deliver to this address' };
    default: return {};
  }
}

export function orderView(order: SandboxOrder, listings: ReadonlyMap<string, SandboxListing>): Record<string, unknown> {
  const lineItems = order.lines.flatMap((line) => Array.from({ length: line.quantity }, (_, unit) => ({ id: `${order.orderId}${line.lineId.padStart(3, '0')}${String(unit).padStart(3, '0')}`, seller_sku: line.sku, sku_id: listings.get(line.sku)?.identifiers.skuId ?? '', product_id: listings.get(line.sku)?.identifiers.productId ?? '', display_status: STATUS[order.status], ...(order.status === 'cancelled' ? cancelFields(line.cancelReason) : {}) })));
  return { id: order.orderId, status: STATUS[order.status], create_time: Math.floor(order.createdAtMs / 1000), update_time: Math.floor(order.updatedAtMs / 1000), fulfillment_type: order.fulfillment === 'marketplace' ? 'FULFILLMENT_BY_TIKTOK' : 'FULFILLMENT_BY_SELLER', line_items: lineItems };
}

function pageOffset(token: unknown): number | undefined {
  if (token === undefined) return 0;
  const decoded = Buffer.from(String(token), 'base64url').toString('utf8');
  return /^o:\d+$/.test(decoded) ? Number(decoded.slice(2)) : undefined;
}
const pageToken = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

function parseBody(req: Request, res: Response): unknown {
  try {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    return raw === '' ? {} : JSON.parse(raw);
  } catch {
    send(res, 400, CODE_PARAMS, 'request body is not valid JSON');
    return undefined;
  }
}

function pageSize(req: Request, res: Response, required: boolean): number | undefined {
  const text = req.query.page_size === undefined ? (required ? '' : '20') : String(req.query.page_size);
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < 1 || size > PAGE_SIZE_MAX) { send(res, 400, CODE_PARAMS, `page_size must be 1..${PAGE_SIZE_MAX}`); return undefined; }
  return size;
}

export function installTiktokRoutes(router: Router, context: SandboxContext, tiktok: TiktokSandboxState): void {
  const tokenRoute = (grant: 'authorized_code' | 'refresh_token') => (req: Request, res: Response) => {
    if (!context.admit('getToken', res)) return;
    const query = req.query as Record<string, string | undefined>;
    if (query.app_key !== context.credentials.app_key || query.app_secret !== context.credentials.app_secret) return send(res, 200, CODE_INVALID_APP, 'app_key or app_secret is invalid');
    if (query.grant_type !== grant) return send(res, 200, CODE_PARAMS, `grant_type must be ${grant}`);
    const given = grant === 'authorized_code' ? query.auth_code : query.refresh_token;
    const expected = grant === 'authorized_code' ? context.credentials.auth_code : context.credentials.refresh_token;
    if (!given || given !== expected) return send(res, 200, CODE_PARAMS, grant === 'authorized_code' ? 'auth_code is invalid' : 'refresh_token is invalid');
    const nowS = Math.floor(context.nowMs() / 1000);
    const token = `ROW_${randomBytes(32).toString('base64url')}`;
    tiktok.tokens.set(token, { epoch: context.tokenEpoch, expiresAtS: nowS + ACCESS_TOKEN_LIFETIME_S });
    send(res, 200, 0, 'success', { access_token: token, access_token_expire_in: nowS + ACCESS_TOKEN_LIFETIME_S, refresh_token: context.credentials.refresh_token, refresh_token_expire_in: nowS + 365 * 86_400, open_id: 'sandbox-open-id', seller_name: 'Shelfguard Sandbox Shop', seller_base_region: 'US', user_type: 0 });
  };
  router.get('/api/v2/token/get', tokenRoute('authorized_code'));
  router.get('/api/v2/token/refresh', tokenRoute('refresh_token'));

  // Every API call below is signed; the check reads the exact bytes received.
  const signed = router;
  signed.use(['/product', '/order'], express.raw({ type: () => true, limit: '1mb' }), (req: Request, res: Response, next: () => void) => { if (checkSignedRequest(req, res, context, tiktok.tokens)) next(); });

  signed.post('/product/202309/products/:productId/inventory/update', (req, res) => {
    if (!context.admit('updateInventory', res)) return;
    const body = parseBody(req, res);
    if (body === undefined) return;
    const problems = fixtureProblems('inventoryUpdate', body);
    if (problems.length > 0) return send(res, 400, CODE_PARAMS, `Invalid request body: ${problems.join('; ')}`);
    const listings = context.state.listingsWith('productId', String(req.params.productId)).filter((listing) => !listing.isParent);
    if (listings.length === 0) return send(res, 404, 12052001, `product ${req.params.productId} does not exist`);
    const errors: unknown[] = [];
    for (const sku of (body as { skus: Array<{ id: string; inventory: Array<{ warehouse_id?: string; quantity: number }> }> }).skus) {
      const listing = listings.find((candidate) => candidate.identifiers.skuId === sku.id);
      const entry = sku.inventory[0]!;
      const minimum = tiktok.zeroQuantityAllowed ? 0 : 1;
      if (!listing) errors.push({ code: 12052037, message: `sku ${sku.id} does not belong to product ${req.params.productId}`, detail: { sku_id: sku.id } });
      else if (sku.inventory.length !== 1 || (entry.warehouse_id !== undefined && entry.warehouse_id !== listing.identifiers.warehouseId)) errors.push({ code: 12019028, message: 'every warehouse of the SKU must be listed', detail: { sku_id: sku.id, extra_errors: [{ warehouse_id: entry.warehouse_id ?? '', code: 12019028, message: 'unknown warehouse' }] } });
      else if (entry.quantity < minimum || entry.quantity > QUANTITY_MAX) errors.push({ code: 12052055, message: `quantity must be in [${minimum}, ${QUANTITY_MAX}]`, detail: { sku_id: sku.id } });
      else { listing.quantity = entry.quantity; listing.revisionsToday += 1; listing.updatedAtMs = context.nowMs(); }
    }
    send(res, 200, 0, 'Success', errors.length ? { errors } : {});
  });

  signed.post('/product/202309/products/search', (req, res) => {
    if (!context.admit('searchProducts', res)) return;
    const size = pageSize(req, res, true);
    const offset = pageOffset(req.query.page_token);
    const body = parseBody(req, res);
    if (size === undefined || body === undefined) return;
    if (offset === undefined) return send(res, 400, CODE_PARAMS, 'page_token is invalid');
    const problems = fixtureProblems('productsSearch', body);
    if (problems.length > 0) return send(res, 400, CODE_PARAMS, `Invalid request body: ${problems.join('; ')}`);
    const products = new Map<string, SandboxListing[]>();
    for (const listing of context.state.sortedListings()) {
      const productId = listing.identifiers.productId!;
      if (!products.has(productId)) products.set(productId, []);
      if (!listing.isParent) products.get(productId)!.push(listing);
    }
    const all = [...products.entries()].filter(([, skus]) => skus.length > 0).sort(([a], [b]) => (a < b ? -1 : 1));
    const page = all.slice(offset, offset + size);
    send(res, 200, 0, 'Success', {
      products: page.map(([id, skus]) => ({ id, status: 'ACTIVATE', skus: skus.map((listing) => ({ id: listing.identifiers.skuId, seller_sku: listing.sku, price: { currency: 'USD', sale_price: listing.price }, inventory: [{ warehouse_id: listing.identifiers.warehouseId, quantity: listing.quantity }] })) })),
      total_count: all.length,
      next_page_token: offset + size < all.length ? pageToken(offset + size) : '',
    });
  });

  signed.post('/order/202309/orders/search', (req, res) => {
    if (!context.admit('searchOrders', res)) return;
    const size = pageSize(req, res, true);
    const offset = pageOffset(req.query.page_token);
    const body = parseBody(req, res) as { update_time_ge?: number; create_time_ge?: number } | undefined;
    if (size === undefined || body === undefined) return;
    if (offset === undefined) return send(res, 400, CODE_PARAMS, 'page_token is invalid');
    const problems = fixtureProblems('ordersSearch', body);
    if (problems.length > 0) return send(res, 400, CODE_PARAMS, `Invalid request body: ${problems.join('; ')}`);
    const matching = context.state.ordersUpdatedSince((body.update_time_ge ?? 0) * 1000).filter((order) => Math.floor(order.createdAtMs / 1000) >= (body.create_time_ge ?? 0));
    const page = matching.slice(offset, offset + size);
    send(res, 200, 0, 'Success', { orders: page.map((order) => orderView(order, context.state.listings)), total_count: matching.length, next_page_token: offset + size < matching.length ? pageToken(offset + size) : '' });
  });

  signed.get('/order/202309/orders', (req, res) => {
    if (!context.admit('getOrderDetail', res)) return;
    const ids = String(req.query.ids ?? '').split(',').filter(Boolean);
    if (ids.length === 0 || ids.length > 50) return send(res, 400, CODE_PARAMS, 'ids must name 1 to 50 orders');
    send(res, 200, 0, 'Success', { orders: ids.flatMap((id) => { const order = context.state.orders.get(id); return order ? [orderView(order, context.state.listings)] : []; }) });
  });
}
