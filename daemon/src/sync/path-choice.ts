/**
 * Which push path a channel's backlog should take: pure. Singles keep latency lowest for a few
 * SKUs; bulk calls carry up to bulkBatchMax SKUs each; a feed takes a large burst in one request
 * on channels whose single path is slow (Amazon 5/s, Walmart ~3/s) but whose feed tokens are few,
 * so a feed is only spent on a backlog that singles could not clear quickly.
 */
import type { ChannelLimits, PushPath } from '../channels/channel.js';

/** A feed is worth its scarce token only when singles would need longer than this. */
export const FEED_WORTH_SINGLES_MS = 4_000;
/** Never submit a feed for fewer SKUs than this. */
export const FEED_SKUS_MIN = 20;

export interface PathPlan {
  path: PushPath;
  batchSize: number;
}

export function choosePath(limits: ChannelLimits, readyCount: number, feedTokens: number): PathPlan {
  const single = limits.pushOperation.single;
  const singleRate = single ? limits.operations[single]?.ratePerSecond ?? 1 : 0;
  if (limits.pushOperation.feed && limits.feedBatchMax > 0 && feedTokens >= 1 && readyCount >= FEED_SKUS_MIN) {
    const singlesMs = singleRate > 0 ? (readyCount / (singleRate * Math.max(1, limits.bulkBatchMax))) * 1000 : Infinity;
    if (singlesMs > FEED_WORTH_SINGLES_MS) return { path: 'feed', batchSize: Math.min(readyCount, limits.feedBatchMax) };
  }
  if (limits.pushOperation.bulk && limits.bulkBatchMax > 1 && readyCount > 1) return { path: 'bulk', batchSize: Math.min(readyCount, limits.bulkBatchMax) };
  if (single) return { path: 'single', batchSize: 1 };
  if (limits.pushOperation.bulk) return { path: 'bulk', batchSize: Math.min(readyCount, limits.bulkBatchMax) };
  return { path: 'feed', batchSize: Math.min(readyCount, Math.max(1, limits.feedBatchMax)) };
}
