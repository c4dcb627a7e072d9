/**
 * Reconciliation: reads every listing a channel shows through its paged bulk path (within the
 * channel's rate budget), compares with what the ledger says each should show, reports drift
 * with its likely cause, and with `fix` corrects it — a push where the ledger is the truth, a
 * counted movement where the marketplace is (FBA stock), so the audit trail keeps the repair.
 */
import type { Channel } from '../channels/channel.js';
import type { Catalogue } from '../ledger/catalogue.js';
import type { Ledger } from '../ledger/ledger.js';
import { requeueListings } from '../ledger/outbox-claims.js';
import { LedgerQueries } from '../ledger/queries.js';
import type { Store } from '../ledger/store.js';
import { findDrift, type DriftItem, type ExpectedListing, type ShownListing } from './drift.js';

const READ_PAGES_MAX = 100_000;
/** A page read that fails retryably (429, 5xx, a reset keep-alive socket) is tried again this often. */
const READ_ATTEMPTS_MAX = 4;
const READ_RETRY_DELAY_MS = 500;
/** Bulk-read operation of each connector, so reads share the channel's rate budget. */
export const READ_OPERATIONS: Record<string, string> = { amazon: 'searchListingsItems', ebay: 'getInventoryItems', walmart: 'getInventories', tiktok: 'searchProducts', etsy: 'getListingsByShop', woocommerce: 'listProducts' };

export type Budget = <T>(channel: string, operation: string, work: () => Promise<T>) => Promise<T>;

export interface ChannelReconcileReport {
  channel: string;
  ok: boolean;
  error?: string;
  listingsChecked: number;
  apiCalls: number;
  drift: DriftItem[];
  fixed: number;
  seconds: number;
}

export interface ReconcileOptions {
  channels?: string[];
  fix?: boolean;
  onProgress?: (channel: string, listingsRead: number, listingsExpected: number) => void;
}

export class Reconciler {
  private readonly queries: LedgerQueries;

  constructor(private readonly store: Store, private readonly channelOf: (name: string) => Channel | undefined, private readonly catalogue: Catalogue, private readonly ledger: Ledger, private readonly budget: Budget = (_channel, _operation, work) => work()) {
    this.queries = new LedgerQueries(store);
    void this.catalogue;
  }

  async run(options: ReconcileOptions = {}): Promise<ChannelReconcileReport[]> {
    const known = await this.store.db.selectFrom('channel').select(['code', 'mode']).orderBy('code').execute();
    const names = (options.channels ?? known.map((row) => row.code)).filter((name) => this.channelOf(name) !== undefined);
    const reports: ChannelReconcileReport[] = [];
    for (const name of names) reports.push(await this.runChannel(this.channelOf(name)!, options));
    return reports;
  }

  private async runChannel(channel: Channel, options: ReconcileOptions): Promise<ChannelReconcileReport> {
    const started = performance.now();
    const expected = await this.expectedFor(channel.name);
    const shown: ShownListing[] = [];
    let apiCalls = 0;
    let cursor: string | undefined;
    for (let page = 0; page < READ_PAGES_MAX; page += 1) {
      let read = await this.budget(channel.name, READ_OPERATIONS[channel.name] ?? '', () => channel.readQuantities(cursor));
      apiCalls += 1;
      for (let attempt = 1; !read.ok && read.error.retryable && attempt < READ_ATTEMPTS_MAX; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(READ_RETRY_DELAY_MS * attempt, read.ok ? 0 : read.error.retryAfterMs ?? 0)));
        read = await this.budget(channel.name, READ_OPERATIONS[channel.name] ?? '', () => channel.readQuantities(cursor));
        apiCalls += 1;
      }
      if (!read.ok) return { channel: channel.name, ok: false, error: `${read.error.code}: ${read.error.message}`, listingsChecked: shown.length, apiCalls, drift: [], fixed: 0, seconds: (performance.now() - started) / 1000 };
      for (const item of read.value.items) shown.push({ sku: item.listing.sku, quantity: item.quantity, ...(item.fulfilledByMarketplace ? { fulfilledByMarketplace: true } : {}) });
      options.onProgress?.(channel.name, shown.length, expected.length);
      cursor = read.value.nextCursor;
      if (!cursor) break;
    }
    const drift = findDrift(expected, shown);
    const fixed = options.fix ? await this.fix(channel.name, drift) : 0;
    return { channel: channel.name, ok: true, listingsChecked: shown.length, apiCalls, drift, fixed, seconds: Math.round((performance.now() - started) / 10) / 100 };
  }

  /** What the ledger says each of the channel's listings should show, by channel SKU. */
  private async expectedFor(channel: string): Promise<ExpectedListing[]> {
    const listings = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').leftJoin('listing_sync', 'listing_sync.listing_id', 'listing.id')
      .select(['listing.id', 'listing.channel_sku', 'listing_sync.last_quantity']).where('channel.code', '=', channel).orderBy('listing.channel_sku').execute();
    const expected: ExpectedListing[] = [];
    for (const listing of listings) {
      const published = await this.queries.publishedFor(listing.id);
      expected.push({ listingId: listing.id, sku: listing.channel_sku, expected: published?.quantity ?? null, lastPushedQuantity: listing.last_quantity ?? null });
    }
    return expected;
  }

  private async fix(channel: string, drift: DriftItem[]): Promise<number> {
    const pushes = drift.filter((item) => item.listingId !== null && (item.cause === 'changed_outside_shelfguard' || item.cause === 'push_pending' || item.cause === 'missing_on_channel')).map((item) => item.listingId!);
    await requeueListings(this.store, pushes);
    let fixed = pushes.length;
    const fba = await this.store.db.selectFrom('channel_location').innerJoin('channel', 'channel.id', 'channel_location.channel_id').innerJoin('location', 'location.id', 'channel_location.location_id')
      .select('location.code').where('channel.code', '=', channel).where('location.kind', '=', 'marketplace').orderBy('channel_location.priority').executeTakeFirst();
    for (const item of drift.filter((entry) => entry.cause === 'marketplace_holds_stock' && entry.listingId !== null)) {
      if (!fba) continue;
      const sku = await this.store.db.selectFrom('listing').innerJoin('sku', 'sku.id', 'listing.sku_id').select('sku.code').where('listing.id', '=', item.listingId!).executeTakeFirstOrThrow();
      const counted = await this.ledger.count({ key: `reconcile:${channel}:${sku.code}:${fba.code}:${item.shown}:${Date.now()}`, channel, actor: 'reconcile', reference: `${channel}://inventory/${item.sku}`, sku: sku.code, location: fba.code, available: item.shown ?? 0 });
      if (counted.ok) fixed += 1;
    }
    return fixed;
  }
}
