/**
 * Official figures under the marketplaces' quotas: eBay allows getSellerStandardsProfile 100 calls
 * a day and getCustomerServiceMetric 400, Walmart one performance summary a minute, and the admin
 * screen asks for the standing far more often than that. A cached reader calls the marketplace at
 * most once per interval and answers with its last result in between; a failure is kept for a
 * shorter time, so a 429 is not hammered and a passing fault soon clears.
 */
import type { OfficialReader } from './metrics-service.js';

/** The daemon's metrics check runs every 15 minutes; fresher figures than that are not needed. */
export const OFFICIAL_READ_INTERVAL_MS = 15 * 60_000;
export const OFFICIAL_RETRY_AFTER_FAILURE_MS = 60_000;

export interface CacheOptions {
  intervalMs?: number;
  failureIntervalMs?: number;
  nowMs?: () => number;
}

export function cachedOfficialReader(read: OfficialReader, options: CacheOptions = {}): OfficialReader {
  const intervalMs = options.intervalMs ?? OFFICIAL_READ_INTERVAL_MS;
  const failureIntervalMs = options.failureIntervalMs ?? OFFICIAL_RETRY_AFTER_FAILURE_MS;
  const nowMs = options.nowMs ?? Date.now;
  let last: { atMs: number; result: Awaited<ReturnType<OfficialReader>> } | undefined;
  let pending: ReturnType<OfficialReader> | undefined;
  return () => {
    if (last && nowMs() - last.atMs < (last.result.ok ? intervalMs : failureIntervalMs)) return Promise.resolve(last.result);
    // Concurrent callers share the one call in flight.
    pending ??= read().then((result) => { last = { atMs: nowMs(), result }; return result; }).finally(() => { pending = undefined; });
    return pending;
  };
}
