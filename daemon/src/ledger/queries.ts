/**
 * Reads over the ledger: stock positions, movements, listings, and the loader that gathers what
 * publishedQuantity needs for one listing. Reads never change anything.
 */
import { sql } from 'kysely';
import { publishedQuantity, type KitComponentPosition, type LocationStock, type PublishInput, type PublishResult, type StockPosition } from './published-quantity.js';
import type { Store } from './store.js';

export interface StockRowView {
  sku: string;
  location: string;
  onHand: number;
  committed: number;
  available: number;
  damaged: number;
}

export interface MovementView {
  id: string;
  sku: string;
  location: string;
  deltaOnHand: number;
  deltaCommitted: number;
  deltaDamaged: number;
  reason: string;
  channel: string | null;
  reference: string | null;
  actor: string;
  key: string;
  createdAt: string;
}

export interface ListingView {
  id: number;
  channel: string;
  sku: string;
  channelSku: string;
  identifiers: Record<string, string>;
  buffer: number | null;
  cap: number | null;
  active: boolean;
}

export class LedgerQueries {
  constructor(private readonly store: Store) {}

  async stockOf(skuCode?: string): Promise<StockRowView[]> {
    let query = this.store.db.selectFrom('stock')
      .innerJoin('sku', 'sku.id', 'stock.sku_id')
      .innerJoin('location', 'location.id', 'stock.location_id')
      .select(['sku.code as sku', 'location.code as location', 'stock.on_hand', 'stock.committed', 'stock.damaged'])
      .orderBy('sku.code').orderBy('location.code');
    if (skuCode !== undefined) query = query.where('sku.code', '=', skuCode);
    const rows = await query.execute();
    return rows.map((row) => ({ sku: row.sku, location: row.location, onHand: row.on_hand, committed: row.committed, available: row.on_hand - row.committed, damaged: row.damaged }));
  }

  /** Movements of a SKU (and of the pool it shares), oldest first, paged by movement id. */
  async movementsOf(skuCode: string, options: { afterId?: string; limit?: number; newestFirst?: boolean } = {}): Promise<MovementView[]> {
    const limit = Math.min(options.limit ?? 100, 1_000);
    const sku = await this.store.db.selectFrom('sku').select(['id', 'stock_pool_id']).where('code', '=', skuCode).executeTakeFirst();
    if (!sku) return [];
    const holder = sku.stock_pool_id ?? sku.id;
    let query = this.store.db.selectFrom('movement')
      .innerJoin('sku', 'sku.id', 'movement.sku_id')
      .innerJoin('location', 'location.id', 'movement.location_id')
      .select(['movement.id', 'sku.code as sku', 'location.code as location', 'movement.delta_on_hand', 'movement.delta_committed', 'movement.delta_damaged', 'movement.reason', 'movement.channel', 'movement.reference', 'movement.actor', 'movement.intent_key', 'movement.created_at'])
      .where('movement.sku_id', '=', holder)
      .orderBy('movement.id', options.newestFirst ? 'desc' : 'asc')
      .limit(limit);
    if (options.afterId) query = query.where('movement.id', options.newestFirst ? '<' : '>', options.afterId);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.id, sku: row.sku, location: row.location, deltaOnHand: row.delta_on_hand, deltaCommitted: row.delta_committed, deltaDamaged: row.delta_damaged,
      reason: row.reason, channel: row.channel, reference: row.reference, actor: row.actor, key: row.intent_key, createdAt: new Date(Number(row.created_at)).toISOString(),
    }));
  }

  async listings(filter: { channel?: string; sku?: string } = {}): Promise<ListingView[]> {
    let query = this.store.db.selectFrom('listing')
      .innerJoin('channel', 'channel.id', 'listing.channel_id')
      .innerJoin('sku', 'sku.id', 'listing.sku_id')
      .select(['listing.id', 'channel.code as channel', 'sku.code as sku', 'listing.channel_sku', 'listing.identifiers', 'listing.buffer', 'listing.cap', 'listing.active'])
      .orderBy('channel.code').orderBy('sku.code');
    if (filter.channel) query = query.where('channel.code', '=', filter.channel);
    if (filter.sku) query = query.where('sku.code', '=', filter.sku);
    const rows = await query.execute();
    return rows.map((row) => ({ id: row.id, channel: row.channel, sku: row.sku, channelSku: row.channel_sku, identifiers: JSON.parse(row.identifiers) as Record<string, string>, buffer: row.buffer, cap: row.cap, active: row.active === 1 }));
  }

  /** Everything publishedQuantity needs for one listing, read in one consistent snapshot. */
  async publishInputFor(listingId: number): Promise<PublishInput | undefined> {
    const listing = await this.store.db.selectFrom('listing')
      .innerJoin('channel', 'channel.id', 'listing.channel_id')
      .innerJoin('sku', 'sku.id', 'listing.sku_id')
      .select(['listing.channel_id', 'listing.buffer', 'listing.cap', 'listing.active', 'channel.buffer as channel_buffer', 'channel.cap as channel_cap', 'channel.subtracts_held',
        'sku.id as sku_id', 'sku.code', 'sku.kind', 'sku.stock_pool_id', 'sku.tracks_stock', 'sku.deleted_at'])
      .where('listing.id', '=', listingId)
      .executeTakeFirst();
    if (!listing) return undefined;
    const locationIds = (await this.store.db.selectFrom('channel_location').select('location_id').where('channel_id', '=', listing.channel_id).execute()).map((row) => row.location_id);
    const input: PublishInput = {
      channel: { buffer: listing.channel_buffer, cap: listing.channel_cap, subtractsHeld: listing.subtracts_held === 1 },
      listing: { buffer: listing.buffer, cap: listing.cap, active: listing.active === 1 },
      sku: { code: listing.code, tracksStock: listing.tracks_stock === 1, deleted: listing.deleted_at !== null },
    };
    if (listing.kind === 'kit') {
      const components = await this.store.db.selectFrom('kit_component').innerJoin('sku', 'sku.id', 'kit_component.component_id')
        .select(['sku.id', 'sku.code', 'sku.stock_pool_id', 'kit_component.quantity']).where('kit_component.kit_id', '=', listing.sku_id).orderBy('sku.code').execute();
      // Components drawing on one stock pool (variations of one parent) are one component: a kit
      // of a red and a blue shirt needs two units of the shirt pool, not one of each.
      const byHolder = new Map<number, { codes: string[]; quantityPerKit: number }>();
      for (const component of components) {
        const holder = byHolder.get(component.stock_pool_id ?? component.id) ?? { codes: [], quantityPerKit: 0 };
        holder.codes.push(component.code);
        holder.quantityPerKit += component.quantity;
        byHolder.set(component.stock_pool_id ?? component.id, holder);
      }
      input.components = await Promise.all([...byHolder].map(async ([holderId, holder]): Promise<KitComponentPosition> => ({
        sku: holder.codes.join(' + '), quantityPerKit: holder.quantityPerKit, ...(await this.positionOf(holderId, locationIds)),
      })));
    } else {
      const holder = listing.stock_pool_id ?? listing.sku_id;
      input.stock = await this.positionOf(holder, locationIds);
      if (listing.stock_pool_id !== null) {
        const members = await this.store.db.selectFrom('listing').innerJoin('sku', 'sku.id', 'listing.sku_id').select('sku.code')
          .where('listing.channel_id', '=', listing.channel_id).where('sku.stock_pool_id', '=', listing.stock_pool_id).where('sku.deleted_at', 'is', null).orderBy('sku.code').execute();
        input.poolShare = { members: members.length, index: Math.max(0, members.findIndex((member) => member.code === listing.code)) };
      }
    }
    return input;
  }

  async publishedFor(listingId: number): Promise<PublishResult | undefined> {
    const input = await this.publishInputFor(listingId);
    return input ? publishedQuantity(input) : undefined;
  }

  private async positionOf(holderId: number, locationIds: number[]): Promise<StockPosition> {
    const rows = locationIds.length === 0 ? [] : await this.store.db.selectFrom('stock').innerJoin('location', 'location.id', 'stock.location_id')
      .select(['location.code', 'stock.on_hand', 'stock.committed']).where('stock.sku_id', '=', holderId).where('stock.location_id', 'in', locationIds).orderBy('location.code').execute();
    const held = await this.store.db.selectFrom('held_stock').select('quantity').where('sku_id', '=', holderId).executeTakeFirst();
    const locations: LocationStock[] = rows.map((row) => ({ location: row.code, onHand: row.on_hand, committed: row.committed }));
    return { locations, held: held?.quantity ?? 0 };
  }

  /** I1 check: on hand of every stock row equals the sum of its movements (opening balance 0). */
  async conservationViolations(): Promise<Array<{ skuId: number; locationId: number; onHand: number; sum: number }>> {
    const rows = await this.store.db.selectFrom('stock')
      .leftJoin(
        (eb) => eb.selectFrom('movement').select(['sku_id', 'location_id', sql<number>`sum(delta_on_hand)`.as('on_hand_sum'), sql<number>`sum(delta_committed)`.as('committed_sum'), sql<number>`sum(delta_damaged)`.as('damaged_sum')]).groupBy(['sku_id', 'location_id']).as('m'),
        (join) => join.onRef('m.sku_id', '=', 'stock.sku_id').onRef('m.location_id', '=', 'stock.location_id'),
      )
      .select(['stock.sku_id', 'stock.location_id', 'stock.on_hand', 'stock.committed', 'stock.damaged', 'm.on_hand_sum', 'm.committed_sum', 'm.damaged_sum'])
      .execute();
    return rows
      .filter((row) => row.on_hand !== Number(row.on_hand_sum ?? 0) || row.committed !== Number(row.committed_sum ?? 0) || row.damaged !== Number(row.damaged_sum ?? 0))
      .map((row) => ({ skuId: row.sku_id, locationId: row.location_id, onHand: row.on_hand, sum: Number(row.on_hand_sum ?? 0) }));
  }
}
