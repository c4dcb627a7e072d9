/**
 * A token bucket on an injected clock: the sandboxes use it to refuse requests above a
 * marketplace's documented rate, and the daemon's schedulers use the same class to stay below it.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAtMs: number;
  /** Requests started with startRequest and not finished yet: the bucket never holds more than
   * burst minus these, so what is on the way plus what may still be sent stays within the burst. */
  private inFlight = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new Error(`token bucket needs rate > 0 and burst >= 1, got ${ratePerSecond}/${burst}`);
    this.tokens = burst;
    this.refilledAtMs = nowMs();
  }

  private refill(): void {
    const now = this.nowMs();
    const elapsedMs = Math.max(0, now - this.refilledAtMs);
    this.tokens = Math.min(this.burst - this.inFlight, this.tokens + (elapsedMs * this.ratePerSecond) / 1000);
    this.refilledAtMs = now;
  }

  /**
   * Takes a token for a request that stays counted until finishRequest. A request held up on its
   * way may reach the other side together with requests sent after it; since tokens plus requests
   * in flight never exceed the burst, and a finished request gives no token back (only time
   * does), any window there sees at most burst + rate × window of them, however late they land.
   */
  startRequest(count = 1): { taken: true; remaining: number } | { taken: false; retryAfterMs: number; remaining: number } {
    // More than the burst could never be taken: waiting for it would wait forever.
    if (count > this.burst) throw new Error(`a request of ${count} tokens cannot fit a bucket of ${this.burst}`);
    const taken = this.tryTake(count);
    if (taken.taken) this.inFlight += count;
    return taken;
  }

  /** Ends what startRequest(count) began: the tokens stop counting as on the way (none come back). */
  finishRequest(count = 1): void {
    this.refill();
    this.inFlight = Math.max(0, this.inFlight - count);
  }

  /** Tokens of the requests started with startRequest and not finished yet. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Holds at most `tokens` from now (what the other side says it has left); never adds any. */
  capAt(tokens: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, Math.max(0, tokens));
  }

  /** Holds exactly `tokens` from now, within the burst less what is in flight: for an answer
   * known to count every request sent so far (nothing else on its way). */
  setTo(tokens: number): void {
    this.refill();
    this.tokens = Math.max(0, Math.min(this.burst - this.inFlight, tokens));
  }

  /** Takes a token when one is there; otherwise says how long until one will be. */
  tryTake(count = 1): { taken: true; remaining: number } | { taken: false; retryAfterMs: number; remaining: number } {
    this.refill();
    if (this.tokens >= count) {
      this.tokens -= count;
      return { taken: true, remaining: Math.floor(this.tokens) };
    }
    const retryAfterMs = Math.ceil(((count - this.tokens) * 1000) / this.ratePerSecond);
    return { taken: false, retryAfterMs, remaining: Math.floor(this.tokens) };
  }

  /** Milliseconds until `count` tokens are available (0 when they are now). */
  waitMs(count = 1): number {
    this.refill();
    return this.tokens >= count ? 0 : Math.ceil(((count - this.tokens) * 1000) / this.ratePerSecond);
  }

  available(): number {
    this.refill();
    return this.tokens;
  }
}
