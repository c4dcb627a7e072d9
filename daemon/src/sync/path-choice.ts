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

/** Feeds are spent at most this often while the backlog keeps growing, keeping the last token for
 * the end of a burst: a feed spent early carries quantities that later changes make stale. */
export const FEED_SPACING_MS = 2_000;
/** A backlog that received nothing new for this long is the end of a burst: worth the last feed. */
export const FEED_QUIET_MS = 300;

export interface PathPlan {
  path: PushPath;
  batchSize: number;
  /** A feed would be worth it but is held back by the pacing: ask again in this many ms. */
  feedInMs?: number;
}

/** When the last feed went out and when the backlog last grew; absent, feeds are not paced. */
export interface FeedPacing {
  msSinceFeed: number;
  msSinceSubmit: number;
}

/** `blocked`: paths whose operation a 429 blocked; the plan avoids them while another path can
 * carry the backlog (a blocked feed falls back to bulk or single calls). When every path is
 * blocked the plan names a blocked one, and the caller waits for its block to end. */
export function choosePath(limits: ChannelLimits, readyCount: number, feedTokens: number, pacing?: FeedPacing, blocked: ReadonlySet<PushPath> = new Set()): PathPlan {
  const single = limits.pushOperation.single;
  const singleRate = single ? limits.operations[single]?.ratePerSecond ?? 1 : 0;
  let feedInMs: number | undefined;
  if (limits.pushOperation.feed && !blocked.has('feed') && limits.feedBatchMax > 0 && feedTokens >= 1 && readyCount >= FEED_SKUS_MIN) {
    const singlesMs = singleRate > 0 ? (readyCount / (singleRate * Math.max(1, limits.bulkBatchMax))) * 1000 : Infinity;
    if (singlesMs > FEED_WORTH_SINGLES_MS) {
      const spaced = !pacing || (feedTokens >= 2 && pacing.msSinceFeed >= FEED_SPACING_MS);
      if (spaced || pacing.msSinceSubmit >= FEED_QUIET_MS) return { path: 'feed', batchSize: Math.min(readyCount, limits.feedBatchMax) };
      feedInMs = Math.max(1, Math.min(FEED_QUIET_MS - pacing.msSinceSubmit, feedTokens >= 2 ? FEED_SPACING_MS - pacing.msSinceFeed : Infinity));
    }
  }
  const plan = chooseSynchronousPath(limits, readyCount, single, blocked) ?? chooseSynchronousPath(limits, readyCount, single, new Set());
  return feedInMs === undefined ? plan! : { ...plan!, feedInMs };
}

function chooseSynchronousPath(limits: ChannelLimits, readyCount: number, single: string | undefined, blocked: ReadonlySet<PushPath>): PathPlan | undefined {
  if (limits.pushOperation.bulk && !blocked.has('bulk') && limits.bulkBatchMax > 1 && readyCount > 1) return { path: 'bulk', batchSize: Math.min(readyCount, limits.bulkBatchMax) };
  if (single && !blocked.has('single')) return { path: 'single', batchSize: 1 };
  if (limits.pushOperation.bulk && !blocked.has('bulk')) return { path: 'bulk', batchSize: Math.min(readyCount, limits.bulkBatchMax) };
  // A feed token is not spent to get round a short block of the synchronous path.
  if (blocked.size === 0) return { path: 'feed', batchSize: Math.min(readyCount, Math.max(1, limits.feedBatchMax)) };
  return undefined;
}
