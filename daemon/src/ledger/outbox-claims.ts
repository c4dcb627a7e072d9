/**
 * Claiming the outbox for the sync engine. A claim leases one listing (not single rows): it raises
 * the listing's fencing version, records the owner and lease end, and reads the exact outbox row
 * ids it covers. Only the holder of the current fence may complete, retry or dead-letter the
 * claim, so a paused worker whose lease was taken over cannot finish anything (B8). Rows are
 * deleted by id, never by range: on MySQL a row with a lower id may commit after our read.
 *
 * The database fence stops a stale completion; it cannot stop a stale request to a marketplace.
 * So each claim also carries a local lease on the monotonic clock (performance.now(), which keeps
 * running while the process is stopped), ending LOCAL_LEASE_MARGIN before the database lease and
 * moved on by every successful renewal. `leaseState` says whether a push may still be sent: a
 * worker resumed after SIGSTOP finds its local leases lapsed and sends nothing, while another
 * worker may only take the listing once the database lease has run out, after that.
 */
import { CompiledQuery, sql } from 'kysely';
import { newId } from './ids.js';
import { noteOutboxRows, type OutboxNote } from './outbox-notes.js';
import type { Store } from './store.js';

export interface OutboxClaim {
  listingId: number;
  channel: string;
  mode: string;
  channelSku: string;
  identifiers: Record<string, string>;
  /** The fencing version, also the push version (monotonic per listing). */
  fence: number;
  outboxIds: number[];
  attempts: number;
  lastQuantity: number | null;
  lastStatus: string | null;
}

export interface PushRecord {
  quantity: number;
  status: 'applied' | 'accepted' | 'shadow' | 'failed' | 'dead' | 'skipped';
  path: string | null;
  attempts: number;
  latencyMs: number;
  error?: string;
}

/** Whether a push under a claim may still be sent: `held` (the local lease runs), `lapsed` (the
 * local lease ran out; a renewal may bring it back), `lost` (the database says another worker or
 * a release took the listing), `untracked` (not a push this process claimed). */
export type LeaseState = 'held' | 'lapsed' | 'lost' | 'untracked';

interface LocalLease {
  listingId: number;
  fence: number;
  /** performance.now() after which no push under this claim may leave; -Infinity once lost. */
  validUntil: number;
}

/** Share of the lease kept back locally: the holder stops sending this long before anyone else
 * may take the listing (covers a request still on its way and clock drift between hosts). */
const LOCAL_LEASE_MARGIN = 0.2;

export const CLAIM_BATCH_MAX = 500;
/** Assumed before the first claim says the lease length. */
const DEFAULT_IDLE_LEASE_MS = 10_000;
const OUTBOX_IDS_PER_CLAIM_MAX = 10_000;
/** Ids or rows per statement when finishing claims in bulk: under every driver's parameter limit. */
const ROWS_PER_STATEMENT_MAX = 200;

/** A listing that may be claimed, and its channel. */
export interface ClaimCandidate { listingId: number; channel: string }

export class OutboxClaims {
  /** Channel codes by id: they never change once given. */
  private readonly channelCodes = new Map<number, string>();
  /** Local leases by channel and channel SKU (what a push names). */
  private readonly local = new Map<string, LocalLease>();
  private mariadb: Promise<boolean> | undefined;
  /** The lease length last claimed with (bounds how long a transaction may sit idle). */
  private leaseMs = DEFAULT_IDLE_LEASE_MS;

  constructor(private readonly store: Store, readonly owner: string, private readonly nowMs: () => number = Date.now, private readonly monotonicMs: () => number = () => performance.now()) {}

  /** Leases up to `limit` listings with outbox rows on the given channels, oldest row first. */
  async claim(channels: string[], leaseMs: number, limit = CLAIM_BATCH_MAX): Promise<OutboxClaim[]> {
    const { candidates } = await this.findClaimable(channels, limit);
    return this.claimListings(candidates.map((candidate) => candidate.listingId), leaseMs);
  }

  /** Listings on these channels with outbox rows that could be claimed now, oldest row first, at
   * most `limit`; nothing is leased. `sawAll`: no claimable listing was left out. This reads the
   * whole outbox: the engine runs it as its periodic scan, and claims the listings its own commits
   * queued by id (claimListings). */
  async findClaimable(channels: string[], limit: number): Promise<{ candidates: ClaimCandidate[]; sawAll: boolean }> {
    if (channels.length === 0 || limit <= 0) return { candidates: [], sawAll: true };
    const found = await this.claimable({ channels }, limit);
    return { candidates: found.map((row) => ({ listingId: row.listing_id, channel: row.code })), sawAll: found.length < limit };
  }

  /** Leases those of these listings that are claimable now: they have outbox rows, no one holds
   * them, no retry time is pending and their channel is not paused. The others are left alone. */
  async claimListings(listingIds: number[], leaseMs: number): Promise<OutboxClaim[]> {
    if (listingIds.length === 0) return [];
    const startedMonotonic = this.monotonicMs();
    const found = await this.claimable({ listingIds }, listingIds.length);
    return this.lease(found, leaseMs, startedMonotonic);
  }

  /** The channel of each noted listing. Channel codes are remembered, so a note that carries its
   * channel id costs no read; one that does not is looked up, and left out if its listing is gone
   * (a gone listing whose note named its channel is left to the claim, which finds nothing). */
  async channelsOf(notes: readonly OutboxNote[]): Promise<ClaimCandidate[]> {
    const unknown = notes.filter((note) => note.channelId === undefined || !this.channelCodes.has(note.channelId));
    const channelOf = new Map<number, number>();
    if (unknown.length > 0) {
      const rows = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id')
        .select(['listing.id', 'channel.id as channel_id', 'channel.code']).where('listing.id', 'in', [...new Set(unknown.map((note) => note.listingId))]).execute();
      for (const row of rows) {
        this.channelCodes.set(row.channel_id, row.code);
        channelOf.set(row.id, row.channel_id);
      }
    }
    return notes.flatMap((note) => {
      const code = this.channelCodes.get(channelOf.get(note.listingId) ?? note.channelId ?? -1);
      return code === undefined ? [] : [{ listingId: note.listingId, channel: code }];
    });
  }

  /** Listings with outbox rows that no one holds, whose retry time (if any) has come and whose
   * channel is not paused, oldest row first: on the given channels, or among the given listings. */
  private claimable(among: { channels: string[] } | { listingIds: number[] }, limit: number) {
    const now = this.nowMs();
    let query = this.store.db.selectFrom('outbox as o')
      .innerJoin('listing as l', 'l.id', 'o.listing_id')
      .innerJoin('channel as c', 'c.id', 'l.channel_id')
      .leftJoin('listing_sync as s', 's.listing_id', 'o.listing_id')
      .select(['o.listing_id', 'c.code', sql<number>`min(o.id)`.as('first_id'), sql<number | null>`max(s.listing_id)`.as('synced')]);
    query = 'channels' in among ? query.where('c.code', 'in', among.channels) : query.where('o.listing_id', 'in', among.listingIds);
    return query
      .where('c.mode', '!=', 'paused')
      .where((eb) => eb.or([eb('s.listing_id', 'is', null), eb.and([
        eb.or([eb('s.lease_until', 'is', null), eb('s.lease_until', '<', now)]),
        eb.or([eb('s.retry_at', 'is', null), eb('s.retry_at', '<=', now)]),
      ])]))
      .groupBy(['o.listing_id', 'c.code'])
      .orderBy('first_id')
      .limit(limit)
      .execute();
  }

  /** Leases the candidates still free: raises each fence, records owner and lease end, and reads
   * the outbox rows each claim covers, in one transaction. */
  private async lease(candidates: Array<{ listing_id: number; synced: number | null }>, leaseMs: number, startedMonotonic: number): Promise<OutboxClaim[]> {
    if (candidates.length === 0) return [];
    const now = this.nowMs();
    const ids = candidates.map((row) => row.listing_id);
    // Only listings never synced get their row: touching an existing one (INSERT IGNORE takes a
    // lock on the duplicate) would wait behind a worker stopped inside a transaction on it.
    const fresh = candidates.filter((row) => row.synced === null).map((row) => row.listing_id);
    if (fresh.length > 0) {
      const insert = this.store.db.insertInto('listing_sync').values(fresh.map((id) => ({ listing_id: id, fence: 0, attempts: 0, updated_at: now })));
      if (this.store.dialect === 'mysql') await insert.ignore().execute();
      else await insert.onConflict((conflict) => conflict.column('listing_id').doNothing()).execute();
    }
    this.leaseMs = leaseMs;

    const claimed: OutboxClaim[] = await this.fencedTransaction(async (trx) => {
      let locking = trx.selectFrom('listing_sync').select('listing_id').where('listing_id', 'in', ids)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .where((eb) => eb.or([eb('retry_at', 'is', null), eb('retry_at', '<=', now)]));
      if (this.store.dialect === 'mysql') locking = locking.forUpdate().skipLocked();
      const free = (await locking.execute()).map((row) => row.listing_id);
      if (free.length === 0) return [];
      await trx.updateTable('listing_sync').set({ fence: sql`fence + 1`, lease_owner: this.owner, lease_until: now + leaseMs, updated_at: now }).where('listing_id', 'in', free).execute();
      const rows = await trx.selectFrom('listing_sync as s')
        .innerJoin('listing as l', 'l.id', 's.listing_id')
        .innerJoin('channel as c', 'c.id', 'l.channel_id')
        .select(['s.listing_id', 's.fence', 's.attempts', 's.last_quantity', 's.last_status', 'c.code', 'c.mode', 'l.channel_sku', 'l.identifiers'])
        .where('s.listing_id', 'in', free).execute();
      const outbox = await trx.selectFrom('outbox').select(['id', 'listing_id']).where('listing_id', 'in', free).orderBy('id').limit(OUTBOX_IDS_PER_CLAIM_MAX).execute();
      const idsByListing = new Map<number, number[]>();
      for (const row of outbox) {
        const held = idsByListing.get(row.listing_id);
        if (held) held.push(row.id);
        else idsByListing.set(row.listing_id, [row.id]);
      }
      return rows.map((row) => ({
        listingId: row.listing_id, channel: row.code, mode: row.mode, channelSku: row.channel_sku,
        identifiers: JSON.parse(row.identifiers) as Record<string, string>, fence: Number(row.fence),
        outboxIds: idsByListing.get(row.listing_id) ?? [], attempts: row.attempts, lastQuantity: row.last_quantity, lastStatus: row.last_status,
      }));
    });
    for (const claim of claimed) this.local.set(localKey(claim.channel, claim.channelSku), { listingId: claim.listingId, fence: claim.fence, validUntil: startedMonotonic + leaseMs * (1 - LOCAL_LEASE_MARGIN) });
    return claimed;
  }

  /** Extends the leases still held, a few hundred listings a statement; returns the listing ids
   * whose fence moved on (lost), whose pushes `leaseState` refuses from now on. */
  async renew(claims: OutboxClaim[], leaseMs: number): Promise<number[]> {
    const lost: number[] = [];
    for (let start = 0; start < claims.length; start += ROWS_PER_STATEMENT_MAX) {
      const slice = claims.slice(start, start + ROWS_PER_STATEMENT_MAX);
      const ids = slice.map((claim) => claim.listingId);
      const startedMonotonic = this.monotonicMs();
      // Only rows this owner still holds are extended: a row another worker claimed carries its
      // owner, and one this owner finished or released carries none.
      await this.store.db.updateTable('listing_sync').set({ lease_until: this.nowMs() + leaseMs }).where('listing_id', 'in', ids).where('lease_owner', '=', this.owner).execute();
      const held = await this.store.db.selectFrom('listing_sync').select(['listing_id', 'fence']).where('listing_id', 'in', ids).where('lease_owner', '=', this.owner).execute();
      const fences = new Map(held.map((row) => [row.listing_id, Number(row.fence)]));
      for (const claim of slice) {
        const lease = this.local.get(localKey(claim.channel, claim.channelSku));
        if (fences.get(claim.listingId) === claim.fence) {
          if (lease?.fence === claim.fence) lease.validUntil = startedMonotonic + leaseMs * (1 - LOCAL_LEASE_MARGIN);
          continue;
        }
        lost.push(claim.listingId);
        if (lease?.fence === claim.fence) lease.validUntil = -Infinity;
      }
    }
    return lost;
  }

  /** Whether a push of `version` for this channel SKU may be sent now (see LeaseState). */
  leaseState(channel: string, channelSku: string, version: number): LeaseState {
    const lease = this.local.get(localKey(channel, channelSku));
    if (!lease) return 'untracked';
    if (lease.fence !== version || lease.validUntil === -Infinity) return 'lost';
    return this.monotonicMs() < lease.validUntil ? 'held' : 'lapsed';
  }

  /** Gives back, at once, the leases of owners that `isDead` proves dead (a previous run of this
   * daemon on this host, killed before it could release them). Returns how many were released. */
  async releaseDeadOwners(isDead: (owner: string) => boolean): Promise<number> {
    const owners = await this.store.db.selectFrom('listing_sync').select('lease_owner').distinct().where('lease_owner', 'is not', null).where('lease_until', '>=', this.nowMs()).execute();
    let released = 0;
    for (const { lease_owner: owner } of owners) {
      if (owner === null || owner === this.owner || !isDead(owner)) continue;
      const result = await this.store.db.updateTable('listing_sync').set({ lease_owner: null, lease_until: null, updated_at: this.nowMs() }).where('lease_owner', '=', owner).execute();
      released += Number(result[0]?.numUpdatedRows ?? 0);
    }
    return released;
  }

  /** True while this claim still holds the listing's fence. */
  async holds(claim: OutboxClaim): Promise<boolean> {
    const row = await this.store.db.selectFrom('listing_sync').select(['fence', 'lease_owner']).where('listing_id', '=', claim.listingId).executeTakeFirst();
    return row !== undefined && Number(row.fence) === claim.fence && row.lease_owner === this.owner;
  }

  /** Finishes a claim: its outbox rows go, its push is recorded. False when fenced out. */
  complete(claim: OutboxClaim, record: PushRecord): Promise<boolean> {
    const remember = record.status === 'applied' || record.status === 'accepted';
    return this.finish(claim, record, { attempts: 0, retry_at: null, ...(remember ? rememberPush(record, claim.fence, this.nowMs()) : {}) }, true);
  }

  /** Finishes many claims in one transaction (one commit instead of one per push, the engine's
   * hot path at high rates). Each claim is fenced on its own; the answer says which still held. */
  async completeMany(items: ReadonlyArray<{ claim: OutboxClaim; record: PushRecord }>): Promise<boolean[]> {
    if (items.length === 0) return [];
    const now = this.nowMs();
    return this.fencedTransaction(async (trx) => {
      const held: boolean[] = [];
      const overwritten: number[] = [];
      const dropIds: number[] = [];
      const pushes: Array<Parameters<typeof this.pushRow>[0]> = [];
      for (const { claim, record } of items) {
        const remember = record.status === 'applied' || record.status === 'accepted';
        // One statement per push, the hottest of the engine at high rates: written out once (the
        // same columns as complete() sets through rememberPush) instead of built and compiled
        // by the query builder for every push.
        const fenced = await trx.executeQuery(remember
          ? CompiledQuery.raw(COMPLETE_REMEMBERED_SQL, [OVERWRITTEN, record.quantity, OVERWRITTEN, record.status, claim.fence, now, now, claim.listingId, claim.fence, this.owner])
          : CompiledQuery.raw(COMPLETE_SQL, [now, claim.listingId, claim.fence, this.owner]));
        const holds = Number(fenced.numAffectedRows ?? 0) === 1;
        this.forget(claim);
        held.push(holds);
        if (!holds) {
          if (remember) overwritten.push(claim.listingId);
          continue;
        }
        dropIds.push(...claim.outboxIds);
        pushes.push({ claim, record });
      }
      await requeueOverwritten(trx, overwritten, now);
      for (let start = 0; start < dropIds.length; start += ROWS_PER_STATEMENT_MAX) await trx.deleteFrom('outbox').where('id', 'in', dropIds.slice(start, start + ROWS_PER_STATEMENT_MAX)).execute();
      for (let start = 0; start < pushes.length; start += ROWS_PER_STATEMENT_MAX) await trx.insertInto('push').values(pushes.slice(start, start + ROWS_PER_STATEMENT_MAX).map((push) => this.pushRow(push, now))).execute();
      return held;
    });
  }

  private pushRow({ claim, record }: { claim: OutboxClaim; record: PushRecord }, now: number) {
    return {
      id: newId('push', now), listing_id: claim.listingId, channel: claim.channel, sku: claim.channelSku, quantity: record.quantity, version: claim.fence,
      status: record.status, path: record.path, attempts: record.attempts, latency_ms: record.latencyMs, error: record.error?.slice(0, 400) ?? null, created_at: now,
    };
  }

  /** Gives the lease back with a retry time; the outbox rows stay. False when fenced out. */
  retryLater(claim: OutboxClaim, retryAtMs: number, record: PushRecord): Promise<boolean> {
    return this.finish(claim, record, { attempts: claim.attempts + record.attempts, retry_at: retryAtMs }, false);
  }

  /** Gives up on a push: visible in dead_letter; the rows go so the queue stays bounded (I8). */
  async deadLetter(claim: OutboxClaim, record: PushRecord): Promise<boolean> {
    return this.finish(claim, record, { attempts: 0, retry_at: null, last_status: 'dead' }, true, {
      id: newId('dl', this.nowMs()), kind: 'push', channel: claim.channel, reference: `listing:${claim.listingId}:${claim.channelSku}`,
      payload: JSON.stringify({ sku: claim.channelSku, quantity: record.quantity, version: claim.fence }), error: (record.error ?? 'unknown').slice(0, 400), attempts: claim.attempts + record.attempts, resolved_at: null, created_at: this.nowMs(),
    });
  }

  /** Releases every lease this owner holds (graceful shutdown, B10); nothing claimed before may
   * be pushed afterwards. */
  async releaseAll(): Promise<void> {
    for (const lease of this.local.values()) lease.validUntil = -Infinity;
    await this.store.db.updateTable('listing_sync').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', this.owner).execute();
  }

  /** A claims transaction. On MariaDB the server rolls it back if it sits idle longer than a third
   * of the lease (idle_transaction_timeout), so a worker stopped inside one (SIGSTOP, a frozen VM)
   * cannot keep the rows it locked from the worker taking over its claims (B8); the setting is
   * put back before the connection returns to the pool, so ledger transactions never see it.
   * MySQL has no such setting; there a stopped worker's locks last until its connection dies. */
  private fencedTransaction<T>(work: (trx: Parameters<Parameters<Store['transaction']>[0]>[0]) => Promise<T>): Promise<T> {
    return this.store.transaction(async (trx) => {
      if (this.store.dialect !== 'mysql') return work(trx);
      this.mariadb ??= sql<{ version: string }>`select version() as version`.execute(this.store.db).then((result) => /mariadb/i.test(result.rows[0]?.version ?? ''));
      if (!(await this.mariadb)) return work(trx);
      const seconds = Math.max(1, Math.floor(this.leaseMs / 3 / 1000));
      await sql`set session idle_transaction_timeout = ${sql.raw(String(seconds))}`.execute(trx);
      try {
        return await work(trx);
      } finally {
        await sql`set session idle_transaction_timeout = 0`.execute(trx).catch(() => undefined);
      }
    });
  }

  /** A finished claim's push is over: its local lease goes (unless a newer claim replaced it). */
  private forget(claim: OutboxClaim): void {
    const key = localKey(claim.channel, claim.channelSku);
    if (this.local.get(key)?.fence === claim.fence) this.local.delete(key);
  }

  private async finish(claim: OutboxClaim, record: PushRecord, state: Record<string, unknown>, dropRows: boolean, deadLetter?: Parameters<typeof this.insertDeadLetter>[1]): Promise<boolean> {
    const now = this.nowMs();
    this.forget(claim);
    return this.fencedTransaction(async (trx) => {
      const fenced = await trx.updateTable('listing_sync').set({ ...state, lease_owner: null, lease_until: null, updated_at: now })
        .where('listing_id', '=', claim.listingId).where('fence', '=', claim.fence).where('lease_owner', '=', this.owner).executeTakeFirst();
      if (Number(fenced.numUpdatedRows) !== 1) {
        if (record.status === 'applied' || record.status === 'accepted') await requeueOverwritten(trx, [claim.listingId], now);
        return false;
      }
      if (dropRows && claim.outboxIds.length > 0) await trx.deleteFrom('outbox').where('id', 'in', claim.outboxIds).execute();
      await trx.insertInto('push').values({
        id: newId('push', now), listing_id: claim.listingId, channel: claim.channel, sku: claim.channelSku, quantity: record.quantity, version: claim.fence,
        status: record.status, path: record.path, attempts: record.attempts, latency_ms: record.latencyMs, error: record.error?.slice(0, 400) ?? null, created_at: now,
      }).execute();
      if (deadLetter) await this.insertDeadLetter(trx, deadLetter);
      return true;
    });
  }

  private async insertDeadLetter(trx: Parameters<Parameters<Store['transaction']>[0]>[0], row: { id: string; kind: 'push' | 'inbox'; channel: string; reference: string; payload: string; error: string; attempts: number; resolved_at: null; created_at: number }): Promise<void> {
    await trx.insertInto('dead_letter').values(row).execute();
  }
}

/** Marks a listing whose channel a stale push may have overwritten (see requeueOverwritten). */
const OVERWRITTEN = 'overwritten';

/** completeMany's fenced update, by hand: plain identifiers and `?` parameters read the same on
 * SQLite and MariaDB. With the push remembered (rememberPush's columns), and without. */
const COMPLETE_REMEMBERED_SQL = 'update listing_sync set attempts = 0, retry_at = null, '
  + 'last_quantity = case when last_status = ? then null else ? end, last_status = case when last_status = ? then null else ? end, '
  + 'last_version = ?, last_pushed_at = ?, lease_owner = null, lease_until = null, updated_at = ? where listing_id = ? and fence = ? and lease_owner = ?';
const COMPLETE_SQL = 'update listing_sync set attempts = 0, retry_at = null, lease_owner = null, lease_until = null, updated_at = ? where listing_id = ? and fence = ? and lease_owner = ?';

/** What a completed push leaves remembered: its quantity, so an unchanged level is not pushed
 * again — unless a stale push was refused meanwhile, which leaves nothing remembered. */
function rememberPush(record: PushRecord, fence: number, nowMs: number) {
  return {
    last_quantity: sql<number | null>`case when last_status = ${OVERWRITTEN} then null else ${record.quantity} end`,
    last_status: sql<string | null>`case when last_status = ${OVERWRITTEN} then null else ${record.status} end`,
    last_version: fence, last_pushed_at: nowMs,
  };
}

/** A push the marketplace took under a claim that was no longer ours (sent before a pause,
 * answered after the takeover) may have landed after the new holder's newer one: the channel may
 * now show an older number. The listing is queued again with the remembered quantity cleared and
 * marked, so the next claim pushes the ledger's level instead of skipping it as already shown
 * (I5, I6), even when the new holder's completion commits after this one. */
async function requeueOverwritten(trx: Parameters<Parameters<Store['transaction']>[0]>[0], listingIds: number[], nowMs: number): Promise<void> {
  for (let start = 0; start < listingIds.length; start += ROWS_PER_STATEMENT_MAX) {
    const slice = listingIds.slice(start, start + ROWS_PER_STATEMENT_MAX);
    await trx.updateTable('listing_sync').set({ last_quantity: null, last_status: OVERWRITTEN, updated_at: nowMs }).where('listing_id', 'in', slice).execute();
    await trx.insertInto('outbox').values(slice.map((id) => ({ listing_id: id, created_at: nowMs }))).execute();
    noteOutboxRows(trx, slice.map((listingId) => ({ listingId })));
  }
}

function localKey(channel: string, channelSku: string): string {
  return `${channel}\u0000${channelSku}`;
}

/** Queues listings for a fresh push even if the engine believes the channel already shows their
 * quantity (reconciliation found it does not). */
export async function requeueListings(store: Store, listingIds: number[], nowMs = Date.now()): Promise<void> {
  if (listingIds.length === 0) return;
  await store.transaction(async (trx) => {
    await trx.updateTable('listing_sync').set({ last_quantity: null, last_status: null, updated_at: nowMs }).where('listing_id', 'in', listingIds).execute();
    await trx.insertInto('outbox').values(listingIds.map((id) => ({ listing_id: id, created_at: nowMs }))).execute();
    noteOutboxRows(trx, listingIds.map((listingId) => ({ listingId })));
  });
}
