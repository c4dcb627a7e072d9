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

/** A Map that counts structural changes (set, delete, clear), so indexes over it know when to rebuild. */
export class VersionedMap<K, V> extends Map<K, V> {
  version = 0;

  override set(key: K, value: V): this {
    this.version = (this.version ?? 0) + 1;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.version += 1;
    return super.delete(key);
  }

  override clear(): void {
    this.version += 1;
    super.clear();
  }
}

interface IdentifierIndex {
  version: number;
  byValue: Map<string, SandboxListing[]>;
}

export class SandboxState {
  readonly listings = new VersionedMap<string, SandboxListing>();
  private readonly indexes = new Map<string, IdentifierIndex>();
  private quantityWatchers: Array<(listing: SandboxListing) => void> = [];
  readonly orders = new Map<string, SandboxOrder>();
  private sequence = 0;

  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${String(this.sequence).padStart(8, '0')}`;
  }

  /**
   * Calls `listener` whenever a listing's quantity is assigned a different number, and once for
   * every listing as it is stored: a bench in another process mirrors what each sandbox shows, at
   * the moment it applies it, without polling every listing. Marketplace modules keep assigning
   * `listing.quantity` as before; the property becomes an accessor on watched states only.
   */
  watchQuantities(listener: (listing: SandboxListing) => void): void {
    this.quantityWatchers.push(listener);
    if (this.quantityWatchers.length > 1) return;
    const original = this.listings.set.bind(this.listings);
    this.listings.set = (key, listing) => { this.observe(listing); return original(key, listing); };
    for (const listing of this.listings.values()) this.observe(listing);
  }

  private observe(listing: SandboxListing): void {
    let quantity = listing.quantity;
    const notify = () => { for (const watcher of this.quantityWatchers) watcher(listing); };
    Object.defineProperty(listing, 'quantity', {
      configurable: true,
      enumerable: true,
      get: () => quantity,
      set: (value: number) => { const changed = value !== quantity; quantity = value; if (changed) notify(); },
    });
    notify();
  }

  /**
   * Listings whose identifier `name` is `value` (Etsy's listingId, TikTok's productId), in SKU
   * insertion order, without scanning every listing on every request: the index is rebuilt when
   * listings are added, replaced or removed, and whenever a hit no longer matches or a lookup
   * misses, so an identifier changed in place is found too (at the price of one scan).
   */
  listingsWith(name: string, value: string): SandboxListing[] {
    let index = this.indexes.get(name);
    let fresh = false;
    if (!index || index.version !== this.listings.version) { index = this.buildIndex(name); fresh = true; }
    const found = index.byValue.get(value) ?? [];
    const current = found.length > 0 && found.every((listing) => listing.identifiers[name] === value && this.listings.get(listing.sku) === listing);
    if (current || fresh) return current ? found : [];
    return this.buildIndex(name).byValue.get(value) ?? [];
  }

  private buildIndex(name: string): IdentifierIndex {
    const byValue = new Map<string, SandboxListing[]>();
    for (const listing of this.listings.values()) {
      const value = listing.identifiers[name];
      if (value === undefined) continue;
      const list = byValue.get(value);
      if (list) list.push(listing);
      else byValue.set(value, [listing]);
    }
    const index = { version: this.listings.version, byValue };
    this.indexes.set(name, index);
    return index;
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
