/**
 * What the ledger knows about dead-lettered listings waiting to be pushed again, so that re-driving
 * them (sync/sync-engine.ts) survives a restart. The unresolved `push` dead letters say which
 * listings wait and when they died; `listing_redrive` (migration 0011) says how often each was
 * queued again since it last succeeded, and which death its last re-drive answered.
 *
 * A re-drive is claimed by a conditional write keyed by the death it answers, in the transaction
 * that queues the listing, so two daemons on one ledger queue one death once and a daemon killed
 * between the two never leaves a listing marked re-driven but not queued. A push dead letter is
 * resolved when a later push of its listing succeeds: the listing then shows the ledger's
 * quantity, which is what the dead letter was about.
 */
import type { Transaction } from 'kysely';
import { requeueListings } from './outbox-claims.js';
import type { Database } from './schema.js';
import { storeWithin, type Store } from './store.js';

/** Dead letters read a statement while loading (keyset pages, under every driver's limits). */
const LOAD_PAGE_ROWS = 1_000;
/** Listing ids per statement: under every driver's parameter limit. */
const IDS_PER_STATEMENT_MAX = 200;
/** Listings claimed in one transaction (the engine passes at most this many per pass). */
export const REDRIVE_CLAIM_MAX = 200;

/** A push dead letter's reference is `listing:<listing id>:<channel sku>` (outbox-claims.ts). */
const LISTING_REFERENCE = /^listing:([1-9][0-9]{0,15}):(.*)$/s;

/** The listing id and channel SKU a push dead letter's reference names; undefined for any other. */
export function parseListingReference(reference: string): { listingId: number; sku: string } | undefined {
  const match = LISTING_REFERENCE.exec(reference);
  const listingId = Number(match?.[1]);
  return match && Number.isSafeInteger(listingId) ? { listingId, sku: match[2]! } : undefined;
}

/** A listing with unresolved push dead letters, as the ledger has it. */
export interface DeadListingState {
  channel: string;
  listingId: number;
  /** created_at of its newest unresolved push dead letter. */
  diedAtMs: number;
  /** Whether one of its unresolved dead letters is worth pushing again (the wire failed, not the payload). */
  isRedrivable: boolean;
  /** Re-drives since it last succeeded. */
  redrives: number;
  /** When it was last queued again, if that re-drive answered its newest death (it waits for the outcome). */
  requeuedAtMs: number | null;
}

/** One claim's answer: `requeued` this call queued the listing; `taken` another worker already
 * re-drove this death; `settled` it has no unresolved dead letter left (it succeeded meanwhile). */
export type RedriveClaim = { listingId: number; outcome: 'requeued' | 'taken' | 'settled'; redrives: number };

export function listingReferencePrefix(listingId: number): string {
  if (!Number.isSafeInteger(listingId) || listingId <= 0) throw new Error(`a listing id must be a positive integer, got ${listingId}`);
  return `listing:${listingId}:`;
}

/**
 * Every listing of `channels` with unresolved push dead letters, with its re-drive state. A
 * listing pushed successfully after its newest dead letter (a success whose resolution was lost
 * to a crash, or that another worker made) is resolved here instead of returned.
 */
export async function loadDeadListings(store: Store, channels: readonly string[], isRedrivable: (error: string) => boolean, nowMs = Date.now()): Promise<DeadListingState[]> {
  if (channels.length === 0) return [];
  const found = new Map<number, DeadListingState>();
  for (let after = ''; ;) {
    const rows = await store.db.selectFrom('dead_letter').select(['id', 'channel', 'reference', 'error', 'created_at'])
      .where('kind', '=', 'push').where('resolved_at', 'is', null).where('channel', 'in', [...channels]).where('id', '>', after)
      .orderBy('id').limit(LOAD_PAGE_ROWS).execute();
    for (const row of rows) {
      const listingId = parseListingReference(row.reference)?.listingId;
      if (listingId === undefined) continue;
      const diedAtMs = Number(row.created_at);
      const known = found.get(listingId);
      found.set(listingId, {
        channel: row.channel, listingId, diedAtMs: Math.max(diedAtMs, known?.diedAtMs ?? -Infinity),
        isRedrivable: (known?.isRedrivable ?? false) || isRedrivable(row.error), redrives: 0, requeuedAtMs: null,
      });
    }
    if (rows.length < LOAD_PAGE_ROWS) break;
    after = rows[rows.length - 1]!.id;
  }
  const listings = [...found.values()];
  for (let start = 0; start < listings.length; start += IDS_PER_STATEMENT_MAX) {
    const slice = listings.slice(start, start + IDS_PER_STATEMENT_MAX);
    const ids = slice.map((listing) => listing.listingId);
    const redrives = new Map((await store.db.selectFrom('listing_redrive').select(['listing_id', 'redrives', 'died_at', 'requeued_at']).where('listing_id', 'in', ids).execute()).map((row) => [row.listing_id, row]));
    const pushed = new Map((await store.db.selectFrom('listing_sync').select(['listing_id', 'last_pushed_at']).where('listing_id', 'in', ids).execute()).map((row) => [row.listing_id, row.last_pushed_at]));
    for (const listing of slice) {
      const lastPushedAt = pushed.get(listing.listingId);
      if (lastPushedAt !== null && lastPushedAt !== undefined && Number(lastPushedAt) > listing.diedAtMs) {
        await resolveDeadListing(store, listing.channel, listing.listingId, Number(lastPushedAt), nowMs);
        found.delete(listing.listingId);
        continue;
      }
      const row = redrives.get(listing.listingId);
      if (!row) continue;
      listing.redrives = Number(row.redrives);
      if (Number(row.died_at) >= listing.diedAtMs) listing.requeuedAtMs = Number(row.requeued_at);
    }
  }
  return [...found.values()];
}

/** When each channel last had a push accepted, from the ledger (a restarted engine's starting point). */
export async function loadLastSuccessByChannel(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('listing_sync as s').innerJoin('listing as l', 'l.id', 's.listing_id').innerJoin('channel as c', 'c.id', 'l.channel_id')
    .select((eb) => ['c.code', eb.fn.max('s.last_pushed_at').as('last_pushed_at')]).where('s.last_pushed_at', 'is not', null).groupBy('c.code').execute();
  return new Map(rows.filter((row) => row.last_pushed_at !== null).map((row) => [row.code, Number(row.last_pushed_at)]));
}

/**
 * Claims the re-drive of each listing's newest death and queues the listings won, all in one
 * transaction. The death is read from the ledger, not taken from the caller, so every worker keys
 * its claim by the same value.
 */
export async function claimRedrives(store: Store, listings: ReadonlyArray<{ channel: string; listingId: number }>, nowMs = Date.now()): Promise<RedriveClaim[]> {
  if (listings.length > REDRIVE_CLAIM_MAX) throw new Error(`at most ${REDRIVE_CLAIM_MAX} listings may be re-driven at once, got ${listings.length}`);
  if (listings.length === 0) return [];
  return store.transaction(async (trx) => {
    const claims: RedriveClaim[] = [];
    for (const { channel, listingId } of listings) claims.push(await claimRedrive(trx, store.dialect, channel, listingId, nowMs));
    const requeued = claims.filter((claim) => claim.outcome === 'requeued').map((claim) => claim.listingId);
    await requeueListings(storeWithin(store, trx), requeued, nowMs);
    return claims;
  });
}

async function claimRedrive(trx: Transaction<Database>, dialect: Store['dialect'], channel: string, listingId: number, nowMs: number): Promise<RedriveClaim> {
  const newest = await trx.selectFrom('dead_letter').select((eb) => eb.fn.max('created_at').as('died_at'))
    .where('kind', '=', 'push').where('resolved_at', 'is', null).where('channel', '=', channel).where('reference', 'like', `${listingReferencePrefix(listingId)}%`).executeTakeFirst();
  if (newest?.died_at === null || newest?.died_at === undefined) return { listingId, outcome: 'settled', redrives: 0 };
  const diedAt = Number(newest.died_at);
  // Only a re-drive of an older death may be followed by one of this death; the row lock makes a
  // second worker wait for the first and then find the death already answered.
  const moved = await trx.updateTable('listing_redrive').set((eb) => ({ redrives: eb('redrives', '+', 1), died_at: diedAt, requeued_at: nowMs, updated_at: nowMs }))
    .where('listing_id', '=', listingId).where('died_at', '<', diedAt).executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 1) {
    const row = await trx.selectFrom('listing_redrive').select('redrives').where('listing_id', '=', listingId).executeTakeFirstOrThrow();
    return { listingId, outcome: 'requeued', redrives: Number(row.redrives) };
  }
  const insert = trx.insertInto('listing_redrive').values({ listing_id: listingId, channel, redrives: 1, died_at: diedAt, requeued_at: nowMs, created_at: nowMs, updated_at: nowMs });
  const inserted = dialect === 'mysql' ? await insert.ignore().executeTakeFirst() : await insert.onConflict((conflict) => conflict.column('listing_id').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { listingId, outcome: 'requeued', redrives: 1 };
  const row = await trx.selectFrom('listing_redrive').select('redrives').where('listing_id', '=', listingId).executeTakeFirst();
  return { listingId, outcome: 'taken', redrives: Number(row?.redrives ?? 1) };
}

/**
 * A push of the listing succeeded at `succeededAtMs`: its push dead letters from before then are
 * resolved and its re-drive count goes (the next death starts from the shortest cool-down). A
 * dead letter written after the success, and the re-drive answering it, stay.
 */
export async function resolveDeadListing(store: Store, channel: string, listingId: number, succeededAtMs: number, nowMs = Date.now()): Promise<void> {
  const prefix = listingReferencePrefix(listingId);
  await store.transaction(async (trx) => {
    await trx.updateTable('dead_letter').set({ resolved_at: nowMs })
      .where('kind', '=', 'push').where('resolved_at', 'is', null).where('channel', '=', channel).where('reference', 'like', `${prefix}%`).where('created_at', '<=', succeededAtMs).execute();
    await trx.deleteFrom('listing_redrive').where('listing_id', '=', listingId).where('died_at', '<=', succeededAtMs).execute();
  });
}
