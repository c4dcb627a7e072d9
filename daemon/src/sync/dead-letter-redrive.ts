/**
 * Re-driving dead-lettered listings. A push that ran out of attempts on a fault that passes goes
 * to dead_letter and its outbox rows go (I8); the listing would then stay wrong on its
 * marketplace until a reconciliation ran. This queues it again, with the quantity of that moment,
 * once the marketplace looks healthy again (I5). The timing lives here, in memory; what must
 * outlive a restart — which listings wait, since when, how many re-drives they had — lives in the
 * ledger (ledger/redrive-store.ts), which a starting engine reads back.
 */
import { claimRedrives, loadDeadListings, loadLastSuccessByChannel, REDRIVE_CLAIM_MAX, resolveDeadListing } from '../ledger/redrive-store.js';
import type { Store } from '../ledger/store.js';
import type { PushEvent } from './dispatcher.js';

/** A listing dead-lettered after its attempts ran out on faults that pass (timeouts, 5xx, resets,
 * 429s) is pushed again, with the quantity of that moment, once its channel has answered another
 * push with success and at least this long after it died... */
export const REDRIVE_AFTER_MS_DEFAULT = 2_000;
/** ...or, when the channel has had no success since, after this cool-down (doubled on each
 * re-drive of the same listing that died again, up to REDRIVE_COOLDOWN_MS_MAX). The dead letter
 * stays counted in status and alerted until a push of its listing succeeds, which resolves it. */
export const REDRIVE_COOLDOWN_MS_DEFAULT = 30_000;
export const REDRIVE_COOLDOWN_MS_MAX = 15 * 60_000;
const REDRIVE_CHECK_MS = 250;
/** How often the ledger is read again for dead letters this engine did not write itself: another
 * daemon on the same ledger may have died for good after dead-lettering them. */
export const REDRIVE_RESCAN_MS_DEFAULT = 60_000;
/** After the ledger refused a load or a re-drive pass (unreachable, say), the next waits this long. */
const REDRIVE_ERROR_PAUSE_MS = 5_000;
/** Dead-letter errors worth re-driving: the marketplace or the wire failed, not the payload. */
const REDRIVABLE = /^(timeout|server_error|network|rate_limited|invalid_response):/;

export interface DeadLetterRedriveOptions {
  store: Store;
  /** Re-drive timings (tests shorten them). */
  afterMs?: number;
  cooldownMs?: number;
  /** How often the ledger is read again (REDRIVE_RESCAN_MS_DEFAULT). */
  rescanMs?: number;
  /** Listings were queued again: the dispatcher should claim them now. */
  wake: () => void;
  onError?: (error: unknown) => void;
}

interface DeadListing {
  diedAtMs: number;
  /** Re-drives since the listing last succeeded (as the ledger counts them). */
  redrives: number;
  /** Set once re-queued; cleared when it dies again, gone when it succeeds. */
  requeuedAtMs?: number;
}

interface DueListing {
  channel: string;
  listingId: number;
  entry: DeadListing;
}

export class DeadLetterRedrive {
  /** Dead-lettered listings waiting for a re-drive, by channel and listing id. */
  private readonly dead = new Map<string, Map<number, DeadListing>>();
  /** Listings with unresolved push dead letters of any kind, by channel: their next success resolves them. */
  private readonly deadLettered = new Map<string, Set<number>>();
  private readonly lastSuccessAtMs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private redriving = false;
  private pausedUntilMs = 0;
  /** Work on the ledger still running (loads, passes, resolutions); stop() waits for it. */
  private readonly work = new Set<Promise<void>>();
  private stopped = false;
  /** Every channel loaded so far: the rescan reads them all again. */
  private readonly channels = new Set<string>();
  private rescanTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DeadLetterRedriveOptions) {}

  /** Learns from the ledger, until it answers, which listings of these channels a previous run
   * left waiting for a re-drive (I5); a daemon started while its database is away still re-drives
   * them once the database is back. */
  load(channels: string[]): void {
    for (const channel of channels) this.channels.add(channel);
    // From then on the ledger is read again now and then: a dead letter another daemon wrote before
    // it died for good is re-driven here without waiting for this daemon's next restart. A failed
    // rescan is reported and the next one tries again.
    if (!this.rescanTimer && !this.stopped) {
      this.rescanTimer = setInterval(() => { this.track(this.loadOnce([...this.channels])); }, this.options.rescanMs ?? REDRIVE_RESCAN_MS_DEFAULT);
      this.rescanTimer.unref();
    }
    this.track(this.loadOnce(channels).catch((error: unknown) => {
      this.options.onError?.(error);
      if (!this.stopped) setTimeout(() => this.load(channels), REDRIVE_ERROR_PAUSE_MS).unref();
    }));
  }

  /** A push of the listing succeeded: it waits no more, and its dead letters are resolved. */
  noteSuccess(channel: string, listingId: number, atMs: number): void {
    this.lastSuccessAtMs.set(channel, atMs);
    this.dead.get(channel)?.delete(listingId);
    // Only a listing known to have dead letters costs a statement; the hot path does not.
    if (this.deadLettered.get(channel)?.delete(listingId)) this.track(resolveDeadListing(this.options.store, channel, listingId, atMs));
  }

  /** A push was dead-lettered: it waits for a re-drive if the fault may pass. */
  noteDead(event: PushEvent): void {
    this.deadListings(event.channel).add(event.listingId);
    if (!REDRIVABLE.test(event.error ?? '')) return;
    const listings = this.waitingListings(event.channel);
    // The count of re-drives carries over: a listing that dies again waits twice as long.
    listings.set(event.listingId, { diedAtMs: event.atMs, redrives: listings.get(event.listingId)?.redrives ?? 0 });
    this.watch();
  }

  /** No re-drive starts from now on (successes still resolve their dead letters). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    clearInterval(this.rescanTimer);
    this.rescanTimer = undefined;
  }

  /** Resolves once no work of this on the ledger runs, so the store may close. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  private async loadOnce(channels: string[]): Promise<void> {
    const states = await loadDeadListings(this.options.store, channels, (error) => REDRIVABLE.test(error));
    if (this.stopped || states.length === 0) return;
    for (const [channel, atMs] of await loadLastSuccessByChannel(this.options.store)) {
      if (atMs > (this.lastSuccessAtMs.get(channel) ?? -Infinity)) this.lastSuccessAtMs.set(channel, atMs);
    }
    for (const state of states) {
      this.deadListings(state.channel).add(state.listingId);
      const listings = this.waitingListings(state.channel);
      // A death this run saw itself is at least as new as the ledger's.
      if (!state.isRedrivable || listings.has(state.listingId)) continue;
      listings.set(state.listingId, { diedAtMs: state.diedAtMs, redrives: state.redrives, ...(state.requeuedAtMs === null ? {} : { requeuedAtMs: state.requeuedAtMs }) });
    }
    this.watch();
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

  private watch(): void {
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(() => { this.track(this.redrive()); }, REDRIVE_CHECK_MS);
      this.timer.unref();
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.options.onError?.(error)).finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  /** Re-queues the dead-lettered listings whose time has come (see REDRIVE_AFTER_MS_DEFAULT). The
   * ledger decides who re-drives a death (claimRedrives), so two engines on it queue it once. */
  private async redrive(): Promise<void> {
    if (this.redriving || this.stopped || Date.now() < this.pausedUntilMs) return;
    this.redriving = true;
    try {
      const now = Date.now();
      const afterMs = this.options.afterMs ?? REDRIVE_AFTER_MS_DEFAULT;
      const cooldownMs = this.options.cooldownMs ?? REDRIVE_COOLDOWN_MS_DEFAULT;
      const due: DueListing[] = [];
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
      if (due.length > 0) await this.requeue(due, now);
      if (waiting === 0 && due.length === 0) {
        // Nothing left to wait for: the timer stops until the next dead letter.
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } catch (error) {
      // The listings stay waiting; the next pass tries again once the pause is over.
      this.pausedUntilMs = Date.now() + REDRIVE_ERROR_PAUSE_MS;
      this.options.onError?.(error);
    } finally {
      this.redriving = false;
    }
  }

  private async requeue(due: readonly DueListing[], nowMs: number): Promise<void> {
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
    if (claims.some((claim) => claim.outcome === 'requeued')) this.options.wake();
  }
}
