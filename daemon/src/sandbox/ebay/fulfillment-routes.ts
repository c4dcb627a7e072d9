/**
 * Fulfillment API getOrders and getOrder: the shared sandbox orders rendered as eBay orders
 * (sell_fulfillment_v1_oas3.json), with the filter grammar (`lastmodifieddate:[from..to]`,
 * `creationdate:[...]`, `orderfulfillmentstatus:{A|B}`), offset/limit paging (offset counts
 * orders here), orderIds (≤50), and the errors eBay lists for each bad parameter.
 */
import type { Express, Request, Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxOrder } from '../kit/sandbox-state.js';
import type { EbayAuth } from './ebay-auth.js';
import { fulfillmentError, sendErrors } from './ebay-errors.js';

const BASE = '/sell/fulfillment/v1';
const LIMIT_DEFAULT = 50;
const LIMIT_MAX = 200;
const ORDER_IDS_MAX = 50;
/** Without a date filter, getOrders covers the last 90 days. */
const DEFAULT_WINDOW_MS = 90 * 24 * 3_600_000;

const CANCEL_REASONS: Record<string, { initiator: string; reason: string }> = {
  buyer: { initiator: 'BUYER', reason: 'BUYER_ASKED_CANCEL' },
  seller_out_of_stock: { initiator: 'SELLER', reason: 'OUT_OF_STOCK_OR_CANNOT_FULFILL' },
  seller_other: { initiator: 'SELLER', reason: 'ADDRESS_ISSUES' },
  marketplace: { initiator: 'CS_AGENT', reason: 'BUYER_ASKED_CANCEL' },
};

export function orderBody(order: SandboxOrder, context: SandboxContext): Record<string, unknown> {
  const cancelled = order.status === 'cancelled';
  const fulfilled = order.status === 'shipped' || order.status === 'delivered' || order.status === 'return_requested' || order.status === 'return_received';
  const cancel = CANCEL_REASONS[order.lines[0]?.cancelReason ?? 'buyer'] ?? CANCEL_REASONS.buyer!;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    orderId: order.orderId,
    creationDate: iso(order.createdAtMs),
    lastModifiedDate: iso(order.updatedAtMs),
    orderFulfillmentStatus: fulfilled ? 'FULFILLED' : 'NOT_STARTED',
    orderPaymentStatus: order.status === 'return_received' ? 'FULLY_REFUNDED' : 'PAID',
    sellerId: 'shelfguard_sandbox_seller',
    cancelStatus: cancelled
      ? { cancelState: 'CANCELED', cancelledDate: iso(order.updatedAtMs), cancelRequests: [{ cancelInitiator: cancel.initiator, cancelReason: cancel.reason, cancelRequestState: 'COMPLETED', cancelRequestedDate: iso(order.updatedAtMs), cancelCompletedDate: iso(order.updatedAtMs) }] }
      : { cancelState: 'NONE_REQUESTED', cancelRequests: [] },
    lineItems: order.lines.map((line) => {
      const listing = context.state.listings.get(line.sku);
      return {
        lineItemId: `${order.orderId}-${line.lineId}`,
        legacyItemId: listing?.identifiers.tradingItemId ?? listing?.identifiers.listingId ?? '',
        sku: line.sku,
        title: `Sandbox item ${line.sku}`,
        quantity: line.quantity,
        soldFormat: 'FIXED_PRICE',
        listingMarketplaceId: 'EBAY_US',
        purchaseMarketplaceId: 'EBAY_US',
        lineItemFulfillmentStatus: fulfilled ? 'FULFILLED' : 'NOT_STARTED',
        lineItemCost: { value: listing?.price ?? '0.00', currency: 'USD' },
      };
    }),
  };
}

type Filter = { field: 'lastmodifieddate' | 'creationdate'; fromMs: number; toMs: number } | undefined;

/** Parses the filter; returns eBay's error (id and message) when eBay would refuse it. */
function parseFilter(text: string, nowMs: number): { dates: Filter; statuses?: Set<string> } | { errorId: number; message: string } {
  let dates: Filter;
  let statuses: Set<string> | undefined;
  for (const criterion of text.split(/,(?![^[{]*[\]}])/).map((part) => part.trim()).filter(Boolean)) {
    const colon = criterion.indexOf(':');
    const name = colon < 0 ? criterion : criterion.slice(0, colon);
    const value = colon < 0 ? '' : criterion.slice(colon + 1);
    if (name === 'lastmodifieddate' || name === 'creationdate') {
      const match = /^\[([^\]]*?)\.\.([^\]]*)\]$/.exec(value);
      if (!match) return { errorId: 30800, message: `Invalid filter value ${value} for filter ${name}` };
      if (!match[1]) return { errorId: 30820, message: 'Start date is missing' };
      const fromMs = Date.parse(match[1]);
      const toMs = match[2] ? Date.parse(match[2]) : nowMs;
      if (Number.isNaN(fromMs) || Number.isNaN(toMs) || !/^\d{4}-\d{2}-\d{2}T/.test(match[1])) return { errorId: 30810, message: 'Invalid date format' };
      if (fromMs > toMs) return { errorId: 30840, message: 'Start date should be before end date' };
      if (fromMs > nowMs + 60_000) return { errorId: 30850, message: "Start and end dates can't be in the future" };
      // eBay ignores lastmodifieddate when creationdate is also given.
      if (!dates || name === 'creationdate') dates = { field: name, fromMs, toMs };
    } else if (name === 'orderfulfillmentstatus') {
      const match = /^\{([A-Z_|]+)\}$/.exec(value);
      if (!match?.[1]) return { errorId: 30800, message: `Invalid filter value ${value} for filter ${name}` };
      statuses = new Set(match[1].split('|'));
    } else {
      return { errorId: 30700, message: `Invalid filter name: ${name}` };
    }
  }
  return statuses ? { dates, statuses } : { dates };
}

export function installFulfillmentRoutes(app: Express, context: SandboxContext, auth: EbayAuth): void {
  app.get(`${BASE}/order`, (req: Request, res: Response) => {
    if (!context.admit('getOrders', res) || !auth.requireBearer(req, res, ['user'])) return;
    const now = context.nowMs();
    const limitText = req.query.limit === undefined ? String(LIMIT_DEFAULT) : String(req.query.limit);
    const offsetText = req.query.offset === undefined ? '0' : String(req.query.offset);
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > LIMIT_MAX) return sendErrors(res, 400, [fulfillmentError(31100, `Invalid limit: ${limitText}`)]);
    if (!/^\d{1,9}$/.test(offsetText)) return sendErrors(res, 400, [fulfillmentError(31000, `Invalid offset: ${offsetText}`)]);
    const limit = Number(limitText);
    const offset = Number(offsetText);
    let orders = [...context.state.orders.values()];
    if (typeof req.query.orderIds === 'string') {
      const ids = req.query.orderIds.split(',').map((id) => id.trim()).filter(Boolean);
      if (ids.length > ORDER_IDS_MAX) return sendErrors(res, 400, [fulfillmentError(30900, `Exceeded maximum number of order IDs (the current limit is ${ORDER_IDS_MAX})`)]);
      orders = orders.filter((order) => ids.includes(order.orderId));
    } else {
      const filter = parseFilter(typeof req.query.filter === 'string' ? req.query.filter : '', now);
      if ('errorId' in filter) return sendErrors(res, 400, [fulfillmentError(filter.errorId, filter.message)]);
      const dates = filter.dates ?? { field: 'creationdate', fromMs: now - DEFAULT_WINDOW_MS, toMs: now };
      orders = orders.filter((order) => {
        const atMs = dates.field === 'creationdate' ? order.createdAtMs : order.updatedAtMs;
        const status = order.status === 'created' ? 'NOT_STARTED' : order.status === 'cancelled' ? 'NOT_STARTED' : 'FULFILLED';
        return atMs >= dates.fromMs && atMs <= dates.toMs && (!filter.statuses || filter.statuses.has(status));
      });
    }
    orders.sort((a, b) => a.updatedAtMs - b.updatedAtMs || (a.orderId < b.orderId ? -1 : 1));
    const page = orders.slice(offset, offset + limit);
    const query = (at: number) => `${BASE}/order?limit=${limit}&offset=${at}`;
    res.json({
      href: query(offset),
      total: orders.length,
      limit,
      offset,
      ...(offset + limit < orders.length ? { next: query(offset + limit) } : {}),
      ...(offset > 0 ? { prev: query(Math.max(0, offset - limit)) } : {}),
      orders: page.map((order) => orderBody(order, context)),
    });
  });

  app.get(`${BASE}/order/:orderId`, (req: Request, res: Response) => {
    if (!context.admit('getOrder', res) || !auth.requireBearer(req, res, ['user'])) return;
    const order = context.state.orders.get(String(req.params.orderId));
    if (!order) return sendErrors(res, 400, [fulfillmentError(32100, `Invalid order ID: ${String(req.params.orderId)}`)]);
    res.json(orderBody(order, context));
  });
}
