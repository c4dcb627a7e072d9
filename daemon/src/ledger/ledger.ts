/**
 * The ledger: the only owner of stock. Every public write is an intent with an idempotency key;
 * every stock change is a movement written in the same transaction as the stock row and the
 * outbox rows of the listings it affects. Sales and reservations take stock with one conditional
 * statement; what does not fit is recorded as an oversell with its channel, never dropped.
 */
import { sql } from 'kysely';
import { newId } from './ids.js';
import { RollbackTo, runIntent, type IntentReply } from './intents.js';
import { ledgerError, LedgerFailure, type IntentOutcome, type LedgerResult } from './ledger-types.js';
import type { MovementReason } from './schema.js';
import { changeStock, enqueueAffectedListings, ensureStockRow, type MovementFacts, type Trx } from './stock-writes.js';
import type { Store } from './store.js';

export interface IntentSource {
  /** Idempotency key minted where the intent started. */
  key: string;
  channel: string | null;
  /** Where it came from, e.g. `woo://order/55/item/101` or `amazon://order/111-…/line/1`. */
  reference?: string;
  actor: string;
}

export interface TakeRequest extends IntentSource {
  sku: string;
  quantity: number;
  /** Locations to draw from, in priority order; the first that fits wins. */
  locations: string[];
}

export interface ReserveRequest extends TakeRequest {
  channel: string;
  orderRef: string;
  lineRef: string;
  expiresAtMs?: number;
}

export interface ReservationRef extends IntentSource {
  channel: string;
  orderRef: string;
  lineRef: string;
}

export interface AdjustRequest extends IntentSource {
  sku: string;
  location: string;
  delta: number;
  reason: MovementReason;
}

export interface CountRequest extends IntentSource {
  sku: string;
  location: string;
  /** The counted available level (what WooCommerce shows: on hand − committed). */
  available: number;
}

export interface RestockRequest extends IntentSource {
  sku: string;
  location: string;
  quantity: number;
  condition: 'sellable' | 'damaged';
}

interface ResolvedSku {
  id: number;
  code: string;
  kind: string;
  /** The SKU whose stock rows this one uses (itself, or its pool parent). */
  holderId: number;
  components: Array<{ holderId: number; code: string; quantity: number }>;
}

const QUANTITY_MAX = 1_000_000;

export class Ledger {
  constructor(readonly store: Store, private readonly nowMs: () => number = Date.now) {}

  /** A sale that takes stock from on hand (WooCommerce orders, direct sales). */
  sell(request: TakeRequest): Promise<LedgerResult<IntentReply>> {
    return this.take(request, 'sold', (quantity) => ({ onHand: -quantity, committed: 0 }));
  }

  /** A marketplace order line takes stock into committed until it ships or is cancelled. */
  async reserve(request: ReserveRequest): Promise<LedgerResult<IntentReply>> {
    return this.take(request, 'reserved', (quantity) => ({ onHand: 0, committed: quantity }), async (trx, skuId, locationId, quantity, facts) => {
      await trx.insertInto('reservation').values({
        id: newId('rsv', facts.nowMs), intent_key: request.key, channel: request.channel, order_ref: request.orderRef, line_ref: request.lineRef,
        sku_id: skuId, location_id: locationId, quantity, state: 'open', expires_at: request.expiresAtMs ?? null, created_at: facts.nowMs, updated_at: facts.nowMs,
      }).execute();
    });
  }

  /** Shipment: the line's open reservations leave on hand and committed together. */
  commitReservation(ref: ReservationRef): Promise<LedgerResult<IntentReply>> {
    return this.settleReservations(ref, 'committed', 'committed', (quantity) => ({ onHand: -quantity, committed: -quantity }));
  }

  /** Cancellation: the line's open reservations go back to available. */
  releaseReservation(ref: ReservationRef, state: 'released' | 'expired' = 'released'): Promise<LedgerResult<IntentReply>> {
    return this.settleReservations(ref, state, state, (quantity) => ({ onHand: 0, committed: -quantity }));
  }

  /** A relative change of on hand: receipts, corrections, reconciliation, cancelled sales. */
  adjust(request: AdjustRequest): Promise<LedgerResult<IntentReply>> {
    if (!Number.isInteger(request.delta) || request.delta === 0 || Math.abs(request.delta) > QUANTITY_MAX) {
      return Promise.resolve({ ok: false, error: ledgerError('invalid_quantity', `delta must be a non-zero integer within ±${QUANTITY_MAX}, got ${request.delta}`) });
    }
    return runIntent(this.store, request.key, request, this.nowMs(), async (trx) => {
      const sku = await this.resolveStockSku(trx, request.sku);
      const locationId = await this.resolveLocation(trx, request.location);
      const facts = this.facts(request, request.reason);
      const fitted = await changeStock(trx, this.store.dialect, { skuId: sku.holderId, locationId, onHand: request.delta, committed: 0 }, facts, request.delta < 0);
      if (!fitted) throw new LedgerFailure(ledgerError('insufficient_stock', `${request.sku} at ${request.location} has less available than the ${-request.delta} to remove`));
      await enqueueAffectedListings(trx, [sku.holderId], facts.nowMs);
      return { result: 'applied', movements: 1, detail: { sku: request.sku, location: request.location, delta: request.delta } };
    });
  }

  /** A counted level: the difference from what the ledger holds becomes a cycle_count movement.
   * The row is read under a lock in the same transaction, so no change slips in between. */
  count(request: CountRequest): Promise<LedgerResult<IntentReply>> {
    if (!Number.isInteger(request.available) || Math.abs(request.available) > QUANTITY_MAX) {
      return Promise.resolve({ ok: false, error: ledgerError('invalid_quantity', `counted level must be an integer within ±${QUANTITY_MAX}, got ${request.available}`) });
    }
    return runIntent(this.store, request.key, request, this.nowMs(), async (trx) => {
      const sku = await this.resolveStockSku(trx, request.sku);
      const locationId = await this.resolveLocation(trx, request.location);
      const facts = this.facts(request, 'cycle_count');
      await ensureStockRow(trx, this.store.dialect, sku.holderId, locationId, facts.nowMs);
      let query = trx.selectFrom('stock').select(['on_hand', 'committed']).where('sku_id', '=', sku.holderId).where('location_id', '=', locationId);
      if (this.store.dialect === 'mysql') query = query.forUpdate();
      const row = await query.executeTakeFirstOrThrow();
      const delta = request.available - (row.on_hand - row.committed);
      if (delta === 0) return { result: 'noop', movements: 0, detail: { sku: request.sku, available: request.available } };
      // A level below zero is only possible for a SKU that allows backorders: the conditional
      // update refuses it otherwise.
      const fitted = await changeStock(trx, this.store.dialect, { skuId: sku.holderId, locationId, onHand: delta, committed: 0 }, facts, request.available < 0);
      if (!fitted) throw new LedgerFailure(ledgerError('insufficient_stock', `${request.sku} cannot be counted at ${request.available}: it does not allow backorders`));
      await enqueueAffectedListings(trx, [sku.holderId], facts.nowMs);
      return { result: 'applied', movements: 1, detail: { sku: request.sku, location: request.location, expected: row.on_hand - row.committed, counted: request.available, delta } };
    });
  }

  /** A return received: sellable units go back to on hand, damaged ones to the damaged state. */
  restock(request: RestockRequest): Promise<LedgerResult<IntentReply>> {
    if (!Number.isInteger(request.quantity) || request.quantity < 1 || request.quantity > QUANTITY_MAX) {
      return Promise.resolve({ ok: false, error: ledgerError('invalid_quantity', `quantity must be an integer from 1 to ${QUANTITY_MAX}, got ${request.quantity}`) });
    }
    return runIntent(this.store, request.key, request, this.nowMs(), async (trx) => {
      const sku = await this.resolveStockSku(trx, request.sku);
      const locationId = await this.resolveLocation(trx, request.location);
      const sellable = request.condition === 'sellable';
      const facts = this.facts(request, sellable ? 'returned' : 'damaged');
      const targets = sku.components.length > 0 ? sku.components.map((component) => ({ holderId: component.holderId, quantity: component.quantity * request.quantity })) : [{ holderId: sku.holderId, quantity: request.quantity }];
      for (const target of targets) {
        await changeStock(trx, this.store.dialect, { skuId: target.holderId, locationId, onHand: sellable ? target.quantity : 0, committed: 0, damaged: sellable ? 0 : target.quantity }, facts, false);
      }
      await enqueueAffectedListings(trx, targets.map((target) => target.holderId), facts.nowMs);
      return { result: 'applied', movements: targets.length, detail: { sku: request.sku, quantity: request.quantity, condition: request.condition } };
    });
  }

  /** What WooCommerce's open checkouts hold of a SKU, an absolute level; the newest observation
   * wins, so deliveries in any order converge. */
  setHeld(request: IntentSource & { sku: string; quantity: number; observedAtMs: number }): Promise<LedgerResult<IntentReply>> {
    return runIntent(this.store, request.key, request, this.nowMs(), async (trx) => {
      const sku = await this.resolveStockSku(trx, request.sku);
      const now = this.nowMs();
      const current = await trx.selectFrom('held_stock').select('observed_at').where('sku_id', '=', sku.holderId).executeTakeFirst();
      if (current && Number(current.observed_at) >= request.observedAtMs) return { result: 'noop', movements: 0, detail: { reason: 'a newer observation is recorded' } };
      if (current) await trx.updateTable('held_stock').set({ quantity: request.quantity, observed_at: request.observedAtMs, updated_at: now }).where('sku_id', '=', sku.holderId).execute();
      else await trx.insertInto('held_stock').values({ sku_id: sku.holderId, quantity: request.quantity, observed_at: request.observedAtMs, updated_at: now }).execute();
      await enqueueAffectedListings(trx, [sku.holderId], now);
      return { result: 'applied', movements: 0, detail: { sku: request.sku, held: request.quantity } };
    });
  }

  /** Records an intent whose effect is a catalogue change made by the caller (naturally
   * idempotent upserts), so its key answers duplicate and conflicts like any other. */
  recordIntent(key: string, request: unknown, outcome: IntentOutcome): Promise<LedgerResult<IntentReply>> {
    return runIntent(this.store, key, request, this.nowMs(), async () => outcome);
  }

  /** The stored outcome of an earlier intent, if that key was used. */
  async intentOutcome(key: string): Promise<IntentOutcome | undefined> {
    const row = await this.store.db.selectFrom('intent').select('outcome').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.outcome) as IntentOutcome) : undefined;
  }

  /** Marks the oversell recorded under an intent as resolved (e.g. its order was cancelled). */
  async resolveOversell(intentKey: string, resolution: string): Promise<void> {
    await this.store.db.updateTable('oversell').set({ resolution }).where('intent_key', '=', intentKey).where('resolution', 'is', null).execute();
  }

  private facts(source: IntentSource, reason: MovementReason): MovementFacts {
    return { intentKey: source.key, reason, channel: source.channel, reference: source.reference ?? null, actor: source.actor, nowMs: this.nowMs() };
  }

  private async take(
    request: TakeRequest,
    reason: MovementReason,
    deltaFor: (quantity: number) => { onHand: number; committed: number },
    afterTake?: (trx: Trx, skuId: number, locationId: number, quantity: number, facts: MovementFacts) => Promise<void>,
  ): Promise<LedgerResult<IntentReply>> {
    if (!Number.isInteger(request.quantity) || request.quantity < 1 || request.quantity > QUANTITY_MAX) {
      return { ok: false, error: ledgerError('invalid_quantity', `quantity must be an integer from 1 to ${QUANTITY_MAX}, got ${request.quantity}`) };
    }
    if (request.locations.length === 0) return { ok: false, error: ledgerError('unknown_location', 'no location to draw from: the channel has no locations') };
    return runIntent(this.store, request.key, request, this.nowMs(), async (trx) => {
      const sku = await this.resolveStockSku(trx, request.sku);
      const locationIds = await Promise.all(request.locations.map((code) => this.resolveLocation(trx, code)));
      const facts = this.facts(request, reason);
      const parts = sku.components.length > 0 ? sku.components.map((component) => ({ holderId: component.holderId, code: component.code, quantity: component.quantity * request.quantity })) : [{ holderId: sku.holderId, code: sku.code, quantity: request.quantity }];
      const placed: Array<{ sku: string; location: string; quantity: number }> = [];
      for (const part of parts) {
        let fittedAt: number | undefined;
        for (const [index, locationId] of locationIds.entries()) {
          if (await changeStock(trx, this.store.dialect, { skuId: part.holderId, locationId, ...deltaFor(part.quantity) }, facts, true)) {
            fittedAt = index;
            await afterTake?.(trx, part.holderId, locationId, part.quantity, facts);
            break;
          }
        }
        if (fittedAt === undefined) {
          // Nothing taken yet: record the oversell in this transaction. Otherwise (a kit whose
          // later component is short) undo what was taken and record it in a fresh one.
          if (placed.length === 0) return this.recordOversell(trx, request, sku, part);
          throw new RollbackTo((fallbackTrx) => this.recordOversell(fallbackTrx, request, sku, part));
        }
        placed.push({ sku: part.code, location: request.locations[fittedAt]!, quantity: part.quantity });
      }
      await enqueueAffectedListings(trx, parts.map((part) => part.holderId), facts.nowMs);
      return { result: 'applied', movements: parts.length, detail: { sku: request.sku, quantity: request.quantity, placed } };
    });
  }

  private async recordOversell(trx: Trx, request: TakeRequest, sku: ResolvedSku, short: { holderId: number; code: string; quantity: number }): Promise<IntentOutcome> {
    const nowMs = this.nowMs();
    const available = await trx.selectFrom('stock').select(sql<number>`coalesce(sum(on_hand - committed), 0)`.as('available')).where('sku_id', '=', short.holderId).executeTakeFirst();
    const id = newId('os', nowMs);
    await trx.insertInto('oversell').values({
      id, intent_key: request.key, channel: request.channel ?? 'unknown', reference: request.reference ?? null, sku_id: sku.id,
      requested: request.quantity, available: Number(available?.available ?? 0), resolution: null, created_at: nowMs,
    }).execute();
    return { result: 'oversold', movements: 0, detail: { oversellId: id, sku: request.sku, short: short.code, requested: request.quantity, available: Number(available?.available ?? 0) } };
  }

  private async settleReservations(ref: ReservationRef, reason: MovementReason, state: 'committed' | 'released' | 'expired', deltaFor: (quantity: number) => { onHand: number; committed: number }): Promise<LedgerResult<IntentReply>> {
    return runIntent(this.store, ref.key, ref, this.nowMs(), async (trx) => {
      let query = trx.selectFrom('reservation').selectAll().where('channel', '=', ref.channel).where('order_ref', '=', ref.orderRef).where('line_ref', '=', ref.lineRef).where('state', '=', 'open');
      if (this.store.dialect === 'mysql') query = query.forUpdate();
      const open = await query.execute();
      if (open.length === 0) return { result: 'noop', movements: 0, detail: { reason: 'no open reservation for this line' } };
      const facts = this.facts(ref, reason);
      for (const reservation of open) {
        const updated = await trx.updateTable('reservation').set({ state, updated_at: facts.nowMs }).where('id', '=', reservation.id).where('state', '=', 'open').executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Error(`reservation ${reservation.id} changed under its row lock`);
        await changeStock(trx, this.store.dialect, { skuId: reservation.sku_id, locationId: reservation.location_id, ...deltaFor(reservation.quantity) }, facts, false);
      }
      await enqueueAffectedListings(trx, open.map((reservation) => reservation.sku_id), facts.nowMs);
      return { result: 'applied', movements: open.length, detail: { state, quantity: open.reduce((sum, reservation) => sum + reservation.quantity, 0) } };
    });
  }

  private async resolveStockSku(trx: Trx, code: string): Promise<ResolvedSku> {
    const sku = await trx.selectFrom('sku').select(['id', 'code', 'kind', 'stock_pool_id', 'deleted_at']).where('code', '=', code).executeTakeFirst();
    if (!sku || sku.deleted_at !== null) throw new LedgerFailure(ledgerError('unknown_sku', `no SKU ${JSON.stringify(code)} in the catalogue`));
    const components = sku.kind === 'kit'
      ? await trx.selectFrom('kit_component').innerJoin('sku', 'sku.id', 'kit_component.component_id').select(['sku.id', 'sku.code', 'sku.stock_pool_id', 'kit_component.quantity']).where('kit_component.kit_id', '=', sku.id).orderBy('sku.code').execute()
      : [];
    if (sku.kind === 'kit' && components.length === 0) throw new LedgerFailure(ledgerError('invalid_catalogue', `kit ${code} has no components`));
    return {
      id: sku.id, code: sku.code, kind: sku.kind, holderId: sku.stock_pool_id ?? sku.id,
      components: components.map((component) => ({ holderId: component.stock_pool_id ?? component.id, code: component.code, quantity: component.quantity })),
    };
  }

  private async resolveLocation(trx: Trx, code: string): Promise<number> {
    const location = await trx.selectFrom('location').select('id').where('code', '=', code).executeTakeFirst();
    if (!location) throw new LedgerFailure(ledgerError('unknown_location', `no location ${JSON.stringify(code)}`));
    return location.id;
  }
}
