/**
 * TikTok Shop (202309) limits. Sources (shared/marketplaces.md §4 and corrections): default
 * 50 QPS per API per app+shop ("rate-limits" guide); inventory quantity range [1, 99,999]
 * (update-inventory spec, error 12052055); at most 100 SKUs per product (12052050); order search
 * page_size 1–100; products search pages up to 100 (UNCERTAIN). The bucket size is our
 * assumption: one second's worth.
 */
import type { ChannelLimits } from '../channel.js';

export const TIKTOK_PAGE_SIZE_MAX = 100;
export const TIKTOK_SKUS_PER_PRODUCT_MAX = 100;
export const TIKTOK_QUANTITY_MAX = 99_999;
/** Refresh this long before the access token's expiry (it lives 7 days). */
export const TIKTOK_TOKEN_REFRESH_MARGIN_MS = 3_600_000;

const perApi = { ratePerSecond: 50, burst: 25 };

export const limits: ChannelLimits = {
  operations: {
    getToken: { ratePerSecond: 5, burst: 10 },
    updateInventory: perApi,
    searchProducts: perApi,
    searchOrders: perApi,
    getOrderDetail: perApi,
  },
  pushOperation: { single: 'updateInventory', bulk: 'updateInventory' },
  bulkBatchMax: TIKTOK_SKUS_PER_PRODUCT_MAX,
  feedBatchMax: 0,
  pageSizeMax: TIKTOK_PAGE_SIZE_MAX,
  requestBodyBytesMax: 1024 * 1024,
  quantityMax: TIKTOK_QUANTITY_MAX,
};
