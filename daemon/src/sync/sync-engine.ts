/**
 * The sync engine: one scheduler per connected channel and one dispatcher over the outbox, plus
 * what the admin status needs (last push, latency percentiles, backlog, headroom, dead letters).
 */
import { sql } from 'kysely';
import type { Channel } from '../channels/channel.js';
import { OutboxClaims } from '../ledger/outbox-claims.js';
import { onOutboxCommitted } from '../ledger/outbox-notes.js';
import { LedgerQueries } from '../ledger/queries.js';
import type { Store } from '../ledger/store.js';
import { ChannelScheduler, type BudgetStore, type SavedBudget, type SchedulerOptions } from './channel-scheduler.js';
import { DeadLetterRedrive } from './dead-letter-redrive.js';
import { SyncDispatcher, type PushEvent } from './dispatcher.js';
import { LatencyWindow } from './latency-window.js';
import { fencedChannel } from './lease-guard.js';
import { isProvablyDead, leaseOwnerId } from './lease-owner.js';
import { PublishedBatch } from './published-batch.js';

/** How long a channel being removed may finish the pushes its scheduler already holds. */
export const CHANNEL_DRAIN_MS_DEFAULT = 5_000;
const CHANNEL_DRAIN_POLL_MS = 50;

// Re-driving dead-lettered listings lives in dead-letter-redrive.ts; its timings stay importable from here.
export { REDRIVE_AFTER_MS_DEFAULT, REDRIVE_COOLDOWN_MS_DEFAULT, REDRIVE_COOLDOWN_MS_MAX } from './dead-letter-redrive.js';

export interface SyncEngineOptions {
  store: Store;
  channels: Channel[];
  /** Identifies this process in leases; unique per run. */
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  scheduler?: SchedulerOptions;
  onPush?: (event: PushEvent) => void;
  onError?: (error: unknown) => void;
  /** Re-drive timings for dead-lettered listings (tests shorten them). */
  redrive?: { afterMs?: number; cooldownMs?: number; rescanMs?: number };
}

export interface ChannelSyncStatus {
  channel: string;
  mode: string | null;
  connected: boolean;
  /** The channel's default buffer and cap, and whether WooCommerce's checkout holds are subtracted. */
  buffer: number | null;
  cap: number | null;
  subtractsHeld: boolean | null;
  lastPush: PushEvent | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  backlog: number;
  pending: number;
  inFlight: number;
  requests: number;
  throttled: number;
  blockedForMs: number;
  headroom: Record<string, number>;
  deadLetters: number;
  pushes: Record<string, number>;
}

/** Rows of channel_cursor holding a channel's saved scarce-operation buckets are keyed so
 * (channel names never contain ':', so they cannot meet an order cursor's row). */
const BUDGET_KEY_PREFIX = 'budget:';

/** The scarce operations' buckets (Walmart's inventory feed, Amazon's createFeed) kept in the
 * ledger database, one JSON row per channel, so a restarted daemon knows what the run before it
 * spent (see BudgetStore). */
export function ledgerBudgetStore(store: Store): BudgetStore {
  const read = async (key: string): Promise<Record<string, SavedBudget>> => {
    const row = await store.db.selectFrom('channel_cursor').select('cursor').where('channel', '=', key).executeTakeFirst();
    if (!row) return {};
    try {
      const parsed = JSON.parse(row.cursor) as unknown;
      return parsed && typeof parsed === 'object' ? parsed as Record<string, SavedBudget> : {};
    } catch {
      return {};
    }
  };
  return {
    load: (channel) => read(BUDGET_KEY_PREFIX + channel),
    async save(channel, operation, budget) {
      const key = BUDGET_KEY_PREFIX + channel;
      const now = Date.now();
      const cursor = JSON.stringify({ ...(await read(key)), [operation]: budget });
      const updated = await store.db.updateTable('channel_cursor').set({ cursor, updated_at: now }).where('channel', '=', key).executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) return;
      try {
        await store.db.insertInto('channel_cursor').values({ channel: key, cursor, updated_at: now }).execute();
      } catch {
        // Inserted meanwhile by another worker: write over it.
        await store.db.updateTable('channel_cursor').set({ cursor, updated_at: now }).where('channel', '=', key).execute();
      }
    },
  };
}

export class SyncEngine {
  readonly schedulers = new Map<string, ChannelScheduler>();
  readonly dispatcher: SyncDispatcher;
  readonly claims: OutboxClaims;
  private readonly latency = new Map<string, LatencyWindow>();
  private readonly lastPush = new Map<string, PushEvent>();
  private readonly counts = new Map<string, Record<string, number>>();
  /** Dead-lettered listings waiting to be pushed again, remembered in the ledger across restarts. */
  private readonly redrive: DeadLetterRedrive;

  private readonly schedulerOptions: SchedulerOptions;
  /** Stops listening for the outbox notes of this store's commits. */
  private unlisten: (() => void) | undefined;
  /** Whether a commit noted outbox rows since the last wake (see wake). */
  private notedSinceWake = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.claims = new OutboxClaims(options.store, options.owner ?? leaseOwnerId());
    // Scarce buckets survive restarts (B1), and schedulers hear of every ledger change (wake).
    this.schedulerOptions = { budgets: ledgerBudgetStore(options.store), ledgerChanges: true, ...(options.onError ? { onError: options.onError } : {}), ...options.scheduler };
    for (const channel of options.channels) {
      // Every push passes the claim's local lease check on its way out (B8).
      this.schedulers.set(channel.name, new ChannelScheduler(fencedChannel(channel, this.claims), this.schedulerOptions));
      this.latency.set(channel.name, new LatencyWindow());
    }
    this.dispatcher = new SyncDispatcher({
      queries: new PublishedBatch(options.store, new LedgerQueries(options.store)), claims: this.claims, schedulers: this.schedulers,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}), ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      onPush: (event) => this.record(event), ...(options.onError ? { onError: options.onError } : {}),
    });
    this.redrive = new DeadLetterRedrive({
      store: options.store, ...options.redrive, wake: () => this.wake(), ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void {
    for (const scheduler of this.schedulers.values()) scheduler.markStarted();
    // Commits through this store tell which listings they queued: the dispatcher claims those by id.
    this.unlisten ??= onOutboxCommitted(this.options.store.db, (notes) => {
      this.notedSinceWake = true;
      this.dispatcher.wake(notes);
    });
    this.dispatcher.start();
    // A previous run of this daemon killed on this host cannot give its leases back; they are
    // released now rather than when they run out (B1). Other holders' leases are left alone.
    this.claims.releaseDeadOwners((owner) => isProvablyDead(owner)).then((released) => { if (released > 0) this.dispatcher.rescan(); }, (error: unknown) => this.options.onError?.(error));
    // Listings a previous run dead-lettered still wait for their re-drive (I5).
    this.redrive.load([...this.schedulers.keys()]);
  }
  /** The ledger or catalogue committed a change (syncedLedger calls this): claim it now. A commit
   * that queued outbox rows noted them just before (see outbox-notes); one that noted nothing may
   * have queued rows without notes (the catalogue's writes, a write through another path), so the
   * outbox is scanned for it. */
  wake(): void {
    for (const scheduler of this.schedulers.values()) scheduler.noteLedgerChange();
    if (this.notedSinceWake) this.dispatcher.wake();
    else this.dispatcher.rescan();
    this.notedSinceWake = false;
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    this.redrive.stop();
    // The dispatcher marks itself stopped first, so pushes the closing schedulers give back are
    // returned to the outbox for the next start instead of being dead-lettered.
    const stopping = this.dispatcher.stop();
    for (const scheduler of this.schedulers.values()) scheduler.close();
    await stopping;
    // Dead letters resolved by the last pushes are written before the caller closes the store.
    await this.redrive.idle();
  }

  /** Starts scheduling a channel connected while the daemon runs (from the admin UI): the
   * dispatcher shares the scheduler map, so its next pass claims the channel's outbox rows. */
  addChannel(channel: Channel): void {
    if (this.schedulers.has(channel.name)) throw new Error(`the ${channel.name} channel is already scheduled`);
    this.schedulers.set(channel.name, new ChannelScheduler(fencedChannel(channel, this.claims), this.schedulerOptions));
    if (!this.latency.has(channel.name)) this.latency.set(channel.name, new LatencyWindow());
    this.wake();
    this.redrive.load([channel.name]);
  }

  /** Stops scheduling a channel: nothing more is claimed for it, pushes already handed to its
   * scheduler get up to drainMs to finish, then the scheduler closes. */
  async removeChannel(name: string, drainMs = CHANNEL_DRAIN_MS_DEFAULT): Promise<boolean> {
    const scheduler = this.schedulers.get(name);
    if (!scheduler) return false;
    this.schedulers.delete(name);
    for (const deadline = Date.now() + drainMs; Date.now() < deadline;) {
      const stats = scheduler.stats();
      if (stats.pending + stats.inFlight === 0) break;
      await new Promise((resolve) => setTimeout(resolve, CHANNEL_DRAIN_POLL_MS));
    }
    scheduler.close();
    return true;
  }

  channel(name: string): Channel | undefined {
    return this.schedulers.get(name)?.channel;
  }

  private record(event: PushEvent): void {
    if (event.status === 'applied' || event.status === 'accepted') {
      this.latency.get(event.channel)?.add(event.latencyMs);
      this.lastPush.set(event.channel, event);
      this.redrive.noteSuccess(event.channel, event.listingId, event.atMs);
    }
    if (event.status === 'dead') this.redrive.noteDead(event);
    const counts = this.counts.get(event.channel) ?? {};
    counts[event.status] = (counts[event.status] ?? 0) + 1;
    this.counts.set(event.channel, counts);
    this.options.onPush?.(event);
  }

  async status(): Promise<ChannelSyncStatus[]> {
    const db = this.options.store.db;
    const channels = await db.selectFrom('channel').select(['code', 'mode', 'buffer', 'cap', 'subtracts_held']).orderBy('code').execute();
    const backlog = await db.selectFrom('outbox').innerJoin('listing', 'listing.id', 'outbox.listing_id').innerJoin('channel', 'channel.id', 'listing.channel_id')
      .select(['channel.code', sql<number>`count(*)`.as('rows')]).groupBy('channel.code').execute();
    const dead = await db.selectFrom('dead_letter').select(['channel', sql<number>`count(*)`.as('rows')]).where('resolved_at', 'is', null).groupBy('channel').execute();
    const names = new Set([...channels.map((row) => row.code), ...this.schedulers.keys()]);
    return [...names].sort().map((name) => {
      const scheduler = this.schedulers.get(name);
      const stats = scheduler?.stats();
      const row = channels.find((candidate) => candidate.code === name);
      return {
        channel: name, mode: row?.mode ?? null, connected: scheduler !== undefined,
        buffer: row?.buffer ?? null, cap: row?.cap ?? null, subtractsHeld: row ? row.subtracts_held === 1 : null,
        lastPush: this.lastPush.get(name) ?? null, latencyP50Ms: this.latency.get(name)?.percentile(0.5) ?? null, latencyP99Ms: this.latency.get(name)?.percentile(0.99) ?? null,
        backlog: Number(backlog.find((row) => row.code === name)?.rows ?? 0), pending: stats?.pending ?? 0, inFlight: stats?.inFlight ?? 0,
        requests: stats?.requests ?? 0, throttled: stats?.throttled ?? 0, blockedForMs: stats?.blockedForMs ?? 0, headroom: stats?.headroom ?? {},
        deadLetters: Number(dead.find((row) => row.channel === name)?.rows ?? 0), pushes: this.counts.get(name) ?? {},
      };
    });
  }
}
