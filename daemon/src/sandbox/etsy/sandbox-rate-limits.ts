/**
 * Etsy's per-app limits as the sandbox applies them: 10 requests a second (the kit's token bucket)
 * and 10,000 a day on a 24-hour sliding window (counted here), with the headers Etsy sends on
 * every answer (`x-limit-per-second`, `x-remaining-this-second`, `x-limit-per-day`,
 * `x-remaining-today`) and a 429 with `retry-after` when either runs out.
 */
import type { Response } from 'express';
import { ETSY_REQUESTS_PER_DAY, ETSY_REQUESTS_PER_SECOND } from '../../channels/etsy/limits.js';
import type { SandboxContext } from '../kit/sandbox-server.js';

const DAY_MS = 24 * 3_600_000;
/** The sliding day is counted in one-minute slots; finer would cost memory for no test. */
const SLOT_MS = 60_000;
/** The one kit operation every Etsy route draws from: the limit is per app, not per endpoint. */
export const ETSY_SANDBOX_OPERATION = 'openapi';

export class EtsyRateLimits {
  private readonly slots = new Map<number, number>();
  private secondStartMs = 0;
  private usedThisSecond = 0;
  /** Raised or lowered through /_sandbox/etsy/config to test the daily limit without 10,000 calls. */
  perDay = ETSY_REQUESTS_PER_DAY;

  private usedToday(nowMs: number): number {
    let used = 0;
    for (const [slot, count] of this.slots) {
      if (slot * SLOT_MS <= nowMs - DAY_MS) this.slots.delete(slot);
      else used += count;
    }
    return used;
  }

  private headers(res: Response, nowMs: number): void {
    res.setHeader('x-limit-per-second', String(ETSY_REQUESTS_PER_SECOND));
    res.setHeader('x-remaining-this-second', String(Math.max(0, ETSY_REQUESTS_PER_SECOND - this.usedThisSecond)));
    res.setHeader('x-limit-per-day', String(this.perDay));
    res.setHeader('x-remaining-today', String(Math.max(0, this.perDay - this.usedToday(nowMs))));
  }

  /** Counts the call against both windows; on refusal Etsy's 429 has been sent. */
  admit(context: SandboxContext, res: Response): boolean {
    const nowMs = context.nowMs();
    if (nowMs - this.secondStartMs >= 1000) { this.secondStartMs = nowMs; this.usedThisSecond = 0; }
    if (context.options.rateLimits === 'documented' && this.usedToday(nowMs) >= this.perDay) {
      const oldest = Math.min(...this.slots.keys()) * SLOT_MS;
      this.headers(res, nowMs);
      sendEtsyRateLimited(res, Math.max(1000, oldest + DAY_MS - nowMs));
      return false;
    }
    if (!context.admit(ETSY_SANDBOX_OPERATION, res)) return false;
    this.usedThisSecond += 1;
    const slot = Math.floor(nowMs / SLOT_MS);
    this.slots.set(slot, (this.slots.get(slot) ?? 0) + 1);
    this.headers(res, nowMs);
    return true;
  }

  reset(): void {
    this.slots.clear();
    this.usedThisSecond = 0;
  }
}

/** Etsy's 429: `retry-after` in whole seconds and an `{"error"}` body (wording not published; ours). */
export function sendEtsyRateLimited(res: Response, retryAfterMs: number): void {
  if (res.headersSent) return;
  res.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  res.setHeader('x-remaining-this-second', '0');
  res.status(429).json({ error: 'You have exceeded your rate limit. Please try again later.' });
}
