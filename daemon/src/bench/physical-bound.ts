/**
 * The least time a channel could take to show the final quantity of every SKU of a burst, by its
 * documented rates, bursts and batch sizes: pure, the yardstick of `bench burst`.
 *
 * No schedule can push a SKU's final quantity before its last change (its release), so for every
 * k the SKUs released at or after the k-th release need, from that moment, enough calls to carry
 * them, starting with at most a full bucket on each operation. The bound is the largest such
 * "release + time for the calls still needed" over k, which also covers the burst itself (the
 * last release). Calls are counted as the channel makes them: one SKU per single call, up to
 * bulkBatchMax per bulk call but only SKUs of one group where the bulk call is per group (TikTok
 * Shop's inventory update is per product), up to feedBatchMax per feed; each call costs the
 * requests it makes (Etsy: a read per call and a write per listing). Operations whose tokens
 * could be spent side by side (Amazon's patches and feeds) share the work.
 */
import { pushRequests, type ChannelLimits, type PushPath } from '../channels/channel.js';

export interface ReleasedSku {
  /** When the SKU's last change was committed, in ms from the start of the burst. */
  releasedMs: number;
  /** The bulk group (TikTok's product id); the SKU itself where the channel has no groups. */
  group: string;
}

const PATHS: PushPath[] = ['single', 'bulk', 'feed'];
const SEARCH_STEPS = 50;

/** `calls`: the tokens (requests) the work needs on the operation. */
interface OperationWork { ratePerSecond: number; burst: number; calls: number }

export function physicalBoundMs(limits: ChannelLimits, skus: readonly ReleasedSku[], bulkIsPerGroup: boolean): number {
  if (skus.length === 0) return 0;
  const sorted = [...skus].sort((a, b) => a.releasedMs - b.releasedMs);
  const perGroup = new Map<string, number>();
  let groupCalls = 0;
  let bound = 0;
  // From the last release backwards, so the suffix and its per-group call count grow by one SKU.
  for (let index = sorted.length - 1; index >= 0; index -= 1) {
    const sku = sorted[index]!;
    const inGroup = (perGroup.get(sku.group) ?? 0) + 1;
    perGroup.set(sku.group, inGroup);
    if ((inGroup - 1) % Math.max(1, limits.bulkBatchMax) === 0) groupCalls += 1;
    const count = sorted.length - index;
    bound = Math.max(bound, sku.releasedMs + timeForMs(limits, count, bulkIsPerGroup ? groupCalls : Math.ceil(count / Math.max(1, limits.bulkBatchMax))));
  }
  return bound;
}

/** Least time to make the calls `count` SKUs need, all operations' buckets full at the start. */
function timeForMs(limits: ChannelLimits, count: number, bulkCalls: number): number {
  const byOperation = new Map<string, OperationWork>();
  for (const path of PATHS) {
    const operation = limits.pushOperation[path];
    const rate = operation ? limits.operations[operation] : undefined;
    if (!operation || !rate) continue;
    const calls = path === 'single' ? count * pushRequests(limits, 'single', 1)
      : path === 'bulk' ? bulkCalls * pushRequests(limits, 'bulk', 0) + (pushRequests(limits, 'bulk', 1) - pushRequests(limits, 'bulk', 0)) * count
        : Math.ceil(count / Math.max(1, limits.feedBatchMax));
    const known = byOperation.get(operation);
    if (!known || calls < known.calls) byOperation.set(operation, { ratePerSecond: rate.ratePerSecond, burst: rate.burst, calls });
  }
  const work = [...byOperation.values()];
  if (work.length === 0) return Infinity;
  const covered = (seconds: number) => work.reduce((sum, entry) => sum + Math.min(1, (entry.burst + entry.ratePerSecond * seconds) / entry.calls), 0) >= 1;
  if (covered(0)) return 0;
  let low = 0;
  let high = Math.min(...work.map((entry) => entry.calls / entry.ratePerSecond));
  for (let step = 0; step < SEARCH_STEPS; step += 1) {
    const middle = (low + high) / 2;
    if (covered(middle)) high = middle;
    else low = middle;
  }
  return high * 1000;
}
