/**
 * The statements that change stock. Each runs inside the caller's transaction; each change of a
 * stock row writes its movement and the outbox rows of the listings it affects in the same
 * transaction (the rule that keeps the audit trail and the sync queue complete by construction).
 * Invariants live in the statements: a take is one conditional UPDATE checked by affected rows.
 */
import { sql, type Transaction } from 'kysely';
import { newId } from './ids.js';
import { noteOutboxRows } from './outbox-notes.js';
import type { Database, MovementReason } from './schema.js';
import type { StoreDialect } from './store.js';

export type Trx = Transaction<Database>;

export interface MovementFacts {
  intentKey: string;
  reason: MovementReason;
  channel: string | null;
  reference: string | null;
  actor: string;
  nowMs: number;
}

export interface StockDelta {
  skuId: number;
  locationId: number;
  onHand: number;
  committed: number;
  damaged?: number;
}

/** Creates the (SKU, location) stock row at zero when it does not exist yet. */
export async function ensureStockRow(trx: Trx, dialect: StoreDialect, skuId: number, locationId: number, nowMs: number): Promise<void> {
  const sku = await trx.selectFrom('sku').select('allows_backorders').where('id', '=', skuId).executeTakeFirst();
  const row = { sku_id: skuId, location_id: locationId, on_hand: 0, committed: 0, damaged: 0, allows_backorders: sku?.allows_backorders ?? 0, version: 0, updated_at: nowMs };
  const insert = trx.insertInto('stock').values(row);
  if (dialect === 'mysql') await insert.onDuplicateKeyUpdate({ sku_id: sql`sku_id` }).execute();
  else await insert.onConflict((conflict) => conflict.columns(['sku_id', 'location_id']).doNothing()).execute();
}

/**
 * Applies a delta to one stock row. When `requireAvailable` is set, the UPDATE only matches while
 * on hand − committed stays ≥ 0 after the change (or the SKU allows backorders); the result says
 * whether it fitted. Increases always fit.
 */
export async function changeStock(trx: Trx, dialect: StoreDialect, delta: StockDelta, facts: MovementFacts, requireAvailable: boolean): Promise<boolean> {
  // The UPDATE comes first: the row almost always exists, so the common path is one statement.
  // Only when it matched nothing do we look whether the row is missing (create it, try again) or
  // the stock simply does not fit.
  if (!(await updateStock(trx, delta, facts.nowMs, requireAvailable))) {
    const exists = await trx.selectFrom('stock').select('version').where('sku_id', '=', delta.skuId).where('location_id', '=', delta.locationId).executeTakeFirst();
    if (exists) return false;
    await ensureStockRow(trx, dialect, delta.skuId, delta.locationId, facts.nowMs);
    if (!(await updateStock(trx, delta, facts.nowMs, requireAvailable))) return false;
  }
  await trx.insertInto('movement').values({
    id: newId('mv', facts.nowMs),
    intent_key: facts.intentKey,
    sku_id: delta.skuId,
    location_id: delta.locationId,
    delta_on_hand: delta.onHand,
    delta_committed: delta.committed,
    delta_damaged: delta.damaged ?? 0,
    reason: facts.reason,
    channel: facts.channel,
    reference: facts.reference,
    actor: facts.actor,
    created_at: facts.nowMs,
  }).execute();
  return true;
}

async function updateStock(trx: Trx, delta: StockDelta, nowMs: number, requireAvailable: boolean): Promise<boolean> {
  let update = trx.updateTable('stock')
    .set({
      on_hand: sql`on_hand + ${delta.onHand}`,
      committed: sql`committed + ${delta.committed}`,
      damaged: sql`damaged + ${delta.damaged ?? 0}`,
      version: sql`version + 1`,
      updated_at: nowMs,
    })
    .where('sku_id', '=', delta.skuId)
    .where('location_id', '=', delta.locationId);
  if (requireAvailable) {
    const availableChange = delta.onHand - delta.committed;
    update = update.where((eb) => eb.or([
      eb('allows_backorders', '=', 1),
      eb(sql<number>`on_hand - committed + ${availableChange}`, '>=', 0),
    ]));
  }
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** One outbox row per listing whose published quantity may have changed because these stock
 * holders changed: their own listings, their pool members' listings, and kits built from them. */
export async function enqueueAffectedListings(trx: Trx, stockHolderIds: number[], nowMs: number): Promise<number> {
  if (stockHolderIds.length === 0) return 0;
  const unique = [...new Set(stockHolderIds)];
  // Three index lookups rather than one OR across a join, which scanned every listing: the SKUs
  // themselves, the variations drawing on them as a pool, and the kits they are components of.
  const pooled = await trx.selectFrom('sku').select('id').where('stock_pool_id', 'in', unique).execute();
  const kits = await trx.selectFrom('kit_component').select('kit_id').where('component_id', 'in', unique).execute();
  const skuIds = [...new Set([...unique, ...pooled.map((row) => row.id), ...kits.map((row) => row.kit_id)])];
  const listings = await trx.selectFrom('listing').select(['id', 'channel_id']).where('sku_id', 'in', skuIds).execute();
  if (listings.length === 0) return 0;
  await trx.insertInto('outbox').values(listings.map((listing) => ({ listing_id: listing.id, created_at: nowMs }))).execute();
  noteOutboxRows(trx, listings.map((listing) => ({ listingId: listing.id, channelId: listing.channel_id })));
  return listings.length;
}
