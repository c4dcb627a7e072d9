/**
 * The sandbox's GET_MERCHANT_LISTINGS_ALL_DATA document, built from its listings without I/O:
 * tab-delimited, one header row of Amazon's column names (the 29 of the US flat file), one row per
 * listing, LF line ends. Merchant rows carry their quantity; AFN (FBA) rows and variation
 * parents leave quantity empty, as Amazon's do. Tabs and line breaks cannot sit in a bare field,
 * so they become spaces, and a field starting with a double quote is quoted.
 */
import type { SandboxListing } from '../kit/sandbox-state.js';

export const MERCHANT_LISTINGS_COLUMNS = [
  'item-name', 'item-description', 'listing-id', 'seller-sku', 'price', 'quantity', 'open-date', 'image-url', 'item-is-marketplace',
  'product-id-type', 'zshop-shipping-fee', 'item-note', 'item-condition', 'zshop-category1', 'zshop-browse-path', 'zshop-storefront-feature',
  'asin1', 'asin2', 'asin3', 'will-ship-internationally', 'expedited-shipping', 'zshop-boldface', 'product-id', 'bid-for-featured-placement',
  'add-delete', 'pending-quantity', 'fulfillment-channel', 'merchant-shipping-group', 'status',
] as const;
type Column = (typeof MERCHANT_LISTINGS_COLUMNS)[number];

/** product-id-type 1 is ASIN; item-condition 11 is New (Amazon's flat-file codes). */
const PRODUCT_ID_TYPE_ASIN = '1';
const ITEM_CONDITION_NEW = '11';

function bare(text: string): string {
  const flat = text.replace(/[\t\r\n]+/g, ' ');
  return flat.startsWith('"') ? `"${flat.replace(/"/g, '""')}"` : flat;
}

function openDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** listing-id: Amazon's is a 10-character alphanumeric id; here derived from the ASIN. */
function listingIdOf(listing: SandboxListing): string {
  const asin = listing.identifiers.asin ?? listing.sku;
  return `${asin.slice(-6)}${String(asin.length).padStart(4, '0')}`.toUpperCase();
}

export function merchantListingsDocument(listings: readonly SandboxListing[]): string {
  const lines = [MERCHANT_LISTINGS_COLUMNS.join('\t')];
  for (const listing of listings) {
    const afn = listing.fulfilledByMarketplace;
    const values: Record<Column, string> = Object.fromEntries(MERCHANT_LISTINGS_COLUMNS.map((column) => [column, ''])) as Record<Column, string>;
    Object.assign(values, {
      'item-name': listing.attributes.title ?? listing.sku,
      'listing-id': listingIdOf(listing),
      'seller-sku': listing.sku,
      price: listing.isParent ? '' : listing.price,
      quantity: listing.isParent || afn ? '' : String(listing.quantity),
      'open-date': openDate(listing.updatedAtMs),
      'item-is-marketplace': 'y',
      'product-id-type': PRODUCT_ID_TYPE_ASIN,
      'item-condition': ITEM_CONDITION_NEW,
      asin1: listing.identifiers.asin ?? '',
      'will-ship-internationally': afn ? '' : 'N',
      'product-id': listing.identifiers.asin ?? '',
      'fulfillment-channel': afn ? (listing.identifiers.fulfillmentChannelCode ?? 'AMAZON_NA') : 'DEFAULT',
      'merchant-shipping-group': afn ? '' : 'Migrated Template',
      status: listing.isParent ? 'Inactive' : 'Active',
    });
    lines.push(MERCHANT_LISTINGS_COLUMNS.map((column) => bare(values[column])).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
