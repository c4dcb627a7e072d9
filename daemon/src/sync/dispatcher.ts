/**
 * The outbox dispatcher: claims listings with outbox rows (a lease and a fencing version each),
 * computes the quantity each should show at dispatch time — so any number of queued changes for
 * one listing coalesce into one push of the newest value — and hands it to the channel's
 * scheduler. One claim per listing at a time means at most one push in flight per (channel, SKU).
 * It wakes in-process the moment the ledger commits, and polls only as a fallback (other
 * processes' writes, retries whose time has come).
 */
import { CLAIM_BATCH_MAX, type OutboxClaim, type OutboxClaims, type PushRecord } from '../ledger/outbox-claims.js';
import type { OutboxNote } from '../ledger/outbox-notes.js';
import type { PublishResult } from '../ledger/published-quantity.js';
import type { ChannelScheduler, PushOutcome } from './channel-scheduler.js';
import type { PublishedBatch } from './published-batch.js';

/** Short, because a holder renews every third of it while it works: a worker that died on
 * another host holds its listings at most this long (one that died on this host is released at
 * the next start, see SyncEngine.start). */
export const LEASE_MS_DEFAULT = 10_000;
export const POLL_MS_DEFAULT = 500;
/** Claims held at once by one dispatcher; more waits in the outbox (I8). */
export const CLAIMS_IN_FLIGHT_MAX = 5_000;
/** Finished claims committed in one transaction. */
export const COMPLETIONS_PER_COMMIT_MAX = 500;
/** Listings one scan of the outbox may find: far more than one claim takes, so a backlog the
 * notes did not cover (another process's writes, a restart) costs one scan per many claims. */
const SCAN_LIMIT = 2 * CLAIM_BATCH_MAX;

export interface PushEvent {
  channel: string;
  listingId: number;
  sku: string;
  quantity: number;
  version: number;
  status: PushRecord['status'];
  path: string | null;
  attempts: number;
  latencyMs: number;
  /** When the dispatcher finished with it (ms since epoch). */
  atMs: number;
  error?: string;
}

/** What the dispatcher needs of the ledger, the claims and each channel's scheduler: narrow, so
 * the coalescing and ordering logic can be explored against in-memory fakes (A3). */
export type DispatcherQueries = Pick<PublishedBatch, 'publishedForMany'>;
export type DispatcherClaims = Pick<OutboxClaims, 'findClaimable' | 'claimListings' | 'channelsOf' | 'completeMany' | 'retryLater' | 'deadLetter' | 'renew' | 'releaseAll'>;
export type DispatchTarget = Pick<ChannelScheduler, 'submit' | 'claimWindow'> & { channel: { limits: { quantityMax: number } } };

export interface DispatcherOptions {
  queries: DispatcherQueries;
  claims: DispatcherClaims;
  schedulers: ReadonlyMap<string, DispatchTarget>;
  leaseMs?: number;
  pollMs?: number;
  onPush?: (event: PushEvent) => void;
  onError?: (error: unknown) => void;
}

export class SyncDispatcher {
  private readonly inFlight = new Map<number, OutboxClaim>();
  private readonly inFlightByChannel = new Map<string, number>();
  private readonly completions: Array<{ claim: OutboxClaim; record: PushRecord; resolve: (held: boolean) => void; reject: (error: unknown) => void }> = [];
  private readonly leaseMs: number;
  private running = false;
  private again = false;
  private stopped = true;
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly handling = new Set<Promise<void>>();
  /** Listings worth claiming, by channel, oldest first. Commits note the listings they queued
   * (see outbox-notes), so at any rate the engine claims by id what it knows is there instead of
   * searching the outbox after every commit. Notes are sorted in here only between claims (one
   * pass runs at a time), so a claim covers every row its chosen listings were noted for; a note
   * that comes while a claim runs waits in `notes` for the next pass. */
  private readonly pending = new Map<string, Set<number>>();
  /** Notes not yet sorted by channel. */
  private notes: OutboxNote[] = [];
  /** Channels whose outbox may hold rows no note told of (the poll, a start, a re-drive, another
   * process's writes, retries whose time came): their next pass scans it. A scan that saw every
   * claimable row clears the mark. */
  private readonly scanWanted = new Set<string>();
  /** Counts scan requests: a scan that started before one must not clear its mark. */
  private scanRequests = 0;

  constructor(private readonly options: DispatcherOptions) {
    this.leaseMs = options.leaseMs ?? LEASE_MS_DEFAULT;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.pollTimer = setInterval(() => this.rescan(), this.options.pollMs ?? POLL_MS_DEFAULT);
    this.renewTimer = setInterval(() => { void this.renewLeases(); }, Math.max(1_000, Math.floor(this.leaseMs / 3)));
    this.rescan();
  }

  /** Finishes what is in flight, then gives every lease back. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.renewTimer);
    await Promise.allSettled([...this.handling]);
    await this.options.claims.releaseAll();
  }

  /** A commit queued these listings (or, without notes, something may want claiming): claims
   * them now, or right after the current pass. Cheap to call after every commit. */
  wake(notes?: readonly OutboxNote[]): void {
    if (this.stopped) return;
    if (notes) this.notes.push(...notes);
    this.runPass();
  }

  /** The outbox may hold rows no note told of, on any channel: scans it on the next pass. */
  rescan(): void {
    if (this.stopped) return;
    this.scanRequests += 1;
    for (const name of this.options.schedulers.keys()) this.scanWanted.add(name);
    this.runPass();
  }

  private runPass(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    void this.pass().catch((error: unknown) => this.options.onError?.(error)).finally(() => {
      this.running = false;
      if (this.again) { this.again = false; this.runPass(); }
    });
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Resolves when nothing is in flight (tests and benches). */
  async settled(): Promise<void> {
    while (this.handling.size > 0 || this.running) await Promise.allSettled([...this.handling, new Promise((resolve) => setTimeout(resolve, 5))]);
  }

  private async pass(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      await this.sortNotes();
      const room = CLAIMS_IN_FLIGHT_MAX - this.inFlight.size;
      if (room <= 0 || this.stopped) return;
      // Each channel gets only what it can send soon, so quantities are computed close to their
      // push and a slow channel (Etsy) cannot crowd out a fast one.
      const shares = new Map<string, number>();
      let planned = 0;
      for (const [name, scheduler] of this.options.schedulers) {
        if (!this.scanWanted.has(name) && !this.pending.get(name)?.size) continue;
        const share = Math.min(room - planned, scheduler.claimWindow() - (this.inFlightByChannel.get(name) ?? 0), CLAIM_BATCH_MAX);
        if (share <= 0) continue;
        shares.set(name, share);
        planned += share;
      }
      if (shares.size === 0) return;
      const chosen = new Map<string, number[]>([...shares.keys()].map((name) => [name, this.candidates(name, shares.get(name)!)]));
      // Only channels that want a scan and know of too little to fill their share pay for one.
      const scanning = [...shares.keys()].filter((name) => this.scanWanted.has(name) && chosen.get(name)!.length < shares.get(name)!);
      if (scanning.length > 0) {
        await this.scan(scanning);
        for (const name of scanning) chosen.set(name, this.candidates(name, shares.get(name)!));
      }
      const ids = [...chosen.values()].flat();
      if (ids.length === 0 || this.stopped) return;
      const claims = await this.options.claims.claimListings(ids, this.leaseMs);
      // Every chosen listing was claimed with the rows it was noted for, or is not claimable now
      // (its rows went with an earlier claim, another worker holds it, its retry time has not
      // come, its channel is paused): the periodic scan finds it again if it still has rows.
      for (const [name, listingIds] of chosen) for (const listingId of listingIds) this.pending.get(name)?.delete(listingId);
      this.track(claims);
      // A scan whose finds another worker took first: scanning again now would find them again.
      if (claims.length === 0 && scanning.length > 0) return;
    }
  }

  /** Sorts the notes that came since the last pass into the channels' pending listings. */
  private async sortNotes(): Promise<void> {
    if (this.notes.length === 0) return;
    const notes = this.notes;
    this.notes = [];
    for (const { listingId, channel } of await this.options.claims.channelsOf(notes)) this.remember(channel, listingId);
  }

  /** Reads the outbox of these channels for claimable listings no note told of. */
  private async scan(channels: string[]): Promise<void> {
    const requests = this.scanRequests;
    const { candidates, sawAll } = await this.options.claims.findClaimable(channels, SCAN_LIMIT);
    for (const { listingId, channel } of candidates) this.remember(channel, listingId);
    // Cleared only if no scan was asked for while this one ran: its rows may not be in it. A scan
    // that hit its limit leaves the mark, and runs again once what it found has been claimed.
    if (sawAll && this.scanRequests === requests) for (const name of channels) this.scanWanted.delete(name);
  }

  /** A listing noted again keeps its place: the queue stays oldest first. */
  private remember(channel: string, listingId: number): void {
    let pending = this.pending.get(channel);
    if (!pending) this.pending.set(channel, pending = new Set());
    pending.add(listingId);
  }

  /** Up to `share` of a channel's pending listings, oldest first, none already in flight. */
  private candidates(channel: string, share: number): number[] {
    const chosen: number[] = [];
    for (const listingId of this.pending.get(channel) ?? []) {
      if (chosen.length >= share) break;
      if (!this.inFlight.has(listingId)) chosen.push(listingId);
    }
    return chosen;
  }

  private track(claims: OutboxClaim[]): void {
    if (claims.length === 0) return;
    // One read for the whole batch, made now: quantities are computed at dispatch time.
    const published = this.options.queries.publishedForMany(claims.map((claim) => claim.listingId));
    for (const claim of claims) {
      this.inFlight.set(claim.listingId, claim);
      this.inFlightByChannel.set(claim.channel, (this.inFlightByChannel.get(claim.channel) ?? 0) + 1);
      const handled = this.handle(claim, published).catch((error: unknown) => this.options.onError?.(error)).finally(() => {
        this.inFlight.delete(claim.listingId);
        this.inFlightByChannel.set(claim.channel, (this.inFlightByChannel.get(claim.channel) ?? 1) - 1);
        this.handling.delete(handled);
        // The freed room matters to a channel with listings waiting (this one among them, if it
        // was noted again while in flight) or an outbox to scan.
        if (this.pending.get(claim.channel)?.size || this.scanWanted.has(claim.channel) || this.notes.length > 0) this.runPass();
      });
      this.handling.add(handled);
    }
  }

  private async handle(claim: OutboxClaim, batch: Promise<Map<number, PublishResult>>): Promise<void> {
    const scheduler = this.options.schedulers.get(claim.channel)!;
    const published = (await batch).get(claim.listingId);
    if (!published || published.quantity === null) return this.finish(claim, { quantity: 0, status: 'skipped', path: null, attempts: 0, latencyMs: 0, error: published ? published.steps[0]?.detail : 'the listing is gone' });
    const quantity = Math.min(published.quantity, scheduler.channel.limits.quantityMax);
    if (claim.mode === 'shadow') return this.finish(claim, { quantity, status: 'shadow', path: null, attempts: 0, latencyMs: 0 });
    // The channel already shows this number: pushing again would only spend a revision (eBay
    // allows 250 a day per listing) and a token.
    if (quantity === claim.lastQuantity && (claim.lastStatus === 'applied' || claim.lastStatus === 'accepted')) return this.finish(claim, { quantity, status: 'skipped', path: null, attempts: 0, latencyMs: 0 });
    const outcome = await scheduler.submit(String(claim.listingId), { listing: { sku: claim.channelSku, identifiers: claim.identifiers, ...(claim.identifiers.parentSku ? { parentSku: claim.identifiers.parentSku } : {}) }, quantity, version: claim.fence });
    await this.finishPush(claim, quantity, outcome);
  }

  private async finishPush(claim: OutboxClaim, quantity: number, outcome: PushOutcome): Promise<void> {
    const record: PushRecord = { quantity, status: outcome.status === 'applied' || outcome.status === 'accepted' ? outcome.status : 'failed', path: outcome.path, attempts: outcome.attempts, latencyMs: outcome.latencyMs, ...(outcome.error ? { error: `${outcome.error.code}: ${outcome.error.message}` } : {}) };
    if (record.status !== 'failed') return this.finish(claim, record);
    if (this.stopped) {
      await this.options.claims.retryLater(claim, Date.now(), record);
      return;
    }
    // Refused by the fence when another worker took the listing: then nothing was dead-lettered.
    if (await this.options.claims.deadLetter(claim, { ...record, status: 'dead' })) this.emit(claim, { ...record, status: 'dead' });
  }

  private async finish(claim: OutboxClaim, record: PushRecord): Promise<void> {
    if (await this.complete(claim, record)) this.emit(claim, record);
  }

  /** Queues a completion; everything queued in one turn of the event loop commits together. */
  private complete(claim: OutboxClaim, record: PushRecord): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.completions.push({ claim, record, resolve, reject });
      if (this.completions.length === 1) setImmediate(() => { void this.flushCompletions(); });
    });
  }

  private async flushCompletions(): Promise<void> {
    const batch = this.completions.splice(0, COMPLETIONS_PER_COMMIT_MAX);
    if (this.completions.length > 0) setImmediate(() => { void this.flushCompletions(); });
    try {
      const held = await this.options.claims.completeMany(batch);
      batch.forEach((item, index) => item.resolve(held[index] === true));
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  private emit(claim: OutboxClaim, record: PushRecord): void {
    this.options.onPush?.({ channel: claim.channel, listingId: claim.listingId, sku: claim.channelSku, quantity: record.quantity, version: claim.fence, status: record.status, path: record.path, attempts: record.attempts, latencyMs: record.latencyMs, atMs: Date.now(), ...(record.error ? { error: record.error } : {}) });
  }

  private async renewLeases(): Promise<void> {
    if (this.inFlight.size === 0) return;
    try {
      await this.options.claims.renew([...this.inFlight.values()], this.leaseMs);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
