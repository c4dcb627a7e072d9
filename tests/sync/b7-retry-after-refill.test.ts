/**
 * B7: after a 429's Retry-After the scheduler sends what the marketplace's bucket refilled while it
 * waited — empty at the 429, refilled at the documented rate, of which ours counts 0.95 — rather
 * than one request and then restarting from an empty bucket after every 429 of a storm. Nothing
 * goes inside the Retry-After. Against the real Etsy sandbox over HTTP (its 429 carries
 * retry-after, and no answer says how many tokens are left, so only the refill can tell).
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { ChannelScheduler, RATE_SAFETY_FACTOR } from '../../daemon/src/sync/channel-scheduler.js';
import { limits as etsyLimits } from '../../daemon/src/channels/etsy/limits.js';

const identifiers = new Map<string, Record<string, string>>();
const update = (sku: string, quantity: number): QuantityUpdate => ({ listing: { sku, identifiers: identifiers.get(sku) ?? {} }, quantity, version: 1 });
const SKUS = Array.from({ length: 15 }, (_, index) => `R${String(index).padStart(3, '0')}`);
const RETRY_AFTER_S = 2;
const OPERATION = etsyLimits.pushOperation.single!;
/** The sandbox limits Etsy's whole API as one operation (10 QPS); a push is a read and a write there. */
const SANDBOX_OPERATION = 'openapi';

describe('the scheduler when a Retry-After ends (B7)', () => {
  let fleet: SandboxFleet;
  let scheduler: ChannelScheduler | undefined;

  beforeAll(async () => {
    fleet = await startSandboxFleet(['etsy'], { asyncDelayMs: 0, rateLimits: 'documented' });
    const seeded = await fleet.call<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>('etsy', 'POST', '/listings', { listings: SKUS.map((sku) => ({ sku, quantity: 1 })) });
    for (const listing of seeded.listings) identifiers.set(listing.sku, listing.identifiers);
  });
  afterAll(async () => {
    scheduler?.close();
    await fleet.close();
  });

  test('sends the refill of the wait at once when it ends, and nothing inside it', async () => {
    const sandbox = fleet.get('etsy').sandbox;
    // The access token first, so the injected 429 meets an inventory update.
    expect((await fleet.get('etsy').channel.authenticate()).ok).toBe(true);
    await fleet.call('etsy', 'PUT', '/faults', { rate429: 1, retryAfterSeconds: RETRY_AFTER_S });
    scheduler = new ChannelScheduler(fleet.get('etsy').channel);
    const outcomes = Promise.all(SKUS.map((sku, index) => scheduler!.submit(sku, update(sku, 10 + index))));
    const deadline = Date.now() + 5_000;
    while (!sandbox.requests.some((request) => request.status === 429 && request.operation === SANDBOX_OPERATION && !/token/.test(request.path)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await fleet.call('etsy', 'PUT', '/faults', { rate429: 0 });
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(SKUS.map(() => 'applied'));

    const pushes = sandbox.requests.filter((request) => request.operation === SANDBOX_OPERATION && !/token/.test(request.path));
    const limited = pushes.filter((request) => request.status === 429);
    expect(limited).toHaveLength(1);
    const endsMs = limited[0]!.atMs + RETRY_AFTER_S * 1000;
    expect(pushes.filter((request) => request.atMs > limited[0]!.atMs && request.atMs < endsMs)).toEqual([]);
    // What our bucket refilled in the wait, up to the burst (5 pushes): all of it right at its end,
    // where restarting from empty would send one push (a read and a write), then one every ~210 ms.
    // (The connector reads the listings of pushes sent together in one call first: the writes
    // follow the end by a few hundred milliseconds, more on a busy machine.)
    const limit = etsyLimits.operations[OPERATION]!;
    const refilled = Math.min(limit.burst, Math.floor(limit.ratePerSecond * RATE_SAFETY_FACTOR * RETRY_AFTER_S));
    expect(refilled).toBeGreaterThanOrEqual(4);
    const firstWrite = pushes.find((request) => request.method === 'PUT' && request.atMs >= endsMs)!;
    // Sent together: the first write after the end and those within 150 ms of it (one refill
    // interval of an empty bucket is ~210 ms).
    const writesAtTheEnd = pushes.filter((request) => request.method === 'PUT' && request.atMs >= firstWrite.atMs && request.atMs < firstWrite.atMs + 150);
    expect(writesAtTheEnd.length).toBeGreaterThanOrEqual(refilled - 1);
    expect(pushes.filter((request) => request.status === 429)).toHaveLength(1);
  });
});
