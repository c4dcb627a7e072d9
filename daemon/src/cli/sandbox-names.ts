/** The marketplaces `shelfguard sandbox` can run, each a folder under daemon/src/sandbox/. */
export const SANDBOX_NAMES = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy', 'woocommerce'];
