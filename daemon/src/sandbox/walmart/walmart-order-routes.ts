/**
 * GET /v3/orders (filters lastModifiedStartDate / createdStartDate, limit ≤200, nextCursor as a
 * query string to append) and GET /v3/orders/{purchaseOrderId} (official model: orders.json).
 */
import type { Response, Router } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { sendApiError, walmartErrorEntry } from './walmart-sandbox-errors.js';
import { admitWalmart, type WalmartSandboxState } from './walmart-sandbox-state.js';
import { walmartOrderView } from './walmart-order-view.js';

/** "Cannot be larger than 200", default 100 (official model). */
export const ORDERS_PAGE_SIZE_MAX = 200;
const ORDERS_PAGE_SIZE_DEFAULT = 100;
/** createdStartDate defaults to seven days ago (official model). */
const CREATED_START_DEFAULT_MS = 7 * 86_400_000;

function invalid(res: Response, field: string, description: string): void {
  sendApiError(res, 400, walmartErrorEntry('INVALID_REQUEST_PARAM.GMP_ORDER_API', field, description, 'Request parameter is invalid.'));
}

function dateParameter(value: unknown): number | undefined | 'invalid' {
  if (value === undefined) return undefined;
  const ms = Date.parse(String(value));
  return Number.isNaN(ms) ? 'invalid' : ms;
}

export function installOrderRoutes(router: Router, context: SandboxContext, walmart: WalmartSandboxState): void {
  router.get('/v3/orders', (req, res) => {
    if (!admitWalmart(walmart, context, 'getOrders', req, res)) return;
    const modifiedSince = dateParameter(req.query.lastModifiedStartDate);
    const createdSince = dateParameter(req.query.createdStartDate);
    if (modifiedSince === 'invalid') return invalid(res, 'lastModifiedStartDate', 'lastModifiedStartDate must be yyyy-MM-dd or ISO 8601');
    if (createdSince === 'invalid') return invalid(res, 'createdStartDate', 'createdStartDate must be yyyy-MM-dd or ISO 8601');
    const limitText = String(req.query.limit ?? ORDERS_PAGE_SIZE_DEFAULT);
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > ORDERS_PAGE_SIZE_MAX) return invalid(res, 'limit', `limit must be a whole number from 1 to ${ORDERS_PAGE_SIZE_MAX}, got ${limitText}`);
    const poIndexText = String(req.query.poIndex ?? '0');
    if (!/^\d+$/.test(poIndexText)) return invalid(res, 'poIndex', 'poIndex should only be populated from a nextCursor');
    const offset = Number(poIndexText);
    const createdFloor = createdSince ?? (modifiedSince === undefined ? context.nowMs() - CREATED_START_DEFAULT_MS : 0);
    const matching = context.state.ordersUpdatedSince(modifiedSince ?? 0).filter((order) => order.createdAtMs >= createdFloor);
    const page = matching.slice(offset, offset + limit);
    const meta: Record<string, unknown> = { totalCount: matching.length, limit };
    if (offset + page.length < matching.length) {
      const next = new URLSearchParams({ limit: String(limit), hasMoreElements: 'true', soIndex: String(matching.length), poIndex: String(offset + page.length) });
      if (req.query.lastModifiedStartDate !== undefined) next.set('lastModifiedStartDate', String(req.query.lastModifiedStartDate));
      if (req.query.createdStartDate !== undefined) next.set('createdStartDate', String(req.query.createdStartDate));
      meta.nextCursor = `?${next.toString()}`;
    }
    res.json({ list: { meta, elements: { order: page.map((order) => walmartOrderView(order, context.state.listings)) } } });
  });

  router.get('/v3/orders/:purchaseOrderId', (req, res) => {
    if (!admitWalmart(walmart, context, 'getOrder', req, res)) return;
    const order = context.state.orders.get(req.params.purchaseOrderId);
    if (!order) return sendApiError(res, 404, walmartErrorEntry('CONTENT_NOT_FOUND.GMP_ORDER_API', 'purchaseOrderId', `Purchase order ${req.params.purchaseOrderId} was not found`, 'Requested content could not be found.', 'APPLICATION'));
    res.json({ order: walmartOrderView(order, context.state.listings) });
  });
}
