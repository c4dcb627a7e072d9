/**
 * One scheduler per channel: takes quantity updates, groups them by the path the backlog calls
 * for (single, bulk, feed), spends a token of the operation's bucket before every request (the
 * marketplace's documented rate, so never above it), retries only the SKUs that failed with a
 * retryable error after a capped backoff, and sends nothing on an operation before a Retry-After
 * it announced has passed. A newer update for a SKU still waiting replaces the older one
 * (coalescing).
 *
 * A 429 is about one operation's bucket (Amazon and Walmart limit each operation on its own): it
 * blocks that operation only, and empties our bucket for it, since the marketplace just said its
 * own is empty. A restarted daemon does not start from full buckets where it can know better:
 * Walmart's x-current-token-count is believed after every answer (TokenCountSource), and the
 * scarce operations' buckets (feeds) are saved in the ledger before each request (BudgetStore). While the feed is blocked the backlog goes on
 * the single or bulk path, if that operation has budget.
 */
import { pushRequests, type Channel, type ChannelError, type PushPath, type PushProgress, type PushResult, type QuantityUpdate } from '../channels/channel.js';
import { TokenBucket } from '../sandbox/kit/token-bucket.js';
import { BULK_GROUP_KEYS } from './channel-registry.js';
import { choosePath, FEED_QUIET_MS } from './path-choice.js';
import { decideRetry, PUSH_ATTEMPTS_MAX } from './retry-policy.js';
import { createWorkQueue, type WorkQueue } from './work-queue.js';

export const SCHEDULER_CONCURRENCY_DEFAULT = 8;
const FEED_STATUS_POLL_MS = 250;
/** Our buckets run slightly under the documented rates, so the marketplace's bucket always gains
 * on ours and a clock that runs a little fast on either side does no harm. */
export const RATE_SAFETY_FACTOR = 0.95;
/** Calls to the same polling operation (feed status) retry an empty bucket this often at most. */
const CALL_RETRY_MS_MIN = 5;
/** How long a submitted feed may stay unprocessed before its SKUs are pushed again. */
export const FEED_STATUS_WAIT_MAX_MS = 10 * 60_000;
const CLAIM_WINDOW_MS = 500;
const CLAIM_WINDOW_FEED_MAX = 2_000;
const CLAIM_WINDOW_UNLIMITED = 2_000;

/** A connector that says, after each answer, what is left of a daily request budget shared by all
 * its calls (Etsy's x-remaining-today of x-limit-per-day). */
export interface DailyBudgetSource {
  observeDailyBudget(listener: (remaining: number, limit: number) => void): void;
}

/** Share of a daily budget pushes leave to the rest (order polling first: at one poll a minute,
 * 1,440 requests a day, about 15% of Etsy's 10,000). Below it pushes wait, so a large repush cannot
 * spend the day's budget and stop the orders coming in, which would let channels oversell. */
export const DAILY_RESERVE_SHARE = 0.15;
/** While pushes wait for the daily budget, the answers to the other calls (the order poll, every
 * minute) say when the sliding 24-hour window has given some back. Where nothing else calls, one
 * listing probes this often: 144 probes a day, a small part of the reserve. */
export const DAILY_PROBE_MS_DEFAULT = 10 * 60_000;

/** A connector that says, after each answer, how many tokens the marketplace's bucket for the
 * operation has left (Walmart's x-current-token-count). The scheduler's bucket believes it. */
export interface TokenCountSource {
  observeTokenCounts(listener: (operation: string, tokens: number) => void): void;
}

export interface PushOutcome {
  status: 'applied' | 'accepted' | 'failed' | 'superseded';
  attempts: number;
  path: PushPath;
  latencyMs: number;
  error?: ChannelError;
}

/** What the scheduler's bucket for one operation held, and when (wall clock, ms since epoch). */
export interface SavedBudget { tokens: number; atMs: number }

/** Durable memory of the scarce operations' buckets (a feed every few minutes), kept across
 * restarts: a spend is saved before its request leaves, so a daemon killed right after sending a
 * feed still counts it when it starts again, instead of believing a full bucket the marketplace
 * no longer has (B1). */
export interface BudgetStore {
  load(channel: string): Promise<Record<string, SavedBudget>>;
  save(channel: string, operation: string, budget: SavedBudget): Promise<void>;
}

/** Operations refilled slower than this (tokens per second) are scarce: their spends are saved. */
export const SCARCE_RATE_MAX = 0.1;
/** With ledger changes noted (noteLedgerChange), a daemon that started (markStarted) and has seen
 * no change for this long is at the end of a burst (or there was none): worth the last feed token.
 * Longer than a quiet spell mid-burst, since senders that retried while the daemon was down need
 * a moment to get through to it again. */
const START_QUIET_MS = 2_000;
/** When the ledger goes quiet the claim window grows to a feed's worth at once, and the feed itself
 * waits this much longer, so the dispatcher's next pass (it polls every 500 ms at most) has claimed
 * the backlog — with quantities computed after the last change — before the feed is sent. */
const FEED_CLAIM_LEAD_MS = 600;
/** With ledger changes noted, no change for this long ends a burst (a commit stalled for a few
 * hundred milliseconds on a busy host is not the end of one). */
const LEDGER_QUIET_MS = 750;

export interface SchedulerOptions {
  concurrency?: number;
  /** Saves and restores the scarce operations' buckets across restarts. */
  budgets?: BudgetStore;
  /** The engine calls noteLedgerChange on every ledger commit: the end of a burst is then told by
   * the ledger going quiet rather than by submits (which go on while singles drain a backlog). */
  ledgerChanges?: boolean;
  onError?: (error: unknown) => void;
  attemptsMax?: number;
  /** Lift every bucket (the engine-capacity bench against unlimited sandboxes). */
  unlimited?: boolean;
  /** How long a feed may stay unprocessed before its SKUs count as failed (FEED_STATUS_WAIT_MAX_MS). */
  feedWaitMaxMs?: number;
  /** How often a push probes a daily budget pushes are holding back for (DAILY_PROBE_MS_DEFAULT). */
  dailyProbeMs?: number;
  random?: () => number;
}

export interface SchedulerStats {
  pending: number;
  inFlight: number;
  requests: number;
  throttled: number;
  blockedForMs: number;
  /** Tokens left per operation right now. */
  headroom: Record<string, number>;
}

interface Item {
  key: string;
  update: QuantityUpdate;
  attempts: number;
  notBeforeMs: number;
  startedMs: number;
  /** Largest batch this item may go in: halved each time a batch holding it hung or broke, so
   * one slow listing cannot take a whole bulk batch down with it attempt after attempt. */
  batchCap: number;
  resolve: (outcome: PushOutcome) => void;
}

/** Errors after which a batch is split for its retry: the request hung or broke on the wire. */
const SPLIT_ON: ReadonlySet<ChannelError['code']> = new Set(['timeout', 'network', 'server_error', 'invalid_response']);

export class ChannelScheduler {
  private readonly pending = new Map<string, Item>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly inFlightByOperation = new Map<string, number>();
  /** Listings (by key) whose push is on the wire now. */
  private readonly sending = new Set<string>();
  private readonly queue: WorkQueue;
  private readonly concurrency: number;
  private inFlight = 0;
  /** The whole channel blocked (blockUntil without an operation). */
  private blockedUntilMs = 0;
  /** Per operation: no request on it before this (a 429's Retry-After). */
  private readonly operationBlockedUntilMs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;
  private requests = 0;
  private throttled = 0;
  private closed = false;
  private lastFeedAtMs = -Infinity;
  private lastSubmitAtMs = -Infinity;

  constructor(readonly channel: Channel, private readonly options: SchedulerOptions = {}) {
    this.concurrency = options.concurrency ?? SCHEDULER_CONCURRENCY_DEFAULT;
    this.queue = createWorkQueue(this.concurrency);
    for (const [operation, limit] of Object.entries(channel.limits.operations)) this.buckets.set(operation, schedulerBucket(limit));
    if (options.budgets && !options.unlimited) this.restore(options.budgets);
    const daily = channel as Partial<DailyBudgetSource>;
    if (!options.unlimited && typeof daily.observeDailyBudget === 'function') daily.observeDailyBudget((remaining, limit) => this.noteDailyBudget(remaining, limit));
    const source = channel as Partial<TokenCountSource>;
    if (!options.unlimited && typeof source.observeTokenCounts === 'function') {
      source.observeTokenCounts((operation, tokens) => this.believe(operation, tokens));
      for (const operation of this.buckets.keys()) this.unverified.add(operation);
    }
  }

  /** Pushes wait until then: the daily budget is down to what is kept for the rest (0: no wait). */
  private dailyHoldUntilMs = 0;
  /** What is left of the daily budget by the last answer, less the requests sent since (undefined:
   * the marketplace never said), and the part of it pushes leave to the rest. A push may spend
   * only what lies above the reserve: several on the wire at once, each sent on an answer that
   * predates the others, would otherwise overshoot it together. */
  private dailyLeft: number | undefined;
  private dailyReserve = 0;

  /** The marketplace said what is left of its daily budget. Below the reserve, pushes wait (and
   * probe now and then); above it, they go again at once. */
  private noteDailyBudget(remaining: number, limit: number): void {
    this.dailyReserve = Math.ceil(limit * DAILY_RESERVE_SHARE);
    // Requests of this channel still on their way are not in that count yet (the answered one may
    // still be among them: the estimate errs low).
    let onTheWire = 0;
    for (const requests of this.onTheWire.values()) onTheWire += requests;
    this.dailyLeft = remaining - onTheWire;
    if (remaining < this.dailyReserve) {
      if (this.dailyHoldUntilMs <= Date.now()) this.dailyHoldUntilMs = Date.now() + (this.options.dailyProbeMs ?? DAILY_PROBE_MS_DEFAULT);
    } else if (this.dailyHoldUntilMs !== 0) {
      this.dailyHoldUntilMs = 0;
      this.requestPump();
    }
  }

  /** Scarce operations whose saved bucket is still being read: nothing is sent on them meanwhile. */
  private readonly restoring = new Set<string>();
  private saving: Promise<void> = Promise.resolve();

  private isScarce(operation: string | undefined): operation is string {
    const limit = operation === undefined ? undefined : this.channel.limits.operations[operation];
    return limit !== undefined && limit.ratePerSecond < SCARCE_RATE_MAX;
  }

  /** Reads the scarce buckets saved by earlier runs: each holds what it held then plus what our
   * (slower than the marketplace's) rate refilled since, never more than the burst. */
  private restore(budgets: BudgetStore): void {
    for (const operation of this.buckets.keys()) if (this.isScarce(operation)) this.restoring.add(operation);
    if (this.restoring.size === 0) return;
    budgets.load(this.channel.name).then((saved) => {
      const now = Date.now();
      for (const operation of this.restoring) {
        const budget = saved[operation];
        const bucket = this.buckets.get(operation);
        if (!budget || !bucket) continue;
        bucket.capAt(budget.tokens + (Math.max(0, now - budget.atMs) / 1000) * bucket.ratePerSecond);
      }
    }, (error: unknown) => this.options.onError?.(error)).finally(() => {
      this.restoring.clear();
      this.requestPump();
    });
  }

  /** Saves a scarce operation's bucket as it is now; saves run one after another, so the last
   * one written is the newest. Resolves once written (or failed: the error is reported). */
  private saveBudget(operation: string | undefined): Promise<void> {
    const budgets = this.options.budgets;
    if (!budgets || this.options.unlimited || !this.isScarce(operation)) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      const bucket = this.buckets.get(operation);
      if (!bucket) return;
      await budgets.save(this.channel.name, operation, { tokens: bucket.available(), atMs: Date.now() });
    }).catch((error: unknown) => this.options.onError?.(error));
    return this.saving;
  }

  /** The ledger committed a change (the engine says so): the backlog is still growing. */
  noteLedgerChange(): void {
    this.lastChangeAtMs = performance.now();
  }

  /** The engine started dispatching: the start-quiet clock runs from now. */
  markStarted(): void {
    this.startedAtMs = performance.now();
  }

  /** performance.now() of the last ledger change noted; before any, START_QUIET_MS after the
   * start counts as one (so a restart in the middle of a burst does not read as its end). */
  private lastChangeAtMs: number | undefined;
  private startedAtMs = performance.now();

  /** Operations whose marketplace count we have not heard yet (a TokenCountSource only): one
   * request at a time goes on them until an answer says what the bucket holds, so a restarted
   * daemon does not spend a burst its killed predecessor already spent. */
  private readonly unverified = new Set<string>();

  private probing(operation: string | undefined): boolean {
    return operation !== undefined && this.unverified.has(operation) && (this.onTheWire.get(operation) ?? 0) > 0;
  }

  /** The marketplace said `operation` has `tokens` left after one of our requests. Our bucket
   * never holds more than that, less whatever else of ours is still on its way (it may not have
   * been counted yet). When that request was the only one on the operation since it was last
   * idle, nothing can have been counted after it: the count is exact, and the bucket takes it even
   * when that is more than it held — a 429 emptied it, or it was drained for a Retry-After, and
   * the marketplace's bucket refilled meanwhile at its own (faster) rate. A restarted daemon,
   * whose buckets start full, learns from its first answer what the killed run already spent. */
  private believe(operation: string, tokens: number): void {
    const bucket = this.buckets.get(operation);
    if (!bucket) return;
    this.unverified.delete(operation);
    const inFlight = this.onTheWire.get(operation) ?? 0;
    if (inFlight <= 1 && (this.startsSinceIdle.get(operation) ?? 0) <= 1) bucket.setTo(tokens);
    else bucket.capAt(tokens - Math.max(0, inFlight - 1));
    void this.saveBudget(operation);
  }

  /** Requests on the wire per operation (grants included), and how many started since it was last idle. */
  private readonly onTheWire = new Map<string, number>();
  private readonly startsSinceIdle = new Map<string, number>();

  private wireStart(operation: string | undefined, requests = 1): void {
    if (operation === undefined) return;
    this.onTheWire.set(operation, (this.onTheWire.get(operation) ?? 0) + requests);
    this.startsSinceIdle.set(operation, (this.startsSinceIdle.get(operation) ?? 0) + requests);
  }

  private wireEnd(operation: string | undefined, requests = 1): void {
    if (operation === undefined) return;
    const left = Math.max(0, (this.onTheWire.get(operation) ?? requests) - requests);
    this.onTheWire.set(operation, left);
    if (left === 0) this.startsSinceIdle.set(operation, 0);
  }

  /** Publishes one listing's quantity; settles once the channel applied, accepted or refused it. */
  submit(key: string, update: QuantityUpdate): Promise<PushOutcome> {
    // After close nothing would ever pump this item: answer at once so shutdown cannot hang on it.
    if (this.closed) return Promise.resolve(stoppedOutcome(0));
    return new Promise((resolve) => {
      const previous = this.pending.get(key);
      if (previous) previous.resolve({ status: 'superseded', attempts: previous.attempts, path: 'single', latencyMs: 0 });
      this.pending.set(key, { key, update, attempts: 0, notBeforeMs: 0, startedMs: performance.now(), batchCap: Infinity, resolve });
      this.lastSubmitAtMs = performance.now();
      this.requestPump();
    });
  }

  /** How many listings the dispatcher should hold claims for on this channel: about what the
   * channel can take in CLAIM_WINDOW_MS. Claiming more only computes quantities that will be stale
   * by the time their turn comes, and each stale push is a second request for the same listing. */
  claimWindow(): number {
    if (this.options.unlimited) return CLAIM_WINDOW_UNLIMITED;
    const limits = this.channel.limits;
    const perPath = (['single', 'bulk', 'feed'] as const).map((path) => {
      const operation = limits.pushOperation[path];
      const rate = operation ? limits.operations[operation] : undefined;
      if (!rate) return 0;
      // A feed counts only while one could go: with its operation blocked by a Retry-After or its
      // bucket empty, the backlog goes on singles, and claiming a feed's worth would compute
      // quantities that are minutes stale by the time the singles reach them.
      if (path === 'feed') return this.feedUsable(operation!) ? Math.min(limits.feedBatchMax, CLAIM_WINDOW_FEED_MAX) : 0;
      // A per-group bulk call (TikTok: per product) may carry a single SKU: count it so, or the
      // window holds many seconds of work whose quantities are stale by the time they are sent.
      const perCall = path === 'single' || BULK_GROUP_KEYS[this.channel.name] ? 1 : limits.bulkBatchMax;
      // Calls the bucket allows in the window, each costing its requests (Etsy: a read and writes).
      return Math.ceil(((rate.ratePerSecond * CLAIM_WINDOW_MS / 1000 + rate.burst) / pushRequests(limits, path, perCall)) * perCall);
    });
    return Math.max(this.concurrency * 2, ...perPath);
  }

  /** How long the backlog has not grown: since the last ledger change when the engine notes them
   * (submits go on while singles drain a backlog, so they cannot tell the end of a burst), since
   * the last submit otherwise. */
  private msSinceGrowth(nowMonotonic: number): number {
    if (!this.options.ledgerChanges) return nowMonotonic - this.lastSubmitAtMs;
    // Scaled so that choosePath's FEED_QUIET_MS is reached LEDGER_QUIET_MS after the last change
    // (START_QUIET_MS after the start when none came yet).
    const quietFrom = this.lastChangeAtMs === undefined ? this.startedAtMs + START_QUIET_MS : this.lastChangeAtMs + LEDGER_QUIET_MS;
    return nowMonotonic - quietFrom + FEED_QUIET_MS;
  }

  /** Whether a feed could be submitted soon: not blocked or being restored, a token or a grant
   * there, and not the last token held back for the end of a burst. */
  private feedUsable(operation: string): boolean {
    if (this.options.unlimited) return true;
    if (this.blockedMs(operation) > 0 || this.restoring.has(operation)) return false;
    const tokens = (this.buckets.get(operation)?.available() ?? 0) + (this.grants.has(operation) || this.capAtUnblock.has(operation) ? 1 : 0);
    if (tokens < 1) return false;
    // The last token waits for the end of the burst (choosePath): until then the backlog goes on
    // singles, and only what they can take soon is claimed — at the end, the claims made for the
    // feed are computed after the last change.
    return tokens >= 2 || this.msSinceGrowth(performance.now()) >= FEED_QUIET_MS;
  }

  /** Spends a token for a non-push call (reads, order polling) so they share the same budget. */
  async call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const taken = await this.takeTokens(operation, 1, true);
    if (taken === 'closed') throw new Error(`the ${this.channel.name} scheduler stopped before ${operation} could be sent`);
    const granted = taken === 'granted';
    this.requests += 1;
    let result: T;
    this.wireStart(operation);
    try {
      await this.saveBudget(operation);
      result = await work();
    } finally {
      if (!granted) this.endOperation(operation);
      this.wireEnd(operation);
    }
    // A call answered with a 429 (a Result carrying rate_limited) blocks its operation the same way.
    const failed = result as { ok?: unknown; error?: ChannelError } | undefined;
    if (failed && typeof failed === 'object' && failed.ok === false && failed.error?.code === 'rate_limited') this.throttle(operation, failed.error.retryAfterMs);
    return result;
  }

  /** Waits until `operation` may take `requests` more: not blocked by a Retry-After or a restore,
   * not probing, and the tokens there (or, where `grantAllowed`, the one request a Retry-After
   * invited). 'closed' when the scheduler stopped first. Shared by non-push calls and by pushes
   * taking tokens again for requests they held back (acquireTokens). */
  private async takeTokens(operation: string, requests: number, grantAllowed: boolean): Promise<'granted' | 'counted' | 'closed'> {
    for (;;) {
      if (this.closed) return 'closed';
      if (this.operationOpen(operation) && !this.probing(operation)) {
        // A grant is the request a Retry-After invited, outside the bucket; otherwise tokens.
        if (grantAllowed && this.takeGrant(operation)) return 'granted';
        if (this.startOperation(operation, requests)) return 'counted';
      }
      const wait = Math.max(this.blockedMs(operation), this.options.unlimited ? 0 : this.buckets.get(operation)?.waitMs(requests) ?? 0, CALL_RETRY_MS_MIN);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Milliseconds until `operation` may be sent again (0: now). */
  blockedMs(operation: string | undefined): number {
    const until = Math.max(this.blockedUntilMs, operation === undefined ? 0 : this.operationBlockedUntilMs.get(operation) ?? 0);
    return Math.max(0, until - Date.now());
  }

  /** The marketplace refused `operation` with a 429: nothing more on it before the Retry-After, and
   * our bucket for it believes the marketplace's: empty now, refilling from now (see
   * operationOpen for what it holds when the Retry-After ends, and the grant). Without an
   * operation (a connector that cannot say) the whole channel waits. */
  throttle(operation: string | undefined, retryAfterMs: number | undefined): void {
    const untilMs = Date.now() + Math.max(1, retryAfterMs ?? 1_000);
    if (operation === undefined) return this.blockUntil(untilMs);
    this.operationBlockedUntilMs.set(operation, Math.max(this.operationBlockedUntilMs.get(operation) ?? 0, untilMs));
    const bucket = this.options.unlimited ? undefined : this.buckets.get(operation);
    if (!bucket) return;
    drainTo(bucket, 0);
    // Requests of ours still on their way may land after the 429 and spend what the marketplace
    // refills meanwhile: they are taken off the refill when the block ends — all that were on the
    // wire at the first 429, less those refused with a 429 themselves since (nothing is sent on a
    // blocked operation, so each later 429 is one of them, and a refused request spent nothing).
    const owed = this.capAtUnblock.get(operation);
    this.capAtUnblock.set(operation, owed === undefined ? this.onTheWire.get(operation) ?? 0 : Math.max(0, owed - 1));
    void this.saveBudget(operation);
  }

  /** Operations whose bucket is settled once their block ends (throttle), with the requests that
   * were on the wire when the 429 came. */
  private readonly capAtUnblock = new Map<string, number>();
  /** Operations allowed one request outside their bucket: the one a Retry-After invites. */
  private readonly grants = new Set<string>();

  /** Whether `operation` may be sent now. When a block just ended, the bucket holds what it
   * refilled since the 429 emptied it — at 0.95 of the documented rate, while the marketplace's own
   * bucket, empty at the 429, refilled at the full rate — less the requests of ours that were
   * still on their way then; when that is less than a token, the one request the Retry-After
   * invited goes on a grant (for an operation refilled a token every few minutes, the difference
   * between one feed now and none for six minutes). A Retry-After of a few seconds on a fast
   * operation so leaves more than one token: the burst the marketplace refilled meanwhile is used
   * instead of restarting from empty after every 429 of a fault storm (B7). */
  private operationOpen(operation: string | undefined): boolean {
    if (this.blockedMs(operation) > 0) return false;
    if (operation !== undefined && this.restoring.has(operation)) return false;
    const onTheWireAt429 = operation === undefined ? undefined : this.capAtUnblock.get(operation);
    if (operation !== undefined && onTheWireAt429 !== undefined) {
      this.capAtUnblock.delete(operation);
      const bucket = this.buckets.get(operation);
      if (bucket) bucket.capAt(bucket.available() - onTheWireAt429);
      if (!bucket || bucket.available() < 1) this.grants.add(operation);
    }
    return true;
  }

  /** Spends the grant a Retry-After left on `operation`, if there is one. */
  private takeGrant(operation: string | undefined): boolean {
    return operation !== undefined && !this.options.unlimited && this.grants.delete(operation);
  }

  private startOperation(operation: string, requests = 1): boolean {
    if (this.options.unlimited) return true;
    const bucket = this.buckets.get(operation);
    return !bucket || bucket.startRequest(requests).taken;
  }

  private endOperation(operation: string, requests = 1): void {
    if (!this.options.unlimited) this.buckets.get(operation)?.finishRequest(requests);
  }

  /** Blocks every request to the channel until then (a 429's Retry-After). */
  blockUntil(atMs: number): void {
    this.blockedUntilMs = Math.max(this.blockedUntilMs, atMs);
  }

  stats(): SchedulerStats {
    const headroom: Record<string, number> = {};
    for (const [operation, bucket] of this.buckets) headroom[operation] = Math.floor(bucket.available());
    // Blocked: until some push path may send again.
    const pushBlocked = Object.values(this.channel.limits.pushOperation).map((operation) => this.blockedMs(operation));
    const blockedForMs = pushBlocked.length > 0 ? Math.min(...pushBlocked) : this.blockedMs(undefined);
    return { pending: this.pending.size, inFlight: this.inFlight, requests: this.requests, throttled: this.throttled, blockedForMs, headroom };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const item of this.pending.values()) item.resolve(stoppedOutcome(item.attempts));
    this.pending.clear();
  }

  private wakeAt(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAtMs <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAtMs = at;
    this.timer = setTimeout(() => { this.timer = undefined; this.timerAtMs = Infinity; this.requestPump(); }, Math.max(0, delayMs));
  }

  private pumpQueued = false;

  /** Pumps once the current turn's I/O is done: every answer already read in this turn (a 429
   * among them) is settled first, so a slot freed by one answer cannot send a request ahead of the
   * Retry-After another answer of the same turn carries — on a busy loop several answers are read
   * together, and the storm bench saw requests leave 44–105 ms after a 429 had arrived unread. Many
   * submissions in one turn also cost one pass over the pending set instead of one each. */
  private requestPump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.pending.size > 0) {
      const now = Date.now();
      if (this.blockedUntilMs > now) return this.wakeAt(this.blockedUntilMs - now);
      if (this.dailyHoldUntilMs > now) return this.wakeAt(this.dailyHoldUntilMs - now);
      const ready: Item[] = [];
      let earliest = Infinity;
      for (const item of this.pending.values()) {
        // A newer quantity for a listing whose push is still on the wire waits for that push to
        // settle: one push in flight per (channel, SKU), so an older one can never land last (I6).
        if (this.sending.has(item.key)) continue;
        if (item.notBeforeMs <= now) ready.push(item);
        else earliest = Math.min(earliest, item.notBeforeMs);
      }
      // Nothing ready and nothing timed: whatever waits, waits for a push to settle, which pumps.
      if (ready.length === 0) return earliest === Infinity ? undefined : this.wakeAt(earliest - now);
      // Paths whose operation a 429 blocked are left out: the backlog takes another if it can.
      const blocked = new Set<PushPath>();
      for (const path of ['single', 'bulk', 'feed'] as const) {
        const pathOperation = this.channel.limits.pushOperation[path];
        if (pathOperation !== undefined && !this.operationOpen(pathOperation)) blocked.add(path);
      }
      const feedOperation = this.channel.limits.pushOperation.feed;
      const feedTokens = feedOperation && !this.options.unlimited ? (this.buckets.get(feedOperation)?.available() ?? 0) + (this.grants.has(feedOperation) ? 1 : 0) : 1;
      const nowMonotonic = performance.now();
      const pacing = this.options.unlimited ? undefined : { msSinceFeed: nowMonotonic - this.lastFeedAtMs, msSinceSubmit: this.msSinceGrowth(nowMonotonic) - (this.options.ledgerChanges ? FEED_CLAIM_LEAD_MS : 0) };
      let plan = choosePath(this.channel.limits, ready.length, feedTokens, pacing, blocked);
      // A hold for the daily budget ended without an answer lifting it: one listing probes, and
      // the hold starts again (its answer lifts it if the window gave budget back).
      const probingDaily = this.dailyHoldUntilMs !== 0;
      if (probingDaily) plan = { path: this.channel.limits.pushOperation.single ? 'single' : plan.path, batchSize: 1 };
      if (plan.feedInMs !== undefined) this.wakeAt(plan.feedInMs);
      const operation = this.channel.limits.pushOperation[plan.path];
      // Every path the backlog could take is blocked: wait for the first block to end.
      if (operation !== undefined && blocked.has(plan.path)) return this.wakeAt(this.blockedMs(operation));
      // The first request on an operation whose count we have not heard yet goes alone: its answer pumps.
      if (this.probing(operation)) return;
      // A push under way waits for tokens (acquireTokens): it has them first; it pumps when done.
      if (operation !== undefined && this.acquiring.has(operation)) return;
      const bucket = operation && !this.options.unlimited ? this.buckets.get(operation) : undefined;
      const batch = batchFor(ready, plan.path === 'bulk' ? BULK_GROUP_KEYS[this.channel.name] : undefined, plan.batchSize, plan.path === 'bulk');
      // The requests the push makes, each a token (one, but for Etsy's read and writes).
      let cost = pushRequests(this.channel.limits, plan.path, batch.length);
      if (this.dailyLeft !== undefined && !probingDaily) {
        // Only what lies above the daily reserve: a smaller batch, or none until an answer says more.
        const room = this.dailyLeft - this.dailyReserve;
        while (cost > room && batch.length > 1) cost = pushRequests(this.channel.limits, plan.path, (batch.pop(), batch.length));
        if (cost > room) {
          this.dailyHoldUntilMs = now + (this.options.dailyProbeMs ?? DAILY_PROBE_MS_DEFAULT);
          return this.wakeAt(this.dailyHoldUntilMs - now);
        }
      }
      // The tokens stay counted until the push is answered (TokenBucket.startRequest): a push held
      // up on its way can land together with later ones and still not overfill the marketplace's
      // bucket. The connector is called in the same turn of the event loop (the work queue starts a
      // job synchronously when a slot is free, as inFlight guarantees). A Retry-After's grant is
      // one request: a push of several waits for the bucket instead, and needs no grant.
      if (cost > 1 && operation !== undefined) this.grants.delete(operation);
      const granted = bucket !== undefined && cost === 1 && this.takeGrant(operation);
      if (bucket && !granted) {
        const taken = bucket.startRequest(cost);
        // Out of tokens: time refills them, or an answer makes room for them (it pumps).
        if (!taken.taken) return this.wakeAt(taken.retryAfterMs);
      }
      if (plan.path === 'feed') this.lastFeedAtMs = nowMonotonic;
      if (probingDaily) this.dailyHoldUntilMs = Date.now() + (this.options.dailyProbeMs ?? DAILY_PROBE_MS_DEFAULT);
      for (const item of batch) { this.pending.delete(item.key); this.sending.add(item.key); }
      this.inFlight += 1;
      this.requests += cost;
      if (this.dailyLeft !== undefined) this.dailyLeft -= cost;
      this.wireStart(operation, cost);
      void this.queue.run(() => this.send(batch, plan.path, operation, !granted, cost)).finally(() => { this.inFlight -= 1; this.requestPump(); });
    }
  }

  /** `counted`: the push holds `cost` tokens of the operation's bucket (not a grant). */
  private async send(batch: Item[], path: PushPath, operation: string | undefined, counted: boolean, cost: number): Promise<void> {
    // A scarce operation's spend is on disk before the request leaves (BudgetStore).
    await this.saveBudget(operation);
    // The last check before the request leaves: a 429 answered since the batch was planned (or a
    // block set by anyone) holds it back, unsent and without spending an attempt.
    if (this.blockedMs(operation) > 0) {
      this.wireEnd(operation, cost);
      if (operation && counted) this.endOperation(operation, cost);
      else if (operation) this.grants.add(operation);
      for (const item of batch) this.putBack(item, path, 0);
      return;
    }
    for (const item of batch) item.attempts += 1;
    let results: PushResult[] | undefined;
    // Requests of the push still counted as on their way; a connector that makes several
    // (PushProgress) settles each as it is answered, and a 429 among them blocks the operation then.
    let outstanding = cost;
    let reportedLimit = false;
    const settleRequests = (requests: number): void => {
      const settled = Math.min(outstanding, Math.max(0, requests));
      if (settled === 0) return;
      outstanding -= settled;
      if (operation && counted) this.endOperation(operation, settled);
      this.wireEnd(operation, settled);
    };
    const progress: PushProgress | undefined = cost > 1 ? {
      answered: (requests, error) => {
        settleRequests(requests);
        if (error?.code === 'rate_limited') {
          reportedLimit = true;
          this.throttle(operation, error.retryAfterMs ?? 1_000);
        }
        // Deferred (requestPump): a 429 answered in the same turn blocks its operation first.
        this.requestPump();
      },
      release: (requests) => {
        settleRequests(requests);
        this.requestPump();
      },
      acquire: async (requests) => {
        const got = await this.acquireTokens(operation, requests);
        if (got) outstanding += requests;
        return got;
      },
    } : undefined;
    try {
      try {
        results = await this.channel.pushQuantities(batch.map((item) => item.update), path, progress);
      } finally {
        // The push's requests are answered (a feed only submitted): its slot frees at once, but
        // only after a 429 among the answers has blocked its operation — pumping first would send
        // the next request inside the Retry-After that just arrived. A connector that reported
        // its answers one by one has had its 429s noted already (each once: throttle counts them).
        settleRequests(outstanding);
        if (results && !reportedLimit) this.noteRateLimits(results, operation);
        this.requestPump();
      }
      if (path === 'feed' && results.length > 0 && results.every((result) => result.status === 'accepted' && result.submissionId)) results = await this.awaitFeed(results[0]!.submissionId!, batch);
    } catch (error) {
      // A connector must not throw; if one does, treat it as a network failure of the whole batch.
      const failure: ChannelError = { code: 'network', message: `connector threw: ${error instanceof Error ? error.message : String(error)}`, retryable: true };
      results = batch.map((item) => ({ sku: item.update.listing.sku, version: item.update.version, status: 'failed', error: failure }));
    }
    const bySku = new Map(results.map((result) => [result.sku, result]));
    // A batch that hung or broke on the wire is split for its retry (per SKU in the end): its
    // listings' attempts are counted each, and one bad listing stops failing the others.
    if (path === 'bulk' && batch.length > 1 && batch.every((item) => { const error = bySku.get(item.update.listing.sku)?.error; return error !== undefined && SPLIT_ON.has(error.code); })) {
      for (const item of batch) item.batchCap = Math.max(1, Math.ceil(Math.min(item.batchCap, batch.length) / 2));
    }
    for (const item of batch) this.settle(item, bySku.get(item.update.listing.sku), path);
  }

  /** Pushes waiting in acquireTokens, by operation: the pump plans nothing new on an operation
   * while one waits, so tokens refilled go to the push that already made its first request. */
  private readonly acquiring = new Map<string, number>();

  /** Takes `requests` tokens of `operation` for a push already under way (PushProgress.acquire),
   * waiting as a non-push call does (takeTokens, the end of a Retry-After settled the same way);
   * counted on their way like a push's own. */
  private async acquireTokens(operation: string | undefined, requests: number): Promise<boolean> {
    if (operation === undefined || requests <= 0) return !this.closed;
    this.acquiring.set(operation, (this.acquiring.get(operation) ?? 0) + 1);
    try {
      if (await this.takeTokens(operation, requests, false) === 'closed') return false;
      this.wireStart(operation, requests);
      return true;
    } finally {
      const left = (this.acquiring.get(operation) ?? 1) - 1;
      if (left > 0) this.acquiring.set(operation, left);
      else this.acquiring.delete(operation);
      this.requestPump();
    }
  }

  /** Blocks the operation a 429 among a push's results came from (the push's own operation). */
  private noteRateLimits(results: readonly PushResult[], operation: string | undefined): void {
    let retryAfterMs: number | undefined;
    let limited = false;
    for (const result of results) {
      if (result.status !== 'failed' || result.error?.code !== 'rate_limited') continue;
      limited = true;
      retryAfterMs = Math.max(retryAfterMs ?? 0, result.error.retryAfterMs ?? 1_000);
    }
    if (limited) this.throttle(operation, retryAfterMs);
  }

  /** Returns an item that was not sent (or must wait) to the pending set, unless a newer update for
   * its listing arrived meanwhile. */
  private putBack(item: Item, path: PushPath, notBeforeMs: number): void {
    this.sending.delete(item.key);
    if (this.closed) return item.resolve(stoppedOutcome(item.attempts));
    if (this.pending.has(item.key)) return item.resolve({ status: 'superseded', attempts: item.attempts, path, latencyMs: 0 });
    item.notBeforeMs = notBeforeMs;
    this.pending.set(item.key, item);
  }

  /** The per-SKU outcome of a submitted feed, polled until it is processed. A feed never confirmed
   * (still unprocessed when the wait ends, or its status unreadable) fails its SKUs as retryable:
   * answered 'accepted' they would be remembered as shown, and a later change back to the same
   * quantity skipped, though the marketplace may never have applied it. The retry pushes the same
   * absolute quantities again, harmless if the feed did land meanwhile. */
  private async awaitFeed(feedId: string, batch: Item[]): Promise<PushResult[]> {
    const statusOperation = Object.keys(this.channel.limits.operations).find((name) => /^getFeed(Status)?$/.test(name));
    const waitMaxMs = this.options.feedWaitMaxMs ?? FEED_STATUS_WAIT_MAX_MS;
    const deadline = Date.now() + waitMaxMs;
    let unconfirmed: ChannelError = { code: 'timeout', message: `feed ${feedId} was accepted but not processed within ${Math.round(waitMaxMs / 1000)} s; its SKUs are pushed again`, retryable: true };
    while (Date.now() < deadline && !this.closed) {
      const status = await this.call(statusOperation ?? '', () => this.channel.getFeedStatus(feedId));
      if (status.ok && status.value.state !== 'in_progress') {
        const byKey = new Map(status.value.results.map((result) => [result.sku, result]));
        return batch.map((item) => byKey.get(item.update.listing.sku) ?? { sku: item.update.listing.sku, version: item.update.version, status: status.value.state === 'done' ? 'applied' : 'failed', ...(status.value.state === 'failed' ? { error: { code: 'server_error', message: `feed ${feedId} failed`, retryable: true } } : {}) });
      }
      if (!status.ok && !status.error.retryable) {
        unconfirmed = { code: 'invalid_response', message: `feed ${feedId} was accepted but its status cannot be read (${status.error.code}: ${status.error.message}); its SKUs are pushed again`, retryable: true };
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, FEED_STATUS_POLL_MS));
    }
    // Closed while waiting: settle answers the stopped outcome, and the listing goes back to the outbox.
    return batch.map((item) => ({ sku: item.update.listing.sku, version: item.update.version, status: 'failed', error: unconfirmed }));
  }

  private settle(item: Item, result: PushResult | undefined, path: PushPath): void {
    this.sending.delete(item.key);
    const latencyMs = Math.round(performance.now() - item.startedMs);
    if (result && result.status !== 'failed') return item.resolve({ status: result.status, attempts: item.attempts, path, latencyMs });
    const error: ChannelError = result?.error ?? { code: 'invalid_response', message: `no result for ${item.update.listing.sku}`, retryable: true };
    // The operation was blocked when the answer came in (noteRateLimits, before any pump).
    if (error.code === 'rate_limited') this.throttled += 1;
    // A 429's Retry-After binds its operation (throttle), not the listing: the retry may go out
    // sooner on another path (a blocked feed's SKUs on single calls); the block is checked at send.
    const { retryAfterMs: _blockedOperation, ...unblocked } = error;
    const decision = decideRetry(error.code === 'rate_limited' ? unblocked : error, item.attempts, (this.options.random ?? Math.random)(), this.options.attemptsMax ?? PUSH_ATTEMPTS_MAX);
    if (!decision.retry) return item.resolve({ status: 'failed', attempts: item.attempts, path, latencyMs, error });
    // A closed scheduler never pumps again: a retry queued now would never settle.
    if (this.closed) return item.resolve(stoppedOutcome(item.attempts));
    // A newer update for the same listing may have arrived meanwhile: it wins.
    if (this.pending.has(item.key)) return item.resolve({ status: 'superseded', attempts: item.attempts, path, latencyMs });
    item.notBeforeMs = Date.now() + decision.delayMs;
    this.pending.set(item.key, item);
  }
}

/** The bucket a scheduler paces an operation with: a little under the documented rate, the
 * documented burst shared between requests in flight and tokens left (TokenBucket.startRequest). */
export function schedulerBucket(limit: { ratePerSecond: number; burst: number }, nowMs?: () => number): TokenBucket {
  return new TokenBucket(limit.ratePerSecond * RATE_SAFETY_FACTOR, Math.max(1, limit.burst), nowMs);
}

/** What a push still waiting (or not yet sent) gets when the scheduler stops: retryable, so the
 * dispatcher returns the listing to the outbox instead of dead-lettering it. */
function stoppedOutcome(attempts: number): PushOutcome {
  return { status: 'failed', attempts, path: 'single', latencyMs: 0, error: { code: 'network', message: 'the scheduler stopped', retryable: true } };
}

/** The next batch: the oldest ready items, all of the first item's group when the channel's bulk
 * call is per group; never more than any item in it may go with (Item.batchCap) on a multi-SKU
 * path. */
function batchFor(ready: Item[], groupOf: ((update: QuantityUpdate) => string) | undefined, batchSize: number, capped: boolean): Item[] {
  const group = groupOf ? groupOf(ready[0]!.update) : undefined;
  const batch: Item[] = [];
  let size = batchSize;
  for (const item of ready) {
    if (batch.length >= size) break;
    if (groupOf && groupOf(item.update) !== group) continue;
    if (capped && batch.length + 1 > item.batchCap) continue;
    batch.push(item);
    if (capped) size = Math.min(size, item.batchCap);
  }
  return batch;
}

/** Takes tokens until at most `keep` are left. */
function drainTo(bucket: TokenBucket, keep: number): void {
  const extra = bucket.available() - keep;
  if (extra > 0) bucket.tryTake(extra);
}
