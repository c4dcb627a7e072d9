/**
 * A feed the marketplace accepted but never processed must not count as shown. Answered
 * 'accepted', its SKUs would be remembered with the feed's quantities and a later change back to
 * the same quantity skipped, though the marketplace may never have applied it; only a
 * reconciliation would find out. Against the real Amazon sandbox over HTTP, whose feeds stay
 * IN_PROGRESS for a minute here: when the wait for the processing report ends, the feed's SKUs
 * fail as retryable, and the retry pushes them again.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { ChannelScheduler } from '../../daemon/src/sync/channel-scheduler.js';

const SKUS = Array.from({ length: 30 }, (_, index) => `SLOWFEED-${String(index).padStart(2, '0')}`);

describe('a feed never confirmed', () => {
  let fleet: SandboxFleet;
  const identifiers = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    fleet = await startSandboxFleet(['amazon'], { asyncDelayMs: 60_000, rateLimits: 'unlimited' });
    const seeded = await fleet.call<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>('amazon', 'POST', '/listings', { listings: SKUS.map((sku) => ({ sku, quantity: 1 })) });
    for (const listing of seeded.listings) identifiers.set(listing.sku, listing.identifiers);
    expect((await fleet.get('amazon').channel.authenticate()).ok).toBe(true);
  });
  afterAll(() => fleet.close());

  test('fails its SKUs as retryable when the wait ends, instead of answering them accepted', async () => {
    // Unlimited: the backlog takes a feed at once (no pacing), and the wait is cut to 1.5 s.
    const scheduler = new ChannelScheduler(fleet.get('amazon').channel, { unlimited: true, feedWaitMaxMs: 1_500, attemptsMax: 1 });
    const update = (sku: string): QuantityUpdate => ({ listing: { sku, identifiers: identifiers.get(sku)! }, quantity: 7, version: 1 });
    try {
      const outcomes = await Promise.all(SKUS.map((sku) => scheduler.submit(sku, update(sku))));
      expect(outcomes.map((outcome) => outcome.path)).toEqual(SKUS.map(() => 'feed'));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(SKUS.map(() => 'failed'));
      expect(outcomes[0]!.error).toMatchObject({ code: 'timeout', retryable: true });
      expect(outcomes[0]!.error!.message).toMatch(/was accepted but not processed within 2 s; its SKUs are pushed again/);
    } finally {
      scheduler.close();
    }
    // The feed was submitted once, and its status polled until the wait ended.
    const requests = fleet.get('amazon').sandbox.requests;
    expect(requests.filter((request) => request.method === 'POST' && request.path === '/feeds/2021-06-30/feeds')).toHaveLength(1);
    expect(requests.filter((request) => request.method === 'GET' && request.path.startsWith('/feeds/2021-06-30/feeds/')).length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
