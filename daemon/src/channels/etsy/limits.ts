/**
 * What Etsy allows, declared once for the scheduler and the sandbox alike.
 *
 * Rates: Etsy grants each app (API key) 10 requests a second and 10,000 a day by default, on a
 * 24-hour sliding window, shared by every operation (developers.etsy.com/documentation/essentials/rate-limits,
 * via shared/marketplaces.md §5.4). A quantity push is a read and a write (read before write): the
 * scheduler charges each of its requests to the push bucket (requestsPerPush), and one read
 * serves every listing of a call.
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

/** Listings per push call. A call costs a read (getListingsByListingIds, or getListingInventory
 * for one listing) plus a write per listing: 8 listings cost 9 requests, the push bucket's whole
 * burst, so a backlog drains at 8 listings per 9 requests (about 8.4 a second) instead of the 5
 * that a read and a write per listing allow. Larger calls would need more than the burst at once. */
export const ETSY_LISTINGS_PER_PUSH_MAX = 8;
/** How long a push's charged writes may wait (for its read, or for another push on the listing)
 * before they stop holding the bucket: well above Etsy's usual answer time, well below the
 * request timeout. */
export const ETSY_WRITES_HELD_MAX_MS = 2_000;
/** The push bucket's burst: Etsy's 10 less one, left for the order poll and the reconciliation's
 * reads, which draw on the same per-app budget outside the push scheduler. */
export const ETSY_PUSH_BURST = ETSY_REQUESTS_PER_SECOND - 1;

export const limits: ChannelLimits = {
  operations: {
    // Every request of a push (its read and its writes) is a token of this bucket: requestsPerPush.
    updateListingInventory: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_PUSH_BURST },
    getListingsByShop: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
    getShopReceipts: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
    getShopReceipt: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
    token: { ratePerSecond: ETSY_REQUESTS_PER_SECOND, burst: ETSY_REQUESTS_PER_SECOND },
  },
  // Etsy has no batch or feed inventory write in the official model: the bulk path is one read of
  // all the call's listings and then one write per listing, sent together.
  pushOperation: { single: 'updateListingInventory', bulk: 'updateListingInventory' },
  requestsPerPush: { perCall: 1, perSku: 1 },
  bulkBatchMax: ETSY_LISTINGS_PER_PUSH_MAX,
  feedBatchMax: 0,
  pageSizeMax: ETSY_PAGE_SIZE_MAX,
  requestBodyBytesMax: ETSY_REQUEST_BODY_BYTES_MAX,
  quantityMax: ETSY_OFFERING_QUANTITY_MAX,
};
