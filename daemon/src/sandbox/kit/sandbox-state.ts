/**
 * The state every sandbox keeps, in Shelfguard's vocabulary: listings by SKU and orders by id.
 * Each marketplace module maps its own protocol onto this; the /_sandbox/ test surface reads and
 * seeds it the same way for every marketplace, so one conformance suite can drive them all.
 */
export interface SandboxListing {
  sku: string;
  quantity: number;
  /** The variation parent; parents carry no quantity of their own. */
  parentSku?: string;
  isParent?: boolean;
  attributes: Record<string, string>;
  /** Identifiers the marketplace assigned (ASIN, listingId, productId/skuId, offerId, ...). */
  identifiers: Record<string, string>;
  /** Amazon AFN (FBA): the marketplace's own stock, never writable through the listings API. */
  fulfilledByMarketplace: boolean;
  price: string;
  /** Quantity changes applied today, for limits such as eBay's 250 revisions a day. */
  revisionsToday: number;
  updatedAtMs: number;
}

export type SandboxOrderStatus = 'created' | 'cancelled' | 'shipped' | 'delivered' | 'return_requested' | 'return_received';

export interface SandboxOrderLine {
  lineId: string;
  sku: string;
  quantity: number;
  condition?: 'sellable' | 'damaged';
  cancelReason?: 'buyer' | 'seller_out_of_stock' | 'seller_other' | 'marketplace' | 'unknown';
}

export interface SandboxOrder {
  orderId: string;
  status: SandboxOrderStatus;
  lines: SandboxOrderLine[];
  fulfillment: 'merchant' | 'marketplace';
  createdAtMs: number;
  updatedAtMs: number;
}

export class SandboxState {
  readonly listings = new Map<string, SandboxListing>();
  readonly orders = new Map<string, SandboxOrder>();
  private sequence = 0;

  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${String(this.sequence).padStart(8, '0')}`;
  }

  /** Listings sorted by SKU, so paging is stable. */
  sortedListings(): SandboxListing[] {
    return [...this.listings.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }

  /** Orders updated at or after a time, oldest update first (what polling endpoints return). */
  ordersUpdatedSince(sinceMs: number): SandboxOrder[] {
    return [...this.orders.values()].filter((order) => order.updatedAtMs >= sinceMs).sort((a, b) => a.updatedAtMs - b.updatedAtMs || (a.orderId < b.orderId ? -1 : 1));
  }

  reset(): void {
    this.listings.clear();
    this.orders.clear();
  }
}
