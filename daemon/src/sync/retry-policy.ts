/**
 * When a failed push may be tried again: pure, no clock. Capped exponential backoff with full
 * jitter supplied by the caller's random draw, never earlier than the marketplace's Retry-After.
 */
import type { ChannelError } from '../channels/channel.js';

export const PUSH_ATTEMPTS_MAX = 6;
export const RETRY_BACKOFF_BASE_MS = 250;
export const RETRY_BACKOFF_CAP_MS = 30_000;

export interface RetryDecision {
  retry: boolean;
  /** Delay before the next attempt, from now. */
  delayMs: number;
}

/** `attempts` counts attempts made so far (1 after the first failure). */
export function decideRetry(error: ChannelError, attempts: number, random: number, attemptsMax = PUSH_ATTEMPTS_MAX): RetryDecision {
  if (!error.retryable || attempts >= attemptsMax) return { retry: false, delayMs: 0 };
  const ceiling = Math.min(RETRY_BACKOFF_CAP_MS, RETRY_BACKOFF_BASE_MS * 2 ** (attempts - 1));
  // Half fixed, half jitter: retries of many SKUs spread out but never collapse to zero.
  const backoff = Math.round(ceiling / 2 + (ceiling / 2) * random);
  return { retry: true, delayMs: Math.max(backoff, error.retryAfterMs ?? 0) };
}
