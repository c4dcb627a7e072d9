/**
 * Applies a protection plan through the catalogue (which queues the pushes) and records each
 * action with the settings it replaced; reverting writes those settings back and marks the
 * record. Channels that did not opt in are filtered out by the plan, never here.
 */
import type { Catalogue } from '../ledger/catalogue.js';
import { newId } from '../ledger/ids.js';
import type { Store } from '../ledger/store.js';
import { percentile } from '../sync/latency-window.js';
import type { ListingSettings, ListingView, ProtectionAction, ProtectionKind } from './protection-plan.js';
import { planReversal } from './protection-plan.js';

export const LATENCY_SAMPLES_READ_MAX = 1_000;
export const PROPAGATION_LATENCY_PERCENTILE_FRACTION = 0.95;
/** Assumed until a channel has pushes to measure: long enough to be cautious. */
export const UNMEASURED_PROPAGATION_LATENCY_MS = 300_000;

export async function readListings(store: Store): Promise<ListingView[]> {
  const rows = await store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').innerJoin('sku', 'sku.id', 'listing.sku_id')
    .select(['channel.code as channel', 'sku.code as sku', 'listing.buffer as buffer', 'listing.active as active', 'channel.buffer as channelBuffer']).execute();
  return rows.map((row) => ({ channel: row.channel, sku: row.sku, buffer: row.buffer, active: Number(row.active) === 1, effectiveBuffer: row.buffer ?? row.channelBuffer }));
}

/** The channel's measured propagation latency: a high percentile of its recent pushes. */
export async function readPropagationLatencyMs(store: Store, channel: string): Promise<number> {
  const rows = await store.db.selectFrom('push').select('latency_ms').where('channel', '=', channel).orderBy('created_at', 'desc').limit(LATENCY_SAMPLES_READ_MAX).execute();
  return percentile(rows.map((row) => Number(row.latency_ms)), PROPAGATION_LATENCY_PERCENTILE_FRACTION) ?? UNMEASURED_PROPAGATION_LATENCY_MS;
}

export async function openActions(store: Store): Promise<Array<{ kind: ProtectionKind; channel: string; sku: string }>> {
  const rows = await store.db.selectFrom('protection_action').select(['kind', 'channel', 'sku']).where('reverted_at', 'is', null).execute();
  return rows.map((row) => ({ kind: row.kind as ProtectionKind, channel: row.channel, sku: row.sku }));
}

export type ExecutedAction = ProtectionAction & { id: string; error?: string };

export async function applyProtection(store: Store, catalogue: Catalogue, actions: readonly ProtectionAction[], nowMs: number): Promise<ExecutedAction[]> {
  const executed: ExecutedAction[] = [];
  for (const action of actions) {
    const id = newId('pa', nowMs);
    const result = await catalogue.upsertListing({ channel: action.channel, sku: action.sku, buffer: action.after.buffer, active: action.after.active });
    if (!result.ok) { executed.push({ ...action, id, error: `${result.error.code}: ${result.error.message}` }); continue; }
    await store.db.insertInto('protection_action').values({
      id, kind: action.kind, channel: action.channel, sku: action.sku, before_settings: JSON.stringify(action.before), after_settings: JSON.stringify(action.after),
      reason: action.reason.slice(0, 400), actor: 'metrics:protection', reverted_at: null, reverted_by: null, created_at: nowMs,
    }).execute();
    executed.push({ ...action, id });
  }
  return executed;
}

export type RevertResult = { ok: true; id: string; restored: ListingSettings } | { ok: false; code: 'not_found' | 'already_reverted' | 'listing_failed'; message: string };

export async function revertProtection(store: Store, catalogue: Catalogue, id: string, actor: string, nowMs: number): Promise<RevertResult> {
  const row = await store.db.selectFrom('protection_action').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { ok: false, code: 'not_found', message: `no protection action ${JSON.stringify(id)}` };
  if (row.reverted_at !== null) return { ok: false, code: 'already_reverted', message: `protection action ${id} was reverted by ${row.reverted_by ?? 'someone'}` };
  const restore = planReversal({ channel: row.channel, sku: row.sku, before: JSON.parse(row.before_settings) as ListingSettings });
  const result = await catalogue.upsertListing({ channel: restore.channel, sku: restore.sku, buffer: restore.buffer, active: restore.active });
  if (!result.ok) return { ok: false, code: 'listing_failed', message: `${result.error.code}: ${result.error.message}` };
  // Only the first of two concurrent reverts marks the record.
  await store.db.updateTable('protection_action').set({ reverted_at: nowMs, reverted_by: actor.slice(0, 100) }).where('id', '=', id).where('reverted_at', 'is', null).execute();
  return { ok: true, id, restored: { buffer: restore.buffer, active: restore.active } };
}
