/**
 * Walmart Marketplace (US) limits, declared once for the scheduler and the sandbox alike.
 *
 * Sources (shared/marketplaces.md §3): GET /v3/inventories "Cannot be more than 50" and GET
 * /v3/orders "Cannot be larger than 200" are from the official model (specs/walmart
 * inventory.json, orders.json). The inventory feed's ~10 per hour and ≤5 MB are from Walmart's
 * bulk-inventory guide (cl-marketplace bulk-inventory-update). The per-API call rates are a
 * secondary compilation marked UNCERTAIN there: inventory ~200/min, orders 5,000/min, feed status
 * 5,000/min. Walmart does not publish bucket sizes, only that allotments "replenish gradually";
 * we assume a bucket of a few seconds' worth so a burst cannot spend a minute's allotment at once.
 */
import type { ChannelLimits } from '../channel.js';

export const WALMART_INVENTORY_PAGE_SIZE_MAX = 50;
export const WALMART_ORDERS_PAGE_SIZE_MAX = 200;
/** Items per feed-status page (PartnerFeedResponse.limit: "Cannot be greater than 1000"). */
export const WALMART_FEED_STATUS_PAGE_SIZE_MAX = 1000;
/** Inventory feed file size (Walmart's bulk-inventory guide: 5 MB; HTTP 413 above it). */
export const WALMART_FEED_BYTES_MAX = 5 * 1024 * 1024;
/** Token lifetime Walmart announces (expires_in 900). */
export const WALMART_TOKEN_LIFETIME_SECONDS = 900;
/** Refresh this long before expiry so a request never leaves with a token about to lapse. */
export const WALMART_TOKEN_REFRESH_MARGIN_MS = 60_000;

export const limits: ChannelLimits = {
  operations: {
    // Not in any Walmart rate table; generous so token refreshes are never the bottleneck.
    getToken: { ratePerSecond: 10, burst: 20 },
    // ~200 per minute (secondary compilation, UNCERTAIN).
    updateInventory: { ratePerSecond: 200 / 60, burst: 20 },
    getInventories: { ratePerSecond: 200 / 60, burst: 20 },
    // ~10 feeds per hour (Walmart bulk-inventory guide).
    inventoryFeed: { ratePerSecond: 10 / 3600, burst: 10 },
    // 5,000 per minute (secondary compilation, UNCERTAIN).
    getFeedStatus: { ratePerSecond: 5000 / 60, burst: 100 },
    getOrders: { ratePerSecond: 5000 / 60, burst: 100 },
    getOrder: { ratePerSecond: 5000 / 60, burst: 100 },
  },
  pushOperation: { single: 'updateInventory', feed: 'inventoryFeed' },
  // Walmart has no synchronous multi-SKU inventory call; large bursts go through the feed.
  bulkBatchMax: 1,
  // The feed is bounded by its 5 MB file size; at ~60 bytes a line 10,000 SKUs stay well below it.
  feedBatchMax: 10_000,
  pageSizeMax: WALMART_INVENTORY_PAGE_SIZE_MAX,
  requestBodyBytesMax: WALMART_FEED_BYTES_MAX,
  // InputQty.amount is an unbounded number in the model; Walmart's item spec caps inventory far above any shelf.
  quantityMax: 9_999_999,
};
