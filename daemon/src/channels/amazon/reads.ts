/**
 * Bulk reads: every listing's quantity (merchant listings through searchListingsItems, or through
 * the GET_MERCHANT_LISTINGS_ALL_DATA report when the catalogue is larger than searchListingsItems
 * can page; then Amazon's own FBA stock through getInventorySummaries, reported as
 * fulfilledByMarketplace) and orders updated since a cursor through searchOrders (Orders API
 * 2026-01-01).
 */
import { channelError, fail, ok, type ChannelOrder, type ChannelQuantity, type OrderPage, type QuantityPage, type Result } from '../channel.js';
import { parseJson } from '../http.js';
import { advanceOrderCursor, decodeOrderCursor, decodeQuantityCursor, encodeOrderCursor, encodeQuantityCursor, isAlreadySeen, type QuantityCursor } from './cursor.js';
import { invalidResponse } from './errors.js';
import { REPORT_DOCUMENTS_CACHED_MAX, REPORT_POLL_INTERVAL_MS_FIRST, REPORT_POLL_INTERVAL_MS_MAX, REPORT_POLL_WINDOW_MS, REPORT_WAIT_MS_MAX, SEARCH_LISTINGS_PAGE_SIZE_MAX, SEARCH_LISTINGS_PAGEABLE_MAX, SEARCH_ORDERS_PAGE_SIZE_MAX } from './limits.js';
import { merchantQuantityFromItem, parseSearchedItem } from './listings-mapping.js';
import { MERCHANT_LISTINGS_REPORT_TYPE, merchantQuantitiesFromRows, parseMerchantListingsReport } from './merchant-listings-report.js';
import { orderFromApi } from './orders-mapping.js';
import type { SpApiClient } from './sp-api-client.js';

/** FBA units Amazon can ship now; inbound and reserved units are not sellable yet. */
const FBA_CHANNEL_CODE = 'AMAZON';
const ORDER_INCLUDED_DATA = 'FULFILLMENT,CANCELLATION';

export interface ReaderClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: ReaderClock = { now: Date.now, sleep: (ms) => new Promise((resolve) => { setTimeout(resolve, ms); }) };

export class AmazonReader {
  /** Merchant quantities of downloaded report documents, by reportDocumentId, oldest first. */
  private readonly documents = new Map<string, ChannelQuantity[]>();

  constructor(private readonly client: SpApiClient, private readonly clock: ReaderClock = realClock) {}

  async readQuantities(cursorText?: string): Promise<Result<QuantityPage>> {
    const cursor = decodeQuantityCursor(cursorText);
    if (!cursor.ok) return fail(channelError('invalid_request', cursor.message));
    const at = cursor.value;
    switch (at.phase) {
      case 'listings': return this.readListingsPage(at.token);
      case 'report': return this.awaitReport(at);
      case 'reportRows': return this.readReportRows(at.documentId, at.offset);
      case 'fba': return this.readFbaPage(at.token);
    }
  }

  /** Asks Amazon for GET_MERCHANT_LISTINGS_ALL_DATA and starts waiting on it. */
  private async requestReport(): Promise<Result<QuantityPage>> {
    const answer = await this.client.call('createReport', 'POST', '/reports/2021-06-30/reports', { reportType: MERCHANT_LISTINGS_REPORT_TYPE, marketplaceIds: [this.client.settings.marketplaceId] });
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'createReport');
    if (!body.ok) return body;
    const reportId = (body.value as { reportId?: unknown } | null)?.reportId;
    if (typeof reportId !== 'string' || reportId === '') return fail(invalidResponse('createReport', 'no reportId'));
    return this.awaitReport({ phase: 'report', reportId, requestedAtMs: this.clock.now() });
  }

  /**
   * Polls getReport, backing off from REPORT_POLL_INTERVAL_MS_FIRST, for at most
   * REPORT_POLL_WINDOW_MS in this call; a report still not DONE hands back an empty page with the
   * same cursor, so callers that page in a tight loop cannot exceed getReport's rate.
   */
  private async awaitReport(cursor: Extract<QuantityCursor, { phase: 'report' }>): Promise<Result<QuantityPage>> {
    const callStartedMs = this.clock.now();
    let intervalMs = REPORT_POLL_INTERVAL_MS_FIRST;
    for (;;) {
      const answer = await this.client.call('getReport', 'GET', `/reports/2021-06-30/reports/${encodeURIComponent(cursor.reportId)}`);
      if (!answer.ok) return answer;
      const body = parseJson(answer.value, 'getReport');
      if (!body.ok) return body;
      const report = (body.value ?? {}) as { processingStatus?: unknown; reportDocumentId?: unknown };
      switch (report.processingStatus) {
        case 'DONE':
          if (typeof report.reportDocumentId !== 'string' || report.reportDocumentId === '') return fail(invalidResponse('getReport', `report ${cursor.reportId} is DONE without reportDocumentId`));
          return this.readReportRows(report.reportDocumentId, 0);
        case 'CANCELLED':
          // "an automatic cancellation if there is no data to return": no merchant listings.
          return ok({ items: [], nextCursor: encodeQuantityCursor({ phase: 'fba' }) });
        case 'FATAL':
          return fail(channelError('server_error', `getReport: report ${cursor.reportId} ended FATAL; reading again requests a new one`, { retryable: false }));
        case 'IN_QUEUE':
        case 'IN_PROGRESS':
          break;
        default:
          return fail(invalidResponse('getReport', `processingStatus ${JSON.stringify(report.processingStatus)}`));
      }
      const nowMs = this.clock.now();
      if (nowMs - cursor.requestedAtMs > REPORT_WAIT_MS_MAX) return fail(channelError('timeout', `getReport: report ${cursor.reportId} not DONE ${Math.round(REPORT_WAIT_MS_MAX / 60_000)} minutes after createReport`, { retryable: false }));
      if (nowMs - callStartedMs + intervalMs > REPORT_POLL_WINDOW_MS) return ok({ items: [], nextCursor: encodeQuantityCursor(cursor) });
      await this.clock.sleep(intervalMs);
      intervalMs = Math.min(intervalMs * 2, REPORT_POLL_INTERVAL_MS_MAX);
    }
  }

  /** One page of the report's merchant rows; the document is downloaded again if not in memory. */
  private async readReportRows(documentId: string, offset: number): Promise<Result<QuantityPage>> {
    let rows = this.documents.get(documentId);
    if (!rows) {
      const loaded = await this.downloadReport(documentId);
      if (!loaded.ok) return loaded;
      rows = loaded.value;
      if (this.documents.size >= REPORT_DOCUMENTS_CACHED_MAX) this.documents.delete(this.documents.keys().next().value!);
      this.documents.set(documentId, rows);
    }
    const end = offset + SEARCH_LISTINGS_PAGE_SIZE_MAX;
    const items = rows.slice(offset, end);
    if (end < rows.length) return ok({ items, nextCursor: encodeQuantityCursor({ phase: 'reportRows', documentId, offset: end }) });
    this.documents.delete(documentId);
    return ok({ items, nextCursor: encodeQuantityCursor({ phase: 'fba' }) });
  }

  private async downloadReport(documentId: string): Promise<Result<ChannelQuantity[]>> {
    const answer = await this.client.call('getReportDocument', 'GET', `/reports/2021-06-30/documents/${encodeURIComponent(documentId)}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'getReportDocument');
    if (!body.ok) return body;
    const document = (body.value ?? {}) as { url?: unknown; compressionAlgorithm?: unknown };
    if (typeof document.url !== 'string' || document.url === '') return fail(invalidResponse('getReportDocument', 'no url'));
    if (document.compressionAlgorithm !== undefined) return fail(channelError('unsupported', `getReportDocument: ${String(document.compressionAlgorithm)}-compressed report documents are not read yet`));
    const content = await this.client.transfer('downloadReportDocument', 'GET', document.url);
    if (!content.ok) return content;
    const parsed = parseMerchantListingsReport(content.value.text);
    if (!parsed.ok) return fail(invalidResponse('downloadReportDocument', `${MERCHANT_LISTINGS_REPORT_TYPE} ${parsed.message}`));
    return ok(merchantQuantitiesFromRows(parsed.value));
  }

  private async readListingsPage(pageToken: string | undefined): Promise<Result<QuantityPage>> {
    const { sellerId, marketplaceId } = this.client.settings;
    const query = new URLSearchParams({ marketplaceIds: marketplaceId, includedData: 'summaries,fulfillmentAvailability,relationships', pageSize: String(SEARCH_LISTINGS_PAGE_SIZE_MAX), sortBy: 'sku', sortOrder: 'ASC' });
    if (pageToken) query.set('pageToken', pageToken);
    const answer = await this.client.call('searchListingsItems', 'GET', `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}?${query}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'searchListingsItems');
    if (!body.ok) return body;
    const page = (body.value ?? {}) as { numberOfResults?: unknown; items?: unknown; pagination?: { nextToken?: unknown } };
    if (!Array.isArray(page.items)) return fail(invalidResponse('searchListingsItems', 'no items array'));
    // Past 1,000 SKUs searchListingsItems stops paging: read every listing from the report instead.
    if (!pageToken && typeof page.numberOfResults === 'number' && page.numberOfResults > SEARCH_LISTINGS_PAGEABLE_MAX) return this.requestReport();
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
