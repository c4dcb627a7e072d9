/**
 * Bulk reads: every listing's quantity (merchant listings through searchListingsItems, then
 * Amazon's own FBA stock through getInventorySummaries, reported as fulfilledByMarketplace) and
 * orders updated since a cursor through searchOrders (Orders API 2026-01-01).
 */
import { channelError, fail, ok, type ChannelOrder, type ChannelQuantity, type OrderPage, type QuantityPage, type Result } from '../channel.js';
import { parseJson } from '../http.js';
import { advanceOrderCursor, decodeOrderCursor, decodeQuantityCursor, encodeOrderCursor, encodeQuantityCursor, isAlreadySeen } from './cursor.js';
import { invalidResponse } from './errors.js';
import { SEARCH_LISTINGS_PAGE_SIZE_MAX, SEARCH_ORDERS_PAGE_SIZE_MAX } from './limits.js';
import { merchantQuantityFromItem, parseSearchedItem } from './listings-mapping.js';
import { orderFromApi } from './orders-mapping.js';
import type { SpApiClient } from './sp-api-client.js';

/** FBA units Amazon can ship now; inbound and reserved units are not sellable yet. */
const FBA_CHANNEL_CODE = 'AMAZON';
const ORDER_INCLUDED_DATA = 'FULFILLMENT,CANCELLATION';

export class AmazonReader {
  constructor(private readonly client: SpApiClient) {}

  async readQuantities(cursorText?: string): Promise<Result<QuantityPage>> {
    const cursor = decodeQuantityCursor(cursorText);
    if (!cursor.ok) return fail(channelError('invalid_request', cursor.message));
    return cursor.value.phase === 'listings' ? this.readListingsPage(cursor.value.token) : this.readFbaPage(cursor.value.token);
  }

  private async readListingsPage(pageToken: string | undefined): Promise<Result<QuantityPage>> {
    const { sellerId, marketplaceId } = this.client.settings;
    const query = new URLSearchParams({ marketplaceIds: marketplaceId, includedData: 'summaries,fulfillmentAvailability,relationships', pageSize: String(SEARCH_LISTINGS_PAGE_SIZE_MAX), sortBy: 'sku', sortOrder: 'ASC' });
    if (pageToken) query.set('pageToken', pageToken);
    const answer = await this.client.call('searchListingsItems', 'GET', `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}?${query}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'searchListingsItems');
    if (!body.ok) return body;
    const page = (body.value ?? {}) as { items?: unknown; pagination?: { nextToken?: unknown } };
    if (!Array.isArray(page.items)) return fail(invalidResponse('searchListingsItems', 'no items array'));
    const items: ChannelQuantity[] = [];
    for (const raw of page.items) {
      const item = parseSearchedItem(raw);
      if (!item.ok) return fail(invalidResponse('searchListingsItems', `an item that is not a listings Item: ${item.message}`));
      const quantity = merchantQuantityFromItem(item.value);
      if (quantity) items.push(quantity);
    }
    const nextToken = typeof page.pagination?.nextToken === 'string' ? page.pagination.nextToken : undefined;
    return ok({ items, nextCursor: encodeQuantityCursor(nextToken ? { phase: 'listings', token: nextToken } : { phase: 'fba' }) });
  }

  private async readFbaPage(nextToken: string | undefined): Promise<Result<QuantityPage>> {
    const { marketplaceId } = this.client.settings;
    const query = new URLSearchParams({ details: 'true', granularityType: 'Marketplace', granularityId: marketplaceId, marketplaceIds: marketplaceId });
    if (nextToken) query.set('nextToken', nextToken);
    const answer = await this.client.call('getInventorySummaries', 'GET', `/fba/inventory/v1/summaries?${query}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'getInventorySummaries');
    if (!body.ok) return body;
    const response = (body.value ?? {}) as { payload?: { inventorySummaries?: unknown }; pagination?: { nextToken?: unknown } };
    const summaries = response.payload?.inventorySummaries;
    if (!Array.isArray(summaries)) return fail(invalidResponse('getInventorySummaries', 'no payload.inventorySummaries array'));
    const items: ChannelQuantity[] = [];
    for (const summary of summaries as Array<{ sellerSku?: unknown; asin?: unknown; fnSku?: unknown; totalQuantity?: unknown; inventoryDetails?: { fulfillableQuantity?: unknown } }>) {
      if (typeof summary.sellerSku !== 'string') return fail(invalidResponse('getInventorySummaries', 'an inventory summary without sellerSku'));
      const fulfillable = summary.inventoryDetails?.fulfillableQuantity ?? summary.totalQuantity ?? 0;
      if (typeof fulfillable !== 'number' || !Number.isInteger(fulfillable) || fulfillable < 0) return fail(invalidResponse('getInventorySummaries', `a quantity that is not a non-negative integer for ${summary.sellerSku}`));
      const identifiers: Record<string, string> = { fulfillmentChannelCode: FBA_CHANNEL_CODE };
      if (typeof summary.asin === 'string') identifiers.asin = summary.asin;
      if (typeof summary.fnSku === 'string') identifiers.fnSku = summary.fnSku;
      items.push({ listing: { sku: summary.sellerSku, identifiers }, quantity: fulfillable, fulfilledByMarketplace: true });
    }
    const next = typeof response.pagination?.nextToken === 'string' ? response.pagination.nextToken : undefined;
    return ok(next ? { items, nextCursor: encodeQuantityCursor({ phase: 'fba', token: next }) } : { items });
  }

  async readOrders(cursorText: string): Promise<Result<OrderPage>> {
    const cursor = decodeOrderCursor(cursorText);
    if (!cursor.ok) return fail(channelError('invalid_request', cursor.message));
    const query = new URLSearchParams({ lastUpdatedAfter: cursor.value.since, marketplaceIds: this.client.settings.marketplaceId, maxResultsPerPage: String(SEARCH_ORDERS_PAGE_SIZE_MAX), includedData: ORDER_INCLUDED_DATA });
    if (cursor.value.token) query.set('paginationToken', cursor.value.token);
    const answer = await this.client.call('searchOrders', 'GET', `/orders/2026-01-01/orders?${query}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'searchOrders');
    if (!body.ok) return body;
    const page = (body.value ?? {}) as { orders?: unknown; pagination?: { nextToken?: unknown } };
    if (!Array.isArray(page.orders)) return fail(invalidResponse('searchOrders', 'no orders array'));
    const orders: ChannelOrder[] = [];
    for (const raw of page.orders) {
      const order = orderFromApi(raw);
      if (!order.ok) return fail(invalidResponse('searchOrders', order.message));
      orders.push(order.value);
    }
    const nextToken = typeof page.pagination?.nextToken === 'string' ? page.pagination.nextToken : undefined;
    const next = advanceOrderCursor(cursor.value, orders, nextToken);
    return ok({ orders: orders.filter((order) => !isAlreadySeen(cursor.value, order)), cursor: encodeOrderCursor(next), hasMore: nextToken !== undefined });
  }

  async getOrder(orderId: string): Promise<Result<ChannelOrder>> {
    const query = new URLSearchParams({ includedData: ORDER_INCLUDED_DATA });
    const answer = await this.client.call('getOrder', 'GET', `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}?${query}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'getOrder');
    if (!body.ok) return body;
    const order = orderFromApi((body.value as { order?: unknown } | null)?.order);
    return order.ok ? ok(order.value) : fail(invalidResponse('getOrder', order.message));
  }
}
