import type { ChannelLimits } from '../../daemon/src/channels/channel.js';
import { limits as amazon } from '../../daemon/src/channels/amazon/limits.js';
import { limits as tiktok } from '../../daemon/src/channels/tiktok/limits.js';
import { limits as etsy } from '../../daemon/src/channels/etsy/limits.js';
import { physicalBoundMs, type ReleasedSku } from '../../daemon/src/bench/physical-bound.js';

const atStart = (count: number, group: (index: number) => string = (index) => `S${index}`): ReleasedSku[] => Array.from({ length: count }, (_, index) => ({ releasedMs: 0, group: group(index) }));

describe('the physical bound of a burst on one channel', () => {
  test('single calls only: the SKUs beyond the burst at the documented rate (Etsy, 5 listings a second)', () => {
    expect(physicalBoundMs(etsy, atStart(1000), false)).toBeCloseTo(((1000 - 5) / 5) * 1000, 0);
  });

  test('TikTok Shop updates inventory per product: SKUs of different products are one call each, of one product one call', () => {
    expect(physicalBoundMs(tiktok, atStart(200), true)).toBeCloseTo(((200 - 25) / 50) * 1000, 0);
    expect(physicalBoundMs(tiktok, atStart(200, () => 'one product'), true)).toBe(0);
    expect(physicalBoundMs(tiktok, atStart(200), false)).toBe(0);
  });

  test('no SKU can show its final quantity before its last change', () => {
    const skus = [...atStart(10), { releasedMs: 12_345, group: 'late' }];
    expect(physicalBoundMs(etsy, skus, false)).toBe(12_345);
  });

  test('SKUs released late still need their calls after their release', () => {
    // From the start: 115 SKUs, 22 s; from the late release: 105 SKUs, 10 s + 20 s.
    const late = Array.from({ length: 105 }, (_, index) => ({ releasedMs: 10_000, group: `L${index}` }));
    expect(physicalBoundMs(etsy, [...atStart(10), ...late], false)).toBeCloseTo(10_000 + ((105 - 5) / 5) * 1000, 0);
    // Early SKUs share the same bucket: 155 from the start need 30 s whatever comes later.
    expect(physicalBoundMs(etsy, [...atStart(50), ...late.map((sku) => ({ ...sku, releasedMs: 1_000 }))], false)).toBeCloseTo(((155 - 5) / 5) * 1000, 0);
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
