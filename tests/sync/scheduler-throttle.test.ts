/**
 * How the channel scheduler takes a 429 and a hung bulk batch, against a scripted in-memory
 * channel: a 429 blocks only the operation that got it (a blocked feed falls back to single
 * calls), nothing is sent on that operation before its Retry-After ends — not even by the pump
 * that runs when the 429's answer frees a slot — the local bucket is emptied by the 429 and holds
 * at most one token when the Retry-After ends, and a bulk batch that hung is split for its retry
 * so one listing that keeps hanging cannot dead-letter the other 24 with it.
 */
import { jest } from '@jest/globals';
import type { Channel, ChannelError, ChannelLimits, PushPath, PushResult, QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { ChannelScheduler, type PushOutcome } from '../../daemon/src/sync/channel-scheduler.js';

interface Sent { atMs: number; path: PushPath; skus: string[] }
type Answer = (updates: QuantityUpdate[], path: PushPath) => Promise<PushResult[]> | PushResult[];

function limitsWith(overrides: Partial<ChannelLimits>): ChannelLimits {
  return { operations: {}, pushOperation: {}, bulkBatchMax: 1, feedBatchMax: 0, pageSizeMax: 100, requestBodyBytesMax: 1_000_000, quantityMax: 99_999, ...overrides };
}

/** A channel whose pushes are answered by `answer`, every push recorded as it starts. */
function scripted(name: string, limits: ChannelLimits, answer: Answer): { channel: Channel; sent: Sent[] } {
  const sent: Sent[] = [];
  const channel = {
    name, limits,
    pushQuantities: async (updates: QuantityUpdate[], path: PushPath) => {
      sent.push({ atMs: Date.now(), path, skus: updates.map((update) => update.listing.sku) });
      return answer(updates, path);
    },
    getFeedStatus: async () => ({ ok: false, error: { code: 'unsupported', message: 'no feeds here', retryable: false } }),
  } as unknown as Channel;
  return { channel, sent };
}

const update = (sku: string, quantity = 1): QuantityUpdate => ({ listing: { sku, identifiers: {} }, quantity, version: 1 });
const applied = (updates: QuantityUpdate[]): PushResult[] => updates.map((entry) => ({ sku: entry.listing.sku, version: entry.version, status: 'applied' }));
const failedAll = (updates: QuantityUpdate[], error: ChannelError): PushResult[] => updates.map((entry) => ({ sku: entry.listing.sku, version: entry.version, status: 'failed', error }));
const limited = (retryAfterMs: number): ChannelError => ({ code: 'rate_limited', message: '429', retryable: true, retryAfterMs });

describe('the scheduler after a 429', () => {
  let scheduler: ChannelScheduler | undefined;
  afterEach(() => { scheduler?.close(); scheduler = undefined; jest.useRealTimers(); });

  test('a 429 on the feed blocks the feed only: the backlog goes on single calls meanwhile', async () => {
    // Singles at 9/s would need 40 / 9 s > 4 s for 40 SKUs: the backlog first takes a feed.
    const limits = limitsWith({ operations: { updateInventory: { ratePerSecond: 9, burst: 40 }, inventoryFeed: { ratePerSecond: 10 / 3600, burst: 10 } }, pushOperation: { single: 'updateInventory', feed: 'inventoryFeed' }, feedBatchMax: 1_000 });
    const { channel, sent } = scripted('walmart', limits, async (updates, path) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return path === 'feed' ? failedAll(updates, limited(60_000)) : applied(updates);
    });
    // One push at a time: the first SKU goes alone (the scheduler sends once the turn's I/O is
    // done), the 40 submitted while it is out make the backlog.
    scheduler = new ChannelScheduler(channel, { concurrency: 1, random: () => 0 });
    const first = scheduler.submit('k0', update('S0'));
    await new Promise((resolve) => setImmediate(resolve));
    const outcomes = Promise.all([first, ...Array.from({ length: 40 }, (_, index) => scheduler!.submit(`k${index + 1}`, update(`S${index + 1}`)))]);
    const settled = await Promise.race([outcomes, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000))]);
    expect(sent[1]?.path).toBe('feed');
    expect(sent[1]?.skus).toHaveLength(40);
    expect(settled?.map((outcome) => `${outcome.status}/${outcome.path}`)).toEqual(Array.from({ length: 41 }, () => 'applied/single'));
    // The feed's Retry-After (60 s) is still running: no second feed.
    expect(sent.filter((push) => push.path === 'feed')).toHaveLength(1);
    expect(scheduler.blockedMs('inventoryFeed')).toBeGreaterThan(50_000);
    expect(scheduler.blockedMs('updateInventory')).toBe(0);
  });

  test('the pump run by the 429 answer itself sends nothing inside its Retry-After', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    // B fails at once and its retry comes due at the very moment A's answer, a 429, comes in: the
    // slot A's answer frees must not carry B out before the 429 has blocked the operation.
    const retryMs = 125; // the first retry's backoff with a random draw of 0
    const limits = limitsWith({ operations: { updateInventory: { ratePerSecond: 10, burst: 10 } }, pushOperation: { single: 'updateInventory' } });
    let bFailed = false;
    const { channel, sent } = scripted('etsy', limits, (updates) => {
      if (updates[0]!.listing.sku === 'A') return new Promise((resolve) => setTimeout(() => resolve(failedAll(updates, limited(1_000))), retryMs));
      if (bFailed) return applied(updates);
      bFailed = true;
      return failedAll(updates, { code: 'server_error', message: '503', retryable: true });
    });
    scheduler = new ChannelScheduler(channel, { concurrency: 2, unlimited: true, random: () => 0 });
    const a = scheduler.submit('a', update('A'));
    const b = scheduler.submit('b', update('B'));
    await jest.advanceTimersByTimeAsync(retryMs);
    const limitedAtMs = Date.now();
    await jest.advanceTimersByTimeAsync(3_000);
    expect((await b).status).toBe('applied');
    const afterLimit = sent.filter((push) => push.atMs >= limitedAtMs);
    expect(afterLimit.length).toBeGreaterThan(0);
    expect(afterLimit.filter((push) => push.atMs < limitedAtMs + 1_000)).toEqual([]);
    scheduler.close();
    await a;
  });

  test('a 429 empties the local bucket: one request when the Retry-After ends, then the documented rate', async () => {
    const limits = limitsWith({ operations: { updateInventory: { ratePerSecond: 2, burst: 10 } }, pushOperation: { single: 'updateInventory' } });
    let first = true;
    const { channel, sent } = scripted('etsy', limits, (updates) => {
      if (!first) return applied(updates);
      first = false;
      return failedAll(updates, limited(400));
    });
    scheduler = new ChannelScheduler(channel, { random: () => 0 });
    const refused = scheduler.submit('a', update('A'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(scheduler.stats().headroom.updateInventory).toBe(0);
    await refused;
    const resumedAtMs = sent[1]!.atMs;
    expect(resumedAtMs - sent[0]!.atMs).toBeGreaterThanOrEqual(400);
    // The request the Retry-After invited goes at its end, not a refill interval (~526 ms) later.
    expect(resumedAtMs - sent[0]!.atMs).toBeLessThan(700);
    // Ten more right after the Retry-After: one token, then the documented rate (not a full burst).
    const more = Array.from({ length: 10 }, (_, index) => scheduler!.submit(`m${index}`, update(`M${index}`)));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.filter((push) => push.atMs > resumedAtMs).length).toBeLessThanOrEqual(2);
    await Promise.all(more);
  });
});

describe('answers read in the same turn', () => {
  test('a slot freed by one answer sends nothing before the 429 another answer of that turn carries', async () => {
    const limits = limitsWith({ operations: { updateInventory: { ratePerSecond: 100, burst: 100 } }, pushOperation: { single: 'updateInventory' } });
    // A and B are answered together (one busy turn of the event loop reads both sockets): B's
    // success first, then A's 429 with a Retry-After of 300 ms. C waits for a free slot.
    const answers = new Map<string, (results: PushResult[]) => void>();
    const { channel, sent } = scripted('tiktok', limits, (updates) => new Promise<PushResult[]>((resolve) => answers.set(updates[0]!.listing.sku, resolve)));
    const scheduler = new ChannelScheduler(channel, { concurrency: 2, random: () => 0 });
    try {
      const a = scheduler.submit('A', update('A'));
      const b = scheduler.submit('B', update('B'));
      await new Promise((resolve) => setImmediate(resolve));
      const c = scheduler.submit('C', update('C'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sent.map((push) => push.skus[0])).toEqual(['A', 'B']);
      answers.get('B')!(applied([update('B')]));
      answers.get('A')!(failedAll([update('A')], limited(300)));
      const answeredAtMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Inside the Retry-After nothing more left: neither C nor A's retry.
      expect(sent.map((push) => push.skus[0])).toEqual(['A', 'B']);
      setTimeout(() => { for (const [sku, resolve] of answers) if (sku !== 'A' && sku !== 'B') resolve(applied([update(sku)])); }, 400);
      const later = setInterval(() => { for (const [sku, resolve] of answers) if (sku !== 'B') resolve(applied([update(sku)])); }, 50);
      await Promise.all([a, b, c]);
      clearInterval(later);
      for (const push of sent.slice(2)) expect(push.atMs - answeredAtMs).toBeGreaterThanOrEqual(290);
    } finally {
      scheduler.close();
    }
  });
});

describe('the scheduler after a hung bulk batch', () => {
  test('the batch is split for its retry: one listing that keeps hanging is dead-lettered alone', async () => {
    const limits = limitsWith({ operations: { bulkUpdate: { ratePerSecond: 100, burst: 100 } }, pushOperation: { single: 'bulkUpdate', bulk: 'bulkUpdate' }, bulkBatchMax: 25 });
    const hang: ChannelError = { code: 'timeout', message: 'no answer within 10000 ms', retryable: true };
    const { channel, sent } = scripted('ebay', limits, async (updates) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return updates.some((entry) => entry.listing.sku === 'BAD') ? failedAll(updates, hang) : applied(updates);
    });
    // One push at a time: FIRST goes alone, the 25 submitted while it is out go as one bulk batch.
    const scheduler = new ChannelScheduler(channel, { concurrency: 1, random: () => 0 });
    try {
      const first = scheduler.submit('FIRST', update('FIRST'));
      await new Promise((resolve) => setImmediate(resolve));
      const outcomes: PushOutcome[] = await Promise.all([first, ...['BAD', ...Array.from({ length: 24 }, (_, index) => `S${index}`)].map((sku) => scheduler.submit(sku, update(sku)))]);
      expect(outcomes[1]).toMatchObject({ status: 'failed', attempts: 6 });
      expect(outcomes.filter((outcome) => outcome.status === 'applied')).toHaveLength(25);
      expect(Math.max(...outcomes.map((outcome) => outcome.attempts))).toBeLessThanOrEqual(6);
      expect(sent[1]!.skus).toHaveLength(25);
      // Every later batch holding BAD is at most half the one before it.
      const withBad = sent.filter((push) => push.skus.includes('BAD')).map((push) => push.skus.length);
      expect(withBad[0]).toBe(25);
      expect(withBad).toHaveLength(6);
      for (let index = 1; index < withBad.length; index += 1) expect(withBad[index]).toBeLessThanOrEqual(Math.ceil(withBad[index - 1]! / 2));
    } finally {
      scheduler.close();
    }
  }, 15_000);
});

describe('non-push calls (reads, order polling)', () => {
  test('each call gives its slot back: many more calls than the burst all complete at the documented rate', async () => {
    // A read that never gave its slot back left the bucket full of requests "on the way" and the
    // next read waiting forever (reconciliation hung after its first few pages).
    const limits = limitsWith({ operations: { getInventory: { ratePerSecond: 50, burst: 2 } }, pushOperation: { single: 'getInventory' } });
    const { channel } = scripted('walmart', limits, applied);
    const scheduler = new ChannelScheduler(channel, { concurrency: 1, random: () => 0 });
    try {
      const started = Date.now();
      let answered = 0;
      for (let index = 0; index < 12; index += 1) {
        await scheduler.call('getInventory', async () => { answered += 1; return { ok: true, value: index }; });
      }
      expect(answered).toBe(12);
      // 2 at once, then 10 more at 50 a second: about 200 ms, far from a hang.
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      scheduler.close();
    }
  }, 10_000);
});
