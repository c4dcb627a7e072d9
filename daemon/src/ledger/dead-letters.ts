/**
 * What an operator does with dead letters: list them, retry them, or resolve them.
 *
 * Retrying a push dead letter queues its listing again. The next push sends the ledger's quantity
 * at that moment, not the quantity that died. Retrying an inbox dead letter puts its marketplace
 * event back in the inbox, for example after the SKU it named has been mapped. Resolving
 * acknowledges a dead letter without acting on it.
 *
 * Each action runs in one transaction with the dead letter's own resolution. A dead letter acted
 * on twice, or by two operators at once, is acted on once; the other answer says it was already
 * resolved. If the retried work fails again, a new dead letter is written, so the list always
 * shows what is still waiting.
 */
import type { Transaction } from 'kysely';
import type { Database, DeadLetterTable } from './schema.js';
import { storeWithin, type Store } from './store.js';
import { requeueListings } from './outbox-claims.js';
import { parseListingReference } from './redrive-store.js';

/** Dead letter ids as newId('dl') writes them. */
export const DEAD_LETTER_ID = /^dl_[0-9A-HJKMNP-TV-Z]{26}$/;
export const DEAD_LETTERS_LIST_MAX = 1_000;
/** Dead letters acted on in one call: one transaction each, so a long list is still safe. */
export const DEAD_LETTERS_ACTION_MAX = 1_000;


export type DeadLetterRow = DeadLetterTable;

export interface DeadLetterActionResult {
  id: string;
  kind: 'push' | 'inbox' | null;
  channel: string | null;
  /** requeued: a push's listing is queued again; reopened: an inbox event is pending again;
   * resolved: acknowledged; already_resolved: someone acted on it before; not_found: no such id;
   * target_gone: the listing or inbox event it names no longer exists (it is resolved anyway). */
  outcome: 'requeued' | 'reopened' | 'resolved' | 'already_resolved' | 'not_found' | 'target_gone';
  /** The SKU (push) or the inbox event id (inbox), for people reading the answer. */
  reference: string | null;
}

export interface DeadLetterFilter {
  channel?: string;
  limit?: number;
}

/** The unresolved dead letters, newest first. */
export async function listDeadLetters(store: Store, filter: DeadLetterFilter = {}): Promise<DeadLetterRow[]> {
  const limit = filter.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > DEAD_LETTERS_LIST_MAX) throw new RangeError(`limit must be from 1 to ${DEAD_LETTERS_LIST_MAX}, got ${limit}`);
  let select = store.db.selectFrom('dead_letter').selectAll().where('resolved_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
  if (filter.channel !== undefined) select = select.where('channel', '=', filter.channel);
  return select.execute();
}

/** The ids of every unresolved dead letter, oldest first (of one channel if given), up to the action limit. */
export async function unresolvedDeadLetterIds(store: Store, channel?: string): Promise<string[]> {
  let select = store.db.selectFrom('dead_letter').select('id').where('resolved_at', 'is', null).orderBy('created_at').orderBy('id').limit(DEAD_LETTERS_ACTION_MAX);
  if (channel !== undefined) select = select.where('channel', '=', channel);
  return (await select.execute()).map((row) => row.id);
}

/** How many dead letters nobody has dealt with yet (of one channel if given). */
export async function countUnresolvedDeadLetters(store: Store, channel?: string): Promise<number> {
  let select = store.db.selectFrom('dead_letter').select((eb) => eb.fn.countAll<number>().as('count')).where('resolved_at', 'is', null);
  if (channel !== undefined) select = select.where('channel', '=', channel);
  return Number((await select.executeTakeFirstOrThrow()).count);
}

/** Queues each dead letter's work again and resolves the dead letter. The ids are checked first,
 * and a malformed one refuses the whole call before anything is written. */
export async function retryDeadLetters(store: Store, ids: readonly string[], nowMs = Date.now()): Promise<DeadLetterActionResult[]> {
  checkIds(ids);
  const results: DeadLetterActionResult[] = [];
  for (const id of ids) results.push(await store.transaction((trx) => act(store, trx, id, 'retry', nowMs)));
  return results;
}

/** Resolves each dead letter without acting on it (the operator has dealt with it elsewhere). */
export async function resolveDeadLetters(store: Store, ids: readonly string[], nowMs = Date.now()): Promise<DeadLetterActionResult[]> {
  checkIds(ids);
  const results: DeadLetterActionResult[] = [];
  for (const id of ids) results.push(await store.transaction((trx) => act(store, trx, id, 'resolve', nowMs)));
  return results;
}

function checkIds(ids: readonly string[]): void {
  if (ids.length > DEAD_LETTERS_ACTION_MAX) throw new RangeError(`at most ${DEAD_LETTERS_ACTION_MAX} dead letters at once, got ${ids.length}`);
  const bad = ids.find((id) => !DEAD_LETTER_ID.test(id));
  if (bad !== undefined) throw new RangeError(`${JSON.stringify(bad.slice(0, 60))} is not a dead letter id (dl_ and 26 letters or digits)`);
}

async function act(store: Store, trx: Transaction<Database>, id: string, action: 'retry' | 'resolve', nowMs: number): Promise<DeadLetterActionResult> {
  const row = await trx.selectFrom('dead_letter').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { id, kind: null, channel: null, outcome: 'not_found', reference: null };
  const base = { id, kind: row.kind, channel: row.channel };
  // Claimed by resolving it first: a second action on the same dead letter, now or at once
  // elsewhere, finds it resolved and does nothing.
  const claimed = await trx.updateTable('dead_letter').set({ resolved_at: nowMs }).where('id', '=', id).where('resolved_at', 'is', null).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { ...base, outcome: 'already_resolved', reference: describe(row) };
  if (action === 'resolve') return { ...base, outcome: 'resolved', reference: describe(row) };
  if (row.kind === 'push') {
    const listingId = parseListingReference(row.reference)?.listingId;
    const listing = listingId === undefined ? undefined : await trx.selectFrom('listing').select('id').where('id', '=', listingId).executeTakeFirst();
    if (!listing) return { ...base, outcome: 'target_gone', reference: describe(row) };
    await requeueListings(storeWithin(store, trx), [listing.id], nowMs);
    return { ...base, outcome: 'requeued', reference: describe(row) };
  }
  const reopened = await trx.updateTable('inbox_event').set({ state: 'pending', attempts: 0, error: null, next_attempt_at: null, processed_at: null })
    .where('id', '=', row.reference).where('state', '=', 'failed').executeTakeFirst();
  return { ...base, outcome: Number(reopened.numUpdatedRows) === 1 ? 'reopened' : 'target_gone', reference: describe(row) };
}

/** What a person recognises a dead letter by: the SKU of a push, the event of an inbox entry. */
function describe(row: DeadLetterRow): string {
  if (row.kind === 'push') return parseListingReference(row.reference)?.sku ?? row.reference;
  return row.reference;
}
