/**
 * What eBay allows, declared once for the scheduler and the sandbox alike.
 *
 * eBay publishes daily quotas per API, not per-second rates (developer.ebay.com "API call
 * limits", summarised in shared/marketplaces.md §2.4). A token bucket needs a rate, so each
 * operation's daily quota is spread evenly over the day, with a small burst so that a scheduler
 * never spends an hour's share at once. Where eBay documents a short-duration limit
 * (ReviseInventoryStatus: 6,000 calls per 15 s per seller) the burst stays far below it.
 */
import type { ChannelLimits } from '../channel.js';

const SECONDS_PER_DAY = 86_400;

/** Inventory API daily quota: commonly cited, not confirmed in our sources (marketplaces.md §2.4, UNCERTAIN). */
export const INVENTORY_CALLS_PER_DAY = 2_000_000;
/** Trading API default quota before the Application Growth Check (marketplaces.md §2.4). */
export const TRADING_CALLS_PER_DAY = 5_000;
/** Fulfillment API daily quota: not captured in our sources; eBay's call-limits page lists 100,000 (UNCERTAIN). */
export const FULFILLMENT_CALLS_PER_DAY = 100_000;
/** Notification API daily quota, which getPublicKey counts against (marketplaces.md §2.4). */
export const NOTIFICATION_CALLS_PER_DAY = 10_000;
/** OAuth token requests have no published quota; tokens are cached for hours, so a few a second is plenty. */
export const TOKEN_REQUESTS_PER_SECOND = 5;

/** bulkUpdatePriceQuantity and bulkGetInventoryItem take at most 25 entries (marketplaces.md, corrections). */
export const INVENTORY_BATCH_MAX = 25;
/** ReviseInventoryStatus takes at most 4 InventoryStatus nodes (marketplaces.md §2.2 C). */
export const TRADING_BATCH_MAX = 4;
/** getInventoryItems limit is 1..200 (sell_inventory_v1_oas3.json). */
export const INVENTORY_PAGE_SIZE_MAX = 200;
/** getOrders limit is at most 200 (sell_fulfillment_v1_oas3.json). */
export const ORDER_PAGE_SIZE_MAX = 200;
/** "Each listing can be revised up to 250 times in one calendar day" (bulkUpdatePriceQuantity description). */
export const REVISIONS_PER_LISTING_PER_DAY_MAX = 250;
/** Quantities are int32 in the Inventory API model. */
export const QUANTITY_MAX = 2_147_483_647;
/** eBay documents no REST body limit; 25 entries never come near this (UNCERTAIN). */
export const REQUEST_BODY_BYTES_MAX = 1_000_000;
/** A small burst: eBay publishes no burst, and a scheduler draining at the even daily rate needs none. */
const BURST_DEFAULT = 5;

export const OPERATION_NAMES = {
  token: 'getToken',
  bulkUpdatePriceQuantity: 'bulkUpdatePriceQuantity',
  getInventoryItems: 'getInventoryItems',
  bulkGetInventoryItem: 'bulkGetInventoryItem',
  getInventoryItemGroup: 'getInventoryItemGroup',
  reviseInventoryStatus: 'ReviseInventoryStatus',
  getOrders: 'getOrders',
  getOrder: 'getOrder',
  getPublicKey: 'getPublicKey',
} as const;

const daily = (callsPerDay: number) => ({ ratePerSecond: callsPerDay / SECONDS_PER_DAY, burst: BURST_DEFAULT });

export const limits: ChannelLimits = {
  operations: {
    [OPERATION_NAMES.token]: { ratePerSecond: TOKEN_REQUESTS_PER_SECOND, burst: 10 },
    [OPERATION_NAMES.bulkUpdatePriceQuantity]: daily(INVENTORY_CALLS_PER_DAY),
    [OPERATION_NAMES.getInventoryItems]: daily(INVENTORY_CALLS_PER_DAY),
    [OPERATION_NAMES.bulkGetInventoryItem]: daily(INVENTORY_CALLS_PER_DAY),
    [OPERATION_NAMES.getInventoryItemGroup]: daily(INVENTORY_CALLS_PER_DAY),
    [OPERATION_NAMES.reviseInventoryStatus]: daily(TRADING_CALLS_PER_DAY),
    [OPERATION_NAMES.getOrders]: daily(FULFILLMENT_CALLS_PER_DAY),
    [OPERATION_NAMES.getOrder]: daily(FULFILLMENT_CALLS_PER_DAY),
    [OPERATION_NAMES.getPublicKey]: daily(NOTIFICATION_CALLS_PER_DAY),
  },
  // Listings not managed by the Inventory API go through ReviseInventoryStatus instead, in
  // batches of 4; the connector decides per listing (see README).
  pushOperation: { single: OPERATION_NAMES.bulkUpdatePriceQuantity, bulk: OPERATION_NAMES.bulkUpdatePriceQuantity },
  bulkBatchMax: INVENTORY_BATCH_MAX,
  feedBatchMax: 0,
  pageSizeMax: INVENTORY_PAGE_SIZE_MAX,
  requestBodyBytesMax: REQUEST_BODY_BYTES_MAX,
  quantityMax: QUANTITY_MAX,
  revisionsPerListingPerDayMax: REVISIONS_PER_LISTING_PER_DAY_MAX,
};
