/**
 * What many listings should show, read in a handful of queries instead of four per listing: the
 * dispatcher's hot path at high rates. It gathers exactly the inputs LedgerQueries.publishInputFor
 * gathers (same rows, same order) and hands them to the same pure publishedQuantity, so the two
 * cannot disagree; kits and shared pools, whose inputs span more rows, use the per-listing path.
 */
import { publishedQuantity, type PublishInput, type PublishResult } from '../ledger/published-quantity.js';
import type { LedgerQueries } from '../ledger/queries.js';
import type { Store } from '../ledger/store.js';

/** Ids per IN (…) list: far under SQLite's and MySQL's parameter limits. */
const IDS_PER_QUERY_MAX = 500;

export class PublishedBatch {
  constructor(private readonly store: Store, private readonly queries: LedgerQueries) {}

  publishedFor(listingId: number): Promise<PublishResult | undefined> {
    return this.queries.publishedFor(listingId);
  }

  /** The quantity each listing should show, by listing id; absent ids are gone. */
  async publishedForMany(listingIds: readonly number[]): Promise<Map<number, PublishResult>> {
    const results = new Map<number, PublishResult>();
    for (let start = 0; start < listingIds.length; start += IDS_PER_QUERY_MAX) {
      for (const [id, result] of await this.chunk(listingIds.slice(start, start + IDS_PER_QUERY_MAX))) results.set(id, result);
    }
    return results;
  }

  private async chunk(listingIds: number[]): Promise<Map<number, PublishResult>> {
    const results = new Map<number, PublishResult>();
    if (listingIds.length === 0) return results;
    const db = this.store.db;
    const listings = await db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').innerJoin('sku', 'sku.id', 'listing.sku_id')
      .select(['listing.id', 'listing.channel_id', 'listing.buffer', 'listing.cap', 'listing.active', 'channel.buffer as channel_buffer', 'channel.cap as channel_cap', 'channel.subtracts_held',
        'sku.id as sku_id', 'sku.code', 'sku.kind', 'sku.stock_pool_id', 'sku.tracks_stock', 'sku.deleted_at'])
      .where('listing.id', 'in', listingIds).execute();
    const simple = listings.filter((row) => row.kind !== 'kit' && row.stock_pool_id === null);
    for (const row of listings.filter((entry) => !simple.includes(entry))) {
      const result = await this.queries.publishedFor(row.id);
      if (result) results.set(row.id, result);
    }
    if (simple.length === 0) return results;
    const channelIds = [...new Set(simple.map((row) => row.channel_id))];
    const skuIds = [...new Set(simple.map((row) => row.sku_id))];
    const channelLocations = await db.selectFrom('channel_location').select(['channel_id', 'location_id']).where('channel_id', 'in', channelIds).execute();
    const stock = await db.selectFrom('stock').innerJoin('location', 'location.id', 'stock.location_id')
      .select(['stock.sku_id', 'stock.location_id', 'location.code', 'stock.on_hand', 'stock.committed']).where('stock.sku_id', 'in', skuIds).orderBy('location.code').execute();
    const held = new Map((await db.selectFrom('held_stock').select(['sku_id', 'quantity']).where('sku_id', 'in', skuIds).execute()).map((row) => [row.sku_id, row.quantity]));
    const stockOf = new Map<number, typeof stock>();
    for (const entry of stock) stockOf.set(entry.sku_id, [...(stockOf.get(entry.sku_id) ?? []), entry]);
    const locationsOf = new Map<number, Set<number>>();
    for (const row of channelLocations) locationsOf.set(row.channel_id, (locationsOf.get(row.channel_id) ?? new Set()).add(row.location_id));
    for (const row of simple) {
      const locations = locationsOf.get(row.channel_id) ?? new Set<number>();
      const input: PublishInput = {
        channel: { buffer: row.channel_buffer, cap: row.channel_cap, subtractsHeld: row.subtracts_held === 1 },
        listing: { buffer: row.buffer, cap: row.cap, active: row.active === 1 },
        sku: { code: row.code, tracksStock: row.tracks_stock === 1, deleted: row.deleted_at !== null },
        stock: {
          locations: (stockOf.get(row.sku_id) ?? []).filter((entry) => locations.has(entry.location_id)).map((entry) => ({ location: entry.code, onHand: entry.on_hand, committed: entry.committed })),
          held: held.get(row.sku_id) ?? 0,
        },
      };
      results.set(row.id, publishedQuantity(input));
    }
    return results;
  }
}
