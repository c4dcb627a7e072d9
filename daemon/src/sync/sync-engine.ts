/**
 * The sync engine: one scheduler per connected channel and one dispatcher over the outbox, plus
 * what the admin status needs (last push, latency percentiles, backlog, headroom, dead letters).
 */
import { sql } from 'kysely';
import type { Channel } from '../channels/channel.js';
import { OutboxClaims } from '../ledger/outbox-claims.js';
import { LedgerQueries } from '../ledger/queries.js';
import { claimRedrives, loadDeadListings, loadLastSuccessByChannel, REDRIVE_CLAIM_MAX, resolveDeadListing } from '../ledger/redrive-store.js';
import type { Store } from '../ledger/store.js';
import { ChannelScheduler, type BudgetStore, type SavedBudget, type SchedulerOptions } from './channel-scheduler.js';
import { SyncDispatcher, type PushEvent } from './dispatcher.js';
import { LatencyWindow } from './latency-window.js';
import { fencedChannel } from './lease-guard.js';
import { isProvablyDead, leaseOwnerId } from './lease-owner.js';
import { PublishedBatch } from './published-batch.js';

/** How long a channel being removed may finish the pushes its scheduler already holds. */
export const CHANNEL_DRAIN_MS_DEFAULT = 5_000;
const CHANNEL_DRAIN_POLL_MS = 50;

/** A listing dead-lettered after its attempts ran out on faults that pass (timeouts, 5xx, resets,
 * 429s) is pushed again, with the quantity of that moment, once its channel has answered another
 * push with success and at least this long after it died... */
export const REDRIVE_AFTER_MS_DEFAULT = 2_000;
/** ...or, when the channel has had no success since, after this cool-down (doubled on each
 * re-drive of the same listing that died again, up to REDRIVE_COOLDOWN_MS_MAX). The dead letter
 * stays counted in status and alerted until a push of its listing succeeds, which resolves it.
 * All of this lives in the ledger (ledger/redrive-store.ts): a restarted engine picks up the
 * listings still waiting and their cool-downs, so a restart does not leave a listing wrong (I5). */
export const REDRIVE_COOLDOWN_MS_DEFAULT = 30_000;
export const REDRIVE_COOLDOWN_MS_MAX = 15 * 60_000;
const REDRIVE_CHECK_MS = 250;
/** After the ledger refused a re-drive pass (unreachable, say), the next waits this long. */
const REDRIVE_ERROR_PAUSE_MS = 5_000;
/** Dead-letter errors worth re-driving: the marketplace or the wire failed, not the payload. */
const REDRIVABLE = /^(timeout|server_error|network|rate_limited|invalid_response):/;

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
  redrive?: { afterMs?: number; cooldownMs?: number };
}

interface DeadListing {
  diedAtMs: number;
  /** Re-drives since the listing last succeeded (as the ledger counts them). */
  redrives: number;
  /** Set once re-queued; cleared when it dies again, gone when it succeeds. */
  requeuedAtMs?: number;
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
  /** Dead-lettered listings waiting for a re-drive, by channel and listing id. */
  private readonly dead = new Map<string, Map<number, DeadListing>>();
  /** Listings with unresolved push dead letters of any kind, by channel: their next success resolves them. */
  private readonly deadLettered = new Map<string, Set<number>>();
  private readonly lastSuccessAtMs = new Map<string, number>();
  private redriveTimer: NodeJS.Timeout | undefined;
  private redriving = false;
  private redrivePausedUntilMs = 0;
  /** Re-drive work on the ledger still running (loads, passes, resolutions); stop() waits for it. */
  private readonly redriveWork = new Set<Promise<void>>();
  private stopped = false;

  private readonly schedulerOptions: SchedulerOptions;

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
  }

  start(): void {
    for (const scheduler of this.schedulers.values()) scheduler.markStarted();
    this.dispatcher.start();
    // A previous run of this daemon killed on this host cannot give its leases back; they are
    // released now rather than when they run out (B1). Other holders' leases are left alone.
    this.claims.releaseDeadOwners((owner) => isProvablyDead(owner)).then((released) => { if (released > 0) this.dispatcher.wake(); }, (error: unknown) => this.options.onError?.(error));
    // Listings a previous run dead-lettered still wait for their re-drive (I5).
    this.loadDeadRetrying([...this.schedulers.keys()]);
  }
  /** The ledger committed a change (syncedLedger calls this): claim it now. */
  wake(): void {
    for (const scheduler of this.schedulers.values()) scheduler.noteLedgerChange();
    this.dispatcher.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.redriveTimer);
    this.redriveTimer = undefined;
    // The dispatcher marks itself stopped first, so pushes the closing schedulers give back are
    // returned to the outbox for the next start instead of being dead-lettered.
    const stopping = this.dispatcher.stop();
    for (const scheduler of this.schedulers.values()) scheduler.close();
    await stopping;
    // Re-drive work already on the ledger finishes before the caller closes the store.
    await Promise.allSettled([...this.redriveWork]);
  }

  /** Starts scheduling a channel connected while the daemon runs (from the admin UI): the
   * dispatcher shares the scheduler map, so its next pass claims the channel's outbox rows. */
  addChannel(channel: Channel): void {
    if (this.schedulers.has(channel.name)) throw new Error(`the ${channel.name} channel is already scheduled`);
    this.schedulers.set(channel.name, new ChannelScheduler(fencedChannel(channel, this.claims), this.schedulerOptions));
    if (!this.latency.has(channel.name)) this.latency.set(channel.name, new LatencyWindow());
    this.wake();
    this.loadDeadRetrying([channel.name]);
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
      this.lastSuccessAtMs.set(event.channel, event.atMs);
      this.dead.get(event.channel)?.delete(event.listingId);
      // Only a listing known to have dead letters costs a statement; the hot path does not.
      if (this.deadLettered.get(event.channel)?.delete(event.listingId)) this.track(resolveDeadListing(this.options.store, event.channel, event.listingId, event.atMs));
    }
    if (event.status === 'dead') this.noteDead(event);
    const counts = this.counts.get(event.channel) ?? {};
    counts[event.status] = (counts[event.status] ?? 0) + 1;
    this.counts.set(event.channel, counts);
    this.options.onPush?.(event);
  }

  private noteDead(event: PushEvent): void {
    this.deadListings(event.channel).add(event.listingId);
    if (!REDRIVABLE.test(event.error ?? '')) return;
    const listings = this.waitingListings(event.channel);
    // The count of re-drives carries over: a listing that dies again waits twice as long.
    listings.set(event.listingId, { diedAtMs: event.atMs, redrives: listings.get(event.listingId)?.redrives ?? 0 });
    this.watchDead();
  }

  /** Learns from the ledger which listings of these channels wait for a re-drive, with their
   * cool-downs, and when each channel last succeeded: what a previous run knew in memory. */
  private async loadDead(channels: string[]): Promise<void> {
    const waiting = await loadDeadListings(this.options.store, channels, (error) => REDRIVABLE.test(error));
    if (this.stopped || waiting.length === 0) return;
    for (const [channel, atMs] of await loadLastSuccessByChannel(this.options.store)) {
      if (atMs > (this.lastSuccessAtMs.get(channel) ?? -Infinity)) this.lastSuccessAtMs.set(channel, atMs);
    }
    for (const state of waiting) {
      this.deadListings(state.channel).add(state.listingId);
      const listings = this.waitingListings(state.channel);
      // A death this run saw itself is at least as new as the ledger's.
      if (!state.isRedrivable || listings.has(state.listingId)) continue;
      listings.set(state.listingId, { diedAtMs: state.diedAtMs, redrives: state.redrives, ...(state.requeuedAtMs === null ? {} : { requeuedAtMs: state.requeuedAtMs }) });
    }
    this.watchDead();
  }

  /** loadDead until the ledger answers: a daemon started while its database is away still
   * re-drives what the previous run left once the database is back. */
  private loadDeadRetrying(channels: string[]): void {
    this.track(this.loadDead(channels).catch((error: unknown) => {
      this.options.onError?.(error);
      if (!this.stopped) setTimeout(() => this.loadDeadRetrying(channels), REDRIVE_ERROR_PAUSE_MS).unref();
    }));
  }

  private deadListings(channel: string): Set<number> {
    const listings = this.deadLettered.get(channel) ?? new Set<number>();
    this.deadLettered.set(channel, listings);
    return listings;
  }

  private waitingListings(channel: string): Map<number, DeadListing> {
    const listings = this.dead.get(channel) ?? new Map<number, DeadListing>();
    this.dead.set(channel, listings);
    return listings;
  }

  private watchDead(): void {
    if (!this.redriveTimer && !this.stopped) {
      this.redriveTimer = setInterval(() => { this.track(this.redrive()); }, REDRIVE_CHECK_MS);
      this.redriveTimer.unref();
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.options.onError?.(error)).finally(() => this.redriveWork.delete(tracked));
    this.redriveWork.add(tracked);
  }

  /** Re-queues the dead-lettered listings whose time has come (see REDRIVE_AFTER_MS_DEFAULT). The
   * ledger decides who re-drives a death (claimRedrives), so two engines on it queue it once. */
  private async redrive(): Promise<void> {
    if (this.redriving || this.stopped || Date.now() < this.redrivePausedUntilMs) return;
    this.redriving = true;
    try {
      const now = Date.now();
      const afterMs = this.options.redrive?.afterMs ?? REDRIVE_AFTER_MS_DEFAULT;
      const cooldownMs = this.options.redrive?.cooldownMs ?? REDRIVE_COOLDOWN_MS_DEFAULT;
      const due: Array<{ channel: string; listingId: number; entry: DeadListing }> = [];
      let waiting = 0;
      for (const [channel, listings] of this.dead) {
        const succeededAt = this.lastSuccessAtMs.get(channel) ?? -Infinity;
        for (const [listingId, entry] of listings) {
          if (entry.requeuedAtMs !== undefined) continue;
          const sinceMs = now - entry.diedAtMs;
          const cooled = sinceMs >= Math.min(REDRIVE_COOLDOWN_MS_MAX, cooldownMs * 2 ** entry.redrives);
          if (((succeededAt > entry.diedAtMs && sinceMs >= afterMs) || cooled) && due.length < REDRIVE_CLAIM_MAX) due.push({ channel, listingId, entry });
          else waiting += 1;
        }
        // Re-queued listings stay remembered (a second death doubles the cool-down) until they succeed.
      }
      if (due.length > 0) await this.requeueDue(due, now);
      if (waiting === 0 && due.length === 0) {
        // Nothing left to wait for: the timer stops until the next dead letter.
        clearInterval(this.redriveTimer);
        this.redriveTimer = undefined;
      }
    } catch (error) {
      this.redrivePausedUntilMs = Date.now() + REDRIVE_ERROR_PAUSE_MS;
      this.options.onError?.(error);
    } finally {
      this.redriving = false;
    }
  }

  private async requeueDue(due: ReadonlyArray<{ channel: string; listingId: number; entry: DeadListing }>, nowMs: number): Promise<void> {
    const claims = await claimRedrives(this.options.store, due.map(({ channel, listingId }) => ({ channel, listingId })), nowMs);
    for (const [index, claim] of claims.entries()) {
      const { channel, listingId, entry } = due[index]!;
      const listings = this.dead.get(channel);
      // A push or a death recorded while the claim ran knows better than the claim.
      if (listings?.get(listingId) !== entry) continue;
      if (claim.outcome === 'settled') {
        // Resolved meanwhile: another worker pushed it successfully.
        listings.delete(listingId);
        this.deadLettered.get(channel)?.delete(listingId);
        continue;
      }
      // Queued here or by another worker: either way this death has had its re-drive.
      entry.requeuedAtMs = nowMs;
      entry.redrives = claim.redrives;
    }
    if (claims.some((claim) => claim.outcome === 'requeued')) this.dispatcher.wake();
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
