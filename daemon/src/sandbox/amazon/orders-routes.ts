/**
 * Orders API 2026-01-01 (searchOrders, getOrder) and FBA Inventory v1 (getInventorySummaries),
 * with the models' paging: maxResultsPerPage 1..100 with paginationToken for orders, 50
 * summaries a page with nextToken for FBA.
 */
import type { Express, Request, Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { AccessTokens } from './auth.js';
import { apiOrder, fulfillmentStatusOf } from './order-model.js';
import { checkDateTime, checkEnumList, checkMarketplaceIds, pageToken, queryList, queryText, readPageToken } from './params.js';
import { sendErrors, sendInvalidInput, sendJson } from './responses.js';

const ORDERS_PAGE_SIZE_DEFAULT = 100;
const ORDERS_PAGE_SIZE_MAX = 100;
const FBA_PAGE_SIZE = 50;
const ORDER_INCLUDED_DATA = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'] as const;
const FULFILLMENT_STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'] as const;

export function installOrdersRoutes(app: Express, context: SandboxContext, tokens: AccessTokens): void {
  const { state } = context;
  const marketplaceId = () => context.credentials.marketplace_id!;

  app.get('/orders/2026-01-01/orders', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('searchOrders', res)) return;
    if (!checkMarketplaceIds(req, res, context, false)) return;
    const createdAfter = queryText(req, 'createdAfter');
    const lastUpdatedAfter = queryText(req, 'lastUpdatedAfter');
    for (const name of ['createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore']) if (!checkDateTime(res, name, queryText(req, name))) return;
    if ((createdAfter === undefined) === (lastUpdatedAfter === undefined)) return sendInvalidInput(res, 'Exactly one of createdAfter or lastUpdatedAfter must be provided.');
    const included = queryList(req, 'includedData') ?? [];
    const statuses = queryList(req, 'fulfillmentStatuses');
    const fulfilledBy = queryList(req, 'fulfilledBy');
    if (!checkEnumList(res, 'includedData', included, ORDER_INCLUDED_DATA) || !checkEnumList(res, 'fulfillmentStatuses', statuses, FULFILLMENT_STATUSES) || !checkEnumList(res, 'fulfilledBy', fulfilledBy, ['MERCHANT', 'AMAZON'])) return;
    const sizeText = queryText(req, 'maxResultsPerPage');
    const size = sizeText === undefined ? ORDERS_PAGE_SIZE_DEFAULT : Number(sizeText);
    if (!Number.isInteger(size) || size < 1 || size > ORDERS_PAGE_SIZE_MAX) return sendInvalidInput(res, `Invalid maxResultsPerPage '${sizeText}'. The value must be between 1 and ${ORDERS_PAGE_SIZE_MAX}.`);
    const since = Date.parse(lastUpdatedAfter ?? createdAfter!);
    const fingerprint = [createdAfter, lastUpdatedAfter, statuses?.join(','), fulfilledBy?.join(',')].join('|');
    const offset = readPageToken(queryText(req, 'paginationToken'), fingerprint);
    if (offset === 'invalid') return sendInvalidInput(res, 'Invalid paginationToken.');
    const matching = [...state.orders.values()]
      .filter((order) => (lastUpdatedAfter ? order.updatedAtMs >= since : order.createdAtMs >= since))
      .filter((order) => !statuses || statuses.includes(fulfillmentStatusOf(order)))
      .filter((order) => !fulfilledBy || fulfilledBy.includes(order.fulfillment === 'marketplace' ? 'AMAZON' : 'MERCHANT'))
      .sort((a, b) => a.updatedAtMs - b.updatedAtMs || (a.orderId < b.orderId ? -1 : 1));
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? pageToken(offset + size, fingerprint) : undefined;
    sendJson(res, 200, { orders: page.map((order) => apiOrder(order, state, marketplaceId(), included)), ...(next ? { pagination: { nextToken: next } } : {}) });
  });

  app.get('/orders/2026-01-01/orders/:orderId', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getOrder', res)) return;
    const included = queryList(req, 'includedData') ?? [];
    if (!checkEnumList(res, 'includedData', included, ORDER_INCLUDED_DATA)) return;
    const order = state.orders.get(String(req.params.orderId));
    if (!order) return sendErrors(res, 404, [{ code: 'NotFound', message: `Order ${String(req.params.orderId)} not found.` }]);
    sendJson(res, 200, { order: apiOrder(order, state, marketplaceId(), included) });
  });

  app.get('/fba/inventory/v1/summaries', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getInventorySummaries', res)) return;
    const granularityType = queryText(req, 'granularityType');
    const granularityId = queryText(req, 'granularityId');
    if (granularityType !== 'Marketplace') return sendInvalidInput(res, `Invalid granularityType '${granularityType ?? ''}'. Supported: Marketplace.`);
    if (granularityId !== marketplaceId()) return sendInvalidInput(res, `Invalid granularityId '${granularityId ?? ''}'.`);
    const marketplaceIds = queryList(req, 'marketplaceIds');
    if (!marketplaceIds || marketplaceIds.length !== 1) return sendInvalidInput(res, 'marketplaceIds must contain exactly one marketplace.');
    if (!checkMarketplaceIds(req, res, context)) return;
    const sellerSkus = queryList(req, 'sellerSkus');
    if (sellerSkus && sellerSkus.length > 50) return sendInvalidInput(res, 'sellerSkus accepts at most 50 values.');
    const details = queryText(req, 'details') === 'true';
    const fingerprint = [sellerSkus?.join(','), queryText(req, 'startDateTime')].join('|');
    const offset = readPageToken(queryText(req, 'nextToken'), fingerprint);
    if (offset === 'invalid') return sendInvalidInput(res, 'Invalid nextToken.', 'The nextToken is malformed or expired.');
    const fba = state.sortedListings().filter((listing) => listing.fulfilledByMarketplace && !listing.isParent && (!sellerSkus || sellerSkus.includes(listing.sku)));
    const page = fba.slice(offset, offset + FBA_PAGE_SIZE);
    const next = offset + FBA_PAGE_SIZE < fba.length ? pageToken(offset + FBA_PAGE_SIZE, fingerprint) : undefined;
    sendJson(res, 200, {
      payload: {
        granularity: { granularityType: 'Marketplace', granularityId: marketplaceId() },
        inventorySummaries: page.map((listing) => ({
          asin: listing.identifiers.asin,
          fnSku: listing.identifiers.fnSku ?? `X00${listing.identifiers.asin?.slice(3) ?? '0000000'}`,
          sellerSku: listing.sku,
          condition: 'NewItem',
          ...(details ? { inventoryDetails: { fulfillableQuantity: listing.quantity, inboundWorkingQuantity: 0, inboundShippedQuantity: 0, inboundReceivingQuantity: 0 } } : {}),
          lastUpdatedTime: new Date(listing.updatedAtMs).toISOString(),
          productName: listing.attributes.title ?? listing.sku,
          totalQuantity: listing.quantity,
        })),
      },
      ...(next ? { pagination: { nextToken: next } } : {}),
    });
  });
}
