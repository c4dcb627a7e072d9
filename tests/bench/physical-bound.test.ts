import type { ChannelLimits } from '../../daemon/src/channels/channel.js';
import { limits as amazon } from '../../daemon/src/channels/amazon/limits.js';
import { limits as tiktok } from '../../daemon/src/channels/tiktok/limits.js';
import { limits as etsy } from '../../daemon/src/channels/etsy/limits.js';
import { physicalBoundMs, type ReleasedSku } from '../../daemon/src/bench/physical-bound.js';

/** A channel of single calls at 5 a second, burst 5: the arithmetic below is easy to follow. */
const singles: ChannelLimits = { operations: { push: { ratePerSecond: 5, burst: 5 } }, pushOperation: { single: 'push' }, bulkBatchMax: 1, feedBatchMax: 0, pageSizeMax: 100, requestBodyBytesMax: 1_000_000, quantityMax: 999 };
const atStart = (count: number, group: (index: number) => string = (index) => `S${index}`): ReleasedSku[] => Array.from({ length: count }, (_, index) => ({ releasedMs: 0, group: group(index) }));

describe('the physical bound of a burst on one channel', () => {
  test('single calls only: the SKUs beyond the burst at the documented rate (5 a second)', () => {
    expect(physicalBoundMs(singles, atStart(1000), false)).toBeCloseTo(((1000 - 5) / 5) * 1000, 0);
  });

  test('Etsy: each call costs its requests, a read per call of up to 8 listings and a write per listing, at 10 a second', () => {
    // 1,000 listings: 125 reads and 1,000 writes, less the push bucket's burst of 9, at 10 a second.
    expect(physicalBoundMs(etsy, atStart(1000), false)).toBeCloseTo(((125 + 1000 - 9) / 10) * 1000, 0);
    // 199 listings (the crash bench's): 25 reads and 199 writes.
    expect(physicalBoundMs(etsy, atStart(199), false)).toBeCloseTo(((25 + 199 - 9) / 10) * 1000, 0);
  });

  test('TikTok Shop updates inventory per product: SKUs of different products are one call each, of one product one call', () => {
    expect(physicalBoundMs(tiktok, atStart(200), true)).toBeCloseTo(((200 - 25) / 50) * 1000, 0);
    expect(physicalBoundMs(tiktok, atStart(200, () => 'one product'), true)).toBe(0);
    expect(physicalBoundMs(tiktok, atStart(200), false)).toBe(0);
  });

  test('no SKU can show its final quantity before its last change', () => {
    const skus = [...atStart(10), { releasedMs: 12_345, group: 'late' }];
    expect(physicalBoundMs(singles, skus, false)).toBe(12_345);
  });

  test('SKUs released late still need their calls after their release', () => {
    // From the start: 115 SKUs, 22 s; from the late release: 105 SKUs, 10 s + 20 s.
    const late = Array.from({ length: 105 }, (_, index) => ({ releasedMs: 10_000, group: `L${index}` }));
    expect(physicalBoundMs(singles, [...atStart(10), ...late], false)).toBeCloseTo(10_000 + ((105 - 5) / 5) * 1000, 0);
    // Early SKUs share the same bucket: 155 from the start need 30 s whatever comes later.
    expect(physicalBoundMs(singles, [...atStart(50), ...late.map((sku) => ({ ...sku, releasedMs: 1_000 }))], false)).toBeCloseTo(((155 - 5) / 5) * 1000, 0);
  });

  test('Amazon patches and feeds share the work: a thousand SKUs fit the feed burst at once', () => {
    expect(physicalBoundMs(amazon, atStart(1000), false)).toBe(0);
    const patchesOnly: ChannelLimits = { ...amazon, pushOperation: { single: 'patchListingsItem' } };
    expect(physicalBoundMs(patchesOnly, atStart(1000), false)).toBeCloseTo(((1000 - 5) / 5) * 1000, 0);
  });

  test('a SKU released later never lowers the bound', () => {
    const base = Array.from({ length: 300 }, (_, index) => ({ releasedMs: (index * 37) % 2_000, group: `G${index % 90}` }));
    const bound = physicalBoundMs(tiktok, base, true);
    for (const releasedMs of [0, 500, 1_999, 2_500]) expect(physicalBoundMs(tiktok, [...base, { releasedMs, group: 'extra' }], true)).toBeGreaterThanOrEqual(bound);
  });
});
