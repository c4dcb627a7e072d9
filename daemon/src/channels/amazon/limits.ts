/**
 * What Amazon allows, declared once and shared by the sync scheduler and the sandbox. Rates are
 * the default usage plans printed in each operation's description in the official models
 * (selling-partner-api-models @34dc93f: listingsItems_2021-08-01.json, feeds_2021-06-30.json,
 * reports_2021-06-30.json, fbaInventory.json, orders_2026-01-01.json, ordersV0.json), as collected
 * in shared/marketplaces.md §1.4. Amazon may raise them per seller; it never announces the wait on
 * a 429, so the connector derives it from these numbers.
 */
import type { ChannelLimits, RateLimit } from '../channel.js';

export const AMAZON_OPERATIONS: Record<string, RateLimit> = {
  lwaToken: { ratePerSecond: 10, burst: 20 }, // not documented; generous so only the SP-API limits bite
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  getListingsItem: { ratePerSecond: 5, burst: 10 },
  searchListingsItems: { ratePerSecond: 5, burst: 5 },
  createFeedDocument: { ratePerSecond: 0.5, burst: 15 },
  createFeed: { ratePerSecond: 0.0083, burst: 15 },
  getFeed: { ratePerSecond: 2, burst: 15 },
  getFeedDocument: { ratePerSecond: 0.0222, burst: 10 },
  createReport: { ratePerSecond: 0.0167, burst: 15 },
  getReport: { ratePerSecond: 2, burst: 15 },
  getReportDocument: { ratePerSecond: 0.0167, burst: 15 },
  getInventorySummaries: { ratePerSecond: 2, burst: 2 },
  searchOrders: { ratePerSecond: 0.0056, burst: 20 },
  getOrder: { ratePerSecond: 0.5, burst: 30 },
  getOrders: { ratePerSecond: 0.0167, burst: 20 },
  // SQS is AWS, not SP-API: its throughput is effectively unlimited for one consumer.
  sqs: { ratePerSecond: 100, burst: 100 },
};

/** Messages per JSON_LISTINGS_FEED document (listings-feed-schema-v2.json, messages.maxItems). */
export const FEED_MESSAGES_MAX = 25_000;
/** searchListingsItems pageSize maximum (listingsItems_2021-08-01.json). */
export const SEARCH_LISTINGS_PAGE_SIZE_MAX = 20;
/** "The maximum number of items (SKUs) that can be returned and paged through is 1000."
 * (listingsItems_2021-08-01.json, searchListingsItems). A larger catalogue is read from the report. */
export const SEARCH_LISTINGS_PAGEABLE_MAX = 1_000;
/** First wait between getReport polls; doubles up to the maximum. getReport allows 2/s, burst 15. */
export const REPORT_POLL_INTERVAL_MS_FIRST = 1_000;
export const REPORT_POLL_INTERVAL_MS_MAX = 30_000;
/** How long one readQuantities call waits on the report before handing back an empty page. */
export const REPORT_POLL_WINDOW_MS = 60_000;
/** A report not DONE this long after createReport is given up on (Amazon usually needs minutes). */
export const REPORT_WAIT_MS_MAX = 60 * 60_000;
/** Parsed report documents kept in memory between pages (one reconciliation at a time uses one). */
export const REPORT_DOCUMENTS_CACHED_MAX = 2;
/** getInventorySummaries returns up to 50 summaries a page (fbaInventory.json sellerSkus maxItems). */
export const FBA_SUMMARIES_PAGE_SIZE_MAX = 50;
/** searchOrders maxResultsPerPage: 1..100 (orders_2026-01-01.json). */
export const SEARCH_ORDERS_PAGE_SIZE_MAX = 100;
/** SQS ReceiveMessage takes 1..10 messages. */
export const SQS_RECEIVE_MESSAGES_MAX = 10;
/** Amazon's documented quantity is an integer ≥ 0 with no stated maximum; this is a sanity cap. */
export const QUANTITY_MAX = 1_000_000;
/** Refresh this long before the access token's announced expiry, so no call races the clock. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;

export const limits: ChannelLimits = {
  operations: AMAZON_OPERATIONS,
  // Amazon has no multi-SKU synchronous call: 'bulk' is left undefined, large bursts use the feed.
  pushOperation: { single: 'patchListingsItem', feed: 'createFeed' },
  bulkBatchMax: 1,
  feedBatchMax: FEED_MESSAGES_MAX,
  pageSizeMax: SEARCH_LISTINGS_PAGE_SIZE_MAX,
  requestBodyBytesMax: 10 * 1024 * 1024,
  quantityMax: QUANTITY_MAX,
};

/** The wait a 429 implies when Amazon sends no header: one token at the operation's documented rate. */
export function documentedWaitMs(operation: string): number {
  const limit = AMAZON_OPERATIONS[operation];
  return limit ? Math.ceil(1000 / limit.ratePerSecond) : 1000;
}
