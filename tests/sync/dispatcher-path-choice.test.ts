import { limits as amazon } from '../../daemon/src/channels/amazon/limits.js';
import { limits as ebay } from '../../daemon/src/channels/ebay/limits.js';
import { choosePath, FEED_QUIET_MS, FEED_SPACING_MS } from '../../daemon/src/sync/path-choice.js';

describe('which push path a backlog takes', () => {
  test('a large Amazon backlog takes a feed when feeds are not paced (unlimited sandboxes)', () => {
    expect(choosePath(amazon, 500, 1)).toEqual({ path: 'feed', batchSize: 500 });
  });

  test('a small backlog stays on single calls, and eBay batches 25 a call', () => {
    expect(choosePath(amazon, 10, 14, { msSinceFeed: Infinity, msSinceSubmit: Infinity })).toEqual({ path: 'single', batchSize: 1 });
    expect(choosePath(ebay, 60, 0)).toEqual({ path: 'bulk', batchSize: 25 });
  });

  test('while the backlog keeps growing, feeds are spaced and the last token is kept', () => {
    const growing = { msSinceFeed: FEED_SPACING_MS, msSinceSubmit: 5 };
    expect(choosePath(amazon, 500, 14, growing).path).toBe('feed');
    const tooSoon = choosePath(amazon, 500, 14, { msSinceFeed: FEED_SPACING_MS - 500, msSinceSubmit: 5 });
    expect(tooSoon.path).toBe('single');
    expect(tooSoon.feedInMs).toBe(FEED_QUIET_MS - 5);
    const lastToken = choosePath(amazon, 500, 1.5, { msSinceFeed: 60_000, msSinceSubmit: 5 });
    expect(lastToken.path).toBe('single');
    expect(lastToken.feedInMs).toBe(FEED_QUIET_MS - 5);
  });

  test('once the backlog has been quiet, the last feed token carries it', () => {
    expect(choosePath(amazon, 500, 1, { msSinceFeed: 10, msSinceSubmit: FEED_QUIET_MS })).toEqual({ path: 'feed', batchSize: 500 });
  });
});
