/**
 * What Etsy allows, declared once for the scheduler and the sandbox alike.
 *
 * Rates: Etsy grants each app (API key) 10 requests a second and 10,000 a day by default, on a
 * 24-hour sliding window, shared by every operation (developers.etsy.com/documentation/essentials/rate-limits,
 * via shared/marketplaces.md §5.4). The per-operation numbers below split that one budget the way
 * our calls use it: a quantity push is a read and a write (read before write), so it costs two.
 */
import type { ChannelLimits } from '../channel.js';

export const ETSY_REQUESTS_PER_SECOND = 10;
export const ETSY_REQUESTS_PER_DAY = 10_000;
/** getListingsByListingIds reads at most 100 listings a call ("Limit 100 ids maximum per query"). */
export const ETSY_LISTING_IDS_PER_BATCH_MAX = 100;
/** getListingsByShop and getShopReceipts take limit ≤ 100 (official model). */
export const ETSY_PAGE_SIZE_MAX = 100;
/** Offering quantity range 0..999 (marketplaces.md §5.2, marked uncertain there). */
export const ETSY_OFFERING_QUANTITY_MAX = 999;
/** Access tokens live one hour; refresh tokens 90 days (marketplaces.md §5.1). */
export const ETSY_ACCESS_TOKEN_LIFETIME_SECONDS = 3_600;
export const ETSY_REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3_600;
/** Refresh this long before the access token expires, so no request carries a dying token. */
export const ETSY_TOKEN_REFRESH_MARGIN_MS = 60_000;
/** Standard Webhooks tolerance for webhook-timestamp, in seconds either side of our clock. */
export const ETSY_WEBHOOK_TOLERANCE_SECONDS = 300;
/** Inventory bodies are small JSON documents; Etsy publishes no limit, this is our own cap. */
export const ETSY_REQUEST_BODY_BYTES_MAX = 1_000_000;

export const limits: ChannelLimits = {
  operations: {
    // GET inventory + PUT inventory per listing: two requests from the shared budget (counted so
    // even though the reads of pushes sent together share one getListingsByListingIds call).
    updateListingInventory: { ratePerSecond: ETSY_REQUESTS_PER_SECOND / 2, burst: ETSY_REQUESTS_PER_SECOND / 2 },
    getListingsByShop: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
    getShopReceipts: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
    getShopReceipt: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
    token: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
  },
  // Etsy has no bulk or feed inventory write in the official model: one listing per call.
  pushOperation: { single: 'updateListingInventory' },
  bulkBatchMax: 1,
  feedBatchMax: 0,
  pageSizeMax: ETSY_PAGE_SIZE_MAX,
  requestBodyBytesMax: ETSY_REQUEST_BODY_BYTES_MAX,
  quantityMax: ETSY_OFFERING_QUANTITY_MAX,
};
