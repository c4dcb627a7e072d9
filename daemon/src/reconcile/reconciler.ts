/**
 * Reconciliation: reads every listing a channel shows through its paged bulk path (within the
 * channel's rate budget), compares with what the ledger says each should show, reports drift
 * with its likely cause, and with `fix` corrects it — a push where the ledger is the truth, a
 * counted movement where the marketplace is (FBA stock), so the audit trail keeps the repair.
 */
import { decodeQuantityCursor } from '../channels/amazon/cursor.js';
import type { Channel } from '../channels/channel.js';
import type { Catalogue } from '../ledger/catalogue.js';
import type { Ledger } from '../ledger/ledger.js';
import { requeueListings } from '../ledger/outbox-claims.js';
import { LedgerQueries } from '../ledger/queries.js';
import type { Store } from '../ledger/store.js';
import { PublishedBatch } from '../sync/published-batch.js';
import { findDrift, type DriftItem, type ExpectedListing, type ShownListing } from './drift.js';

const READ_PAGES_MAX = 100_000;
/** A page read that fails retryably (429, 5xx, a reset keep-alive socket) is tried again this often. */
const READ_ATTEMPTS_MAX = 4;
const READ_RETRY_DELAY_MS = 500;
/** Bulk-read operation of each connector, so reads share the channel's rate budget. */
export const READ_OPERATIONS: Record<string, string> = { amazon: 'searchListingsItems', ebay: 'getInventoryItems', walmart: 'getInventories', tiktok: 'searchProducts', etsy: 'getListingsByShop', woocommerce: 'listProducts' };

export type Budget = <T>(channel: string, operation: string, work: () => Promise<T>) => Promise<T>;

/**
 * The operation the next page read calls, so it is charged to the right budget; null when the page
 * makes no call. Amazon's cursor walks several operations: after searchListingsItems finds more
 * than it can page, the listings come from a report Amazon builds (getReport polls), whose
 * downloaded rows are then handed out 20 a page from memory — those pages call nothing and must not
 * spend searchListingsItems' 5 a second (at 10,000 SKUs that alone was 100 s).
 */
export function readOperationFor(channel: string, cursor: string | undefined): string | null {
  if (channel !== 'amazon' || cursor === undefined) return READ_OPERATIONS[channel] ?? '';
  const decoded = decodeQuantityCursor(cursor);
  if (!decoded.ok) return READ_OPERATIONS.amazon!;
  switch (decoded.value.phase) {
    case 'listings': return 'searchListingsItems';
    case 'report': return 'getReport';
    case 'reportRows': return null;
    case 'fba': return 'getInventorySummaries';
  }
}

/** A drift item of a report, and whether this run's fix corrected it (a push queued or a count made). */
export type ReportedDrift = DriftItem & { fixed: boolean };

export interface ChannelReconcileReport {
  channel: string;
  ok: boolean;
  error?: string;
  listingsChecked: number;
  apiCalls: number;
  drift: ReportedDrift[];
  fixed: number;
  seconds: number;
}

export interface ReconcileOptions {
  channels?: string[];
  fix?: boolean;
  onProgress?: (channel: string, listingsRead: number, listingsExpected: number) => void;
}

export class Reconciler {
  private readonly published: PublishedBatch;

  constructor(private readonly store: Store, private readonly channelOf: (name: string) => Channel | undefined, private readonly catalogue: Catalogue, private readonly ledger: Ledger, private readonly budget: Budget = (_channel, _operation, work) => work()) {
    this.published = new PublishedBatch(store, new LedgerQueries(store));
    void this.catalogue;
  }

  /** The channels a run with these options reads: those asked for (or every channel the ledger
   * knows) that have a connector. */
  async channelsFor(channels?: readonly string[]): Promise<string[]> {
    const known = await this.store.db.selectFrom('channel').select(['code', 'mode']).orderBy('code').execute();
    return (channels ?? known.map((row) => row.code)).filter((name) => this.channelOf(name) !== undefined);
  }

  /** Reads the channels side by side — each paced by its own budget, so one slow marketplace
   * (Walmart's 200 pages a minute) does not hold the others back — and reports them in order. */
  async run(options: ReconcileOptions = {}): Promise<ChannelReconcileReport[]> {
    const names = await this.channelsFor(options.channels);
    return Promise.all(names.map((name) => this.runChannel(this.channelOf(name)!, options)));
  }

  private async runChannel(channel: Channel, options: ReconcileOptions): Promise<ChannelReconcileReport> {
    const started = performance.now();
    const expected = await this.expectedFor(channel.name);
    const shown: ShownListing[] = [];
    let apiCalls = 0;
    let cursor: string | undefined;
    for (let page = 0; page < READ_PAGES_MAX; page += 1) {
      const operation = readOperationFor(channel.name, cursor);
      const readPage = () => (operation === null ? channel.readQuantities(cursor) : this.budget(channel.name, operation, () => channel.readQuantities(cursor)));
      let read = await readPage();
      if (operation !== null) apiCalls += 1;
      for (let attempt = 1; !read.ok && read.error.retryable && attempt < READ_ATTEMPTS_MAX; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(READ_RETRY_DELAY_MS * attempt, read.ok ? 0 : read.error.retryAfterMs ?? 0)));
        read = await readPage();
        if (operation !== null) apiCalls += 1;
      }
      if (!read.ok) return { channel: channel.name, ok: false, error: `${read.error.code}: ${read.error.message}`, listingsChecked: shown.length, apiCalls, drift: [], fixed: 0, seconds: (performance.now() - started) / 1000 };
      for (const item of read.value.items) shown.push({ sku: item.listing.sku, quantity: item.quantity, ...(item.fulfilledByMarketplace ? { fulfilledByMarketplace: true } : {}) });
      options.onProgress?.(channel.name, shown.length, expected.length);
      cursor = read.value.nextCursor;
      if (!cursor) break;
    }
    const found = findDrift(expected, shown);
    const fixedIndexes = options.fix ? await this.fix(channel.name, found) : new Set<number>();
    const drift = found.map((item, index) => ({ ...item, fixed: fixedIndexes.has(index) }));
    return { channel: channel.name, ok: true, listingsChecked: shown.length, apiCalls, drift, fixed: fixedIndexes.size, seconds: Math.round((performance.now() - started) / 10) / 100 };
  }

  /** What the ledger says each of the channel's listings should show, by channel SKU. */
  private async expectedFor(channel: string): Promise<ExpectedListing[]> {
    const listings = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').leftJoin('listing_sync', 'listing_sync.listing_id', 'listing.id')
      .select(['listing.id', 'listing.channel_sku', 'listing_sync.last_quantity']).where('channel.code', '=', channel).orderBy('listing.channel_sku').execute();
    // A handful of queries per 500 listings (the dispatcher's batch path), not four per listing.
    const published = await this.published.publishedForMany(listings.map((listing) => listing.id));
    return listings.map((listing) => ({ listingId: listing.id, sku: listing.channel_sku, expected: published.get(listing.id)?.quantity ?? null, lastPushedQuantity: listing.last_quantity ?? null }));
  }

  /** Corrects what can be corrected; answers the indexes (in `drift`) of the items it fixed. */
  private async fix(channel: string, drift: DriftItem[]): Promise<Set<number>> {
    const fixed = new Set<number>();
    drift.forEach((item, index) => { if (item.listingId !== null && (item.cause === 'changed_outside_shelfguard' || item.cause === 'push_pending' || item.cause === 'missing_on_channel')) fixed.add(index); });
    await requeueListings(this.store, [...fixed].map((index) => drift[index]!.listingId!));
    const fba = await this.store.db.selectFrom('channel_location').innerJoin('channel', 'channel.id', 'channel_location.channel_id').innerJoin('location', 'location.id', 'channel_location.location_id')
      .select('location.code').where('channel.code', '=', channel).where('location.kind', '=', 'marketplace').orderBy('channel_location.priority').executeTakeFirst();
    for (const [index, item] of drift.entries()) {
      if (item.cause !== 'marketplace_holds_stock' || item.listingId === null || !fba) continue;
      const sku = await this.store.db.selectFrom('listing').innerJoin('sku', 'sku.id', 'listing.sku_id').select('sku.code').where('listing.id', '=', item.listingId!).executeTakeFirstOrThrow();
      const counted = await this.ledger.count({ key: `reconcile:${channel}:${sku.code}:${fba.code}:${item.shown}:${Date.now()}`, channel, actor: 'reconcile', reference: `${channel}://inventory/${item.sku}`, sku: sku.code, location: fba.code, available: item.shown ?? 0 });
      if (counted.ok) fixed.add(index);
    }
    return fixed;
  }
}
