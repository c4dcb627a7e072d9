/**
 * The catalogue the ledger counts against: SKUs (simple, variable parents, variations that may
 * share their parent's pool, kits), locations, channels with their locations in priority order,
 * and listings (a SKU on a channel). Upserts are naturally idempotent; changes that alter what a
 * channel may show enqueue the affected listings for a push.
 */
import { sql } from 'kysely';
import { ledgerError, LedgerFailure, type LedgerResult } from './ledger-types.js';
import type { ChannelMode, SkuKind } from './schema.js';
import { enqueueAffectedListings, type Trx } from './stock-writes.js';
import type { Store } from './store.js';

export interface SkuInput {
  code: string;
  name?: string;
  kind: SkuKind;
  /** The variable parent's code, for variations. */
  parent?: string;
  /** A variation whose stock its parent manages: one pool, the parent's. */
  usesParentStock?: boolean;
  tracksStock?: boolean;
  allowsBackorders?: boolean;
  attributes?: Record<string, string>;
}

export interface ChannelInput {
  code: string;
  name?: string;
  mode?: ChannelMode;
  buffer?: number;
  cap?: number | null;
  subtractsHeld?: boolean;
  /** Location codes in priority order. */
  locations?: string[];
}

export interface ListingInput {
  channel: string;
  sku: string;
  channelSku?: string;
  identifiers?: Record<string, string>;
  buffer?: number | null;
  cap?: number | null;
  active?: boolean;
}

async function skuId(trx: Trx, code: string): Promise<number> {
  const row = await trx.selectFrom('sku').select('id').where('code', '=', code).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new LedgerFailure(ledgerError('unknown_sku', `no SKU ${JSON.stringify(code)} in the catalogue`));
  return row.id;
}

async function channelId(trx: Trx, code: string): Promise<number> {
  const row = await trx.selectFrom('channel').select('id').where('code', '=', code).executeTakeFirst();
  if (!row) throw new LedgerFailure(ledgerError('unknown_channel', `no channel ${JSON.stringify(code)}`));
  return row.id;
}

async function guarded<T>(work: () => Promise<T>): Promise<LedgerResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof LedgerFailure) return { ok: false, error: error.ledgerError };
    throw error;
  }
}

export class Catalogue {
  constructor(private readonly store: Store, private readonly nowMs: () => number = Date.now) {}

  upsertSku(input: SkuInput): Promise<LedgerResult<{ id: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const now = this.nowMs();
      const parentId = input.parent ? await skuId(trx, input.parent) : null;
      if (input.usesParentStock && parentId === null) throw new LedgerFailure(ledgerError('invalid_catalogue', `${input.code} uses its parent's stock but names no parent`));
      const values = {
        name: input.name ?? '',
        kind: input.kind,
        parent_id: parentId,
        stock_pool_id: input.usesParentStock ? parentId : null,
        tracks_stock: input.tracksStock === false ? 0 : 1,
        allows_backorders: input.allowsBackorders ? 1 : 0,
        attributes: JSON.stringify(input.attributes ?? {}),
        deleted_at: null,
        updated_at: now,
      };
      const existing = await trx.selectFrom('sku').select(['id', 'allows_backorders', 'stock_pool_id', 'tracks_stock']).where('code', '=', input.code).executeTakeFirst();
      if (existing) {
        await trx.updateTable('sku').set(values).where('id', '=', existing.id).execute();
        if (existing.allows_backorders !== values.allows_backorders) {
          await trx.updateTable('stock').set({ allows_backorders: values.allows_backorders }).where('sku_id', '=', existing.id).execute();
        }
        if (existing.stock_pool_id !== values.stock_pool_id || existing.tracks_stock !== values.tracks_stock) await enqueueAffectedListings(trx, [existing.id, ...(parentId ? [parentId] : [])], now);
        return { id: existing.id };
      }
      const inserted = await trx.insertInto('sku').values({ code: input.code, created_at: now, ...values }).executeTakeFirstOrThrow();
      return { id: Number(inserted.insertId) };
    }));
  }

  /** Renames a SKU's code (WooCommerce SKU edits): the id, stock and history stay. */
  renameSku(from: string, to: string): Promise<LedgerResult<{ id: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const id = await skuId(trx, from);
      const clash = await trx.selectFrom('sku').select('id').where('code', '=', to).executeTakeFirst();
      if (clash && clash.id !== id) throw new LedgerFailure(ledgerError('invalid_catalogue', `cannot rename ${from} to ${to}: that SKU exists`));
      await trx.updateTable('sku').set({ code: to, updated_at: this.nowMs() }).where('id', '=', id).execute();
      return { id };
    }));
  }

  deleteSku(code: string): Promise<LedgerResult<{ id: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const id = await skuId(trx, code);
      const now = this.nowMs();
      await trx.updateTable('sku').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
      return { id };
    }));
  }

  setKitComponents(kit: string, components: Array<{ sku: string; quantity: number }>): Promise<LedgerResult<{ components: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const kitId = await skuId(trx, kit);
      if (components.length === 0) throw new LedgerFailure(ledgerError('invalid_catalogue', `kit ${kit} needs at least one component`));
      const rows = [];
      for (const component of components) {
        if (!Number.isInteger(component.quantity) || component.quantity < 1) throw new LedgerFailure(ledgerError('invalid_quantity', `component ${component.sku} of ${kit} needs a whole quantity ≥ 1`));
        if (component.sku === kit) throw new LedgerFailure(ledgerError('invalid_catalogue', `kit ${kit} cannot contain itself`));
        rows.push({ kit_id: kitId, component_id: await skuId(trx, component.sku), quantity: component.quantity });
      }
      await trx.updateTable('sku').set({ kind: 'kit', updated_at: this.nowMs() }).where('id', '=', kitId).execute();
      await trx.deleteFrom('kit_component').where('kit_id', '=', kitId).execute();
      await trx.insertInto('kit_component').values(rows).execute();
      await enqueueAffectedListings(trx, [kitId], this.nowMs());
      return { components: rows.length };
    }));
  }

  upsertLocation(code: string, name: string, kind: 'warehouse' | 'marketplace' = 'warehouse'): Promise<LedgerResult<{ id: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const existing = await trx.selectFrom('location').select('id').where('code', '=', code).executeTakeFirst();
      if (existing) {
        await trx.updateTable('location').set({ name, kind }).where('id', '=', existing.id).execute();
        return { id: existing.id };
      }
      const inserted = await trx.insertInto('location').values({ code, name, kind, created_at: this.nowMs() }).executeTakeFirstOrThrow();
      return { id: Number(inserted.insertId) };
    }));
  }

  upsertChannel(input: ChannelInput): Promise<LedgerResult<{ id: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const now = this.nowMs();
      if (input.buffer !== undefined && (!Number.isInteger(input.buffer) || input.buffer < 0)) throw new LedgerFailure(ledgerError('invalid_quantity', `buffer must be a whole number ≥ 0, got ${input.buffer}`));
      const existing = await trx.selectFrom('channel').selectAll().where('code', '=', input.code).executeTakeFirst();
      const values = {
        name: input.name ?? existing?.name ?? input.code,
        mode: input.mode ?? existing?.mode ?? 'shadow',
        buffer: input.buffer ?? existing?.buffer ?? 0,
        cap: input.cap !== undefined ? input.cap : existing?.cap ?? null,
        subtracts_held: input.subtractsHeld !== undefined ? (input.subtractsHeld ? 1 : 0) : existing?.subtracts_held ?? 1,
        updated_at: now,
      };
      let id: number;
      if (existing) {
        id = existing.id;
        await trx.updateTable('channel').set(values).where('id', '=', id).execute();
      } else {
        id = Number((await trx.insertInto('channel').values({ code: input.code, created_at: now, ...values }).executeTakeFirstOrThrow()).insertId);
      }
      if (input.locations) {
        await trx.deleteFrom('channel_location').where('channel_id', '=', id).execute();
        for (const [priority, code] of input.locations.entries()) {
          const location = await trx.selectFrom('location').select('id').where('code', '=', code).executeTakeFirst();
          if (!location) throw new LedgerFailure(ledgerError('unknown_location', `channel ${input.code} names unknown location ${code}`));
          await trx.insertInto('channel_location').values({ channel_id: id, location_id: location.id, priority }).execute();
        }
      }
      const listings = await trx.selectFrom('listing').select('id').where('channel_id', '=', id).execute();
      if (listings.length > 0) await trx.insertInto('outbox').values(listings.map((listing) => ({ listing_id: listing.id, created_at: now }))).execute();
      return { id };
    }));
  }

  upsertListing(input: ListingInput): Promise<LedgerResult<{ id: number }>> {
    return guarded(() => this.store.transaction(async (trx) => {
      const now = this.nowMs();
      const chId = await channelId(trx, input.channel);
      const sId = await skuId(trx, input.sku);
      for (const [name, value] of [['buffer', input.buffer], ['cap', input.cap]] as const) {
        if (value !== undefined && value !== null && (!Number.isInteger(value) || value < 0)) throw new LedgerFailure(ledgerError('invalid_quantity', `${name} must be a whole number ≥ 0 or null, got ${value}`));
      }
      const existing = await trx.selectFrom('listing').selectAll().where('channel_id', '=', chId).where('sku_id', '=', sId).executeTakeFirst();
      const values = {
        channel_sku: input.channelSku ?? existing?.channel_sku ?? input.sku,
        identifiers: input.identifiers ? JSON.stringify(input.identifiers) : existing?.identifiers ?? '{}',
        buffer: input.buffer !== undefined ? input.buffer : existing?.buffer ?? null,
        cap: input.cap !== undefined ? input.cap : existing?.cap ?? null,
        active: input.active !== undefined ? (input.active ? 1 : 0) : existing?.active ?? 1,
        updated_at: now,
      };
      let id: number;
      if (existing) {
        id = existing.id;
        await trx.updateTable('listing').set(values).where('id', '=', id).execute();
      } else {
        id = Number((await trx.insertInto('listing').values({ channel_id: chId, sku_id: sId, created_at: now, ...values }).executeTakeFirstOrThrow()).insertId);
      }
      await trx.insertInto('outbox').values({ listing_id: id, created_at: now }).execute();
      // A new member of a shared pool shrinks the shares of the pool's listed members: push them too.
      const { stock_pool_id: poolId } = await trx.selectFrom('sku').select('stock_pool_id').where('id', '=', sId).executeTakeFirstOrThrow();
      if (poolId !== null) await enqueueAffectedListings(trx, [poolId], now);
      return { id };
    }));
  }

  /** Creates the default warehouse and the WooCommerce channel drawing from it, if missing. */
  async ensureDefaults(): Promise<void> {
    const hasLocation = await this.store.db.selectFrom('location').select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow();
    if (Number(hasLocation.count) === 0) await this.upsertLocation('main', 'Main warehouse');
    const woo = await this.store.db.selectFrom('channel').select('id').where('code', '=', 'woocommerce').executeTakeFirst();
    if (!woo) {
      const first = await this.store.db.selectFrom('location').select('code').where('kind', '=', 'warehouse').orderBy('id').executeTakeFirstOrThrow();
      await this.upsertChannel({ code: 'woocommerce', name: 'WooCommerce', mode: 'live', buffer: 0, subtractsHeld: false, locations: [first.code] });
    }
  }
}
