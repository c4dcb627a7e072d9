/**
 * Etsy's budget is per app, counted in requests, and a push is a read and a write. The scheduler
 * charges a push every request it makes (ChannelLimits.requestsPerPush) and sends a backlog on the
 * bulk path: one read for up to 8 listings, then a write per listing. Against the real Etsy
 * sandbox over HTTP with its documented limits: a backlog costs little more than a request per
 * listing (where a read and a write each cost two), the marketplace refuses nothing, and no second
 * ever sees more than the push bucket's burst plus its rate. A request of a push stops counting
 * as on its way once answered (PushProgress): one hung write does not hold the whole call's tokens.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { pushRequests, type ListingRef, type QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { ETSY_REQUESTS_PER_SECOND, limits as etsyLimits } from '../../daemon/src/channels/etsy/limits.js';
import { ChannelScheduler } from '../../daemon/src/sync/channel-scheduler.js';
import { createChannel as createEtsyChannel } from '../../daemon/src/channels/etsy/index.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/etsy/index.js';
import { startSandbox } from '../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxQuantity, seedListings, waitFor } from '../channels/conformance.js';

const SKUS = Array.from({ length: 64 }, (_, index) => `COST-${String(index).padStart(3, '0')}`);
const PUSH = etsyLimits.operations[etsyLimits.pushOperation.bulk!]!;

describe('Etsy pushes charged by the request', () => {
  let fleet: SandboxFleet;
  const identifiers = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    fleet = await startSandboxFleet(['etsy'], { asyncDelayMs: 0, rateLimits: 'documented' });
    const seeded = await fleet.call<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>('etsy', 'POST', '/listings', { listings: SKUS.map((sku) => ({ sku, quantity: 1 })) });
    for (const listing of seeded.listings) identifiers.set(listing.sku, listing.identifiers);
  });
  afterAll(() => fleet.close());

  test('the cost model: a read per call and a write per listing, the bulk call within the burst', () => {
    expect(pushRequests(etsyLimits, 'single', 1)).toBe(2);
    expect(pushRequests(etsyLimits, 'bulk', etsyLimits.bulkBatchMax)).toBe(etsyLimits.bulkBatchMax + 1);
    expect(pushRequests(etsyLimits, 'bulk', etsyLimits.bulkBatchMax)).toBeLessThanOrEqual(PUSH.burst);
    // One request of Etsy's per-app burst is left to the order poll and reconciliation reads.
    expect(PUSH.burst).toBeLessThan(ETSY_REQUESTS_PER_SECOND);
  });

  test('a backlog of 64 listings: about one request each, no 429, never above the bucket in any second', async () => {
    const sandbox = fleet.get('etsy').sandbox;
    expect((await fleet.get('etsy').channel.authenticate()).ok).toBe(true);
    const from = sandbox.requests.length;
    const scheduler = new ChannelScheduler(fleet.get('etsy').channel);
    const update = (sku: string, index: number): QuantityUpdate => ({ listing: { sku, identifiers: identifiers.get(sku)! }, quantity: 20 + index, version: 1 });
    let charged: number;
    try {
      const outcomes = await Promise.all(SKUS.map((sku, index) => scheduler.submit(sku, update(sku, index))));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(SKUS.map(() => 'applied'));
      expect(outcomes.some((outcome) => outcome.path === 'bulk')).toBe(true);
      charged = scheduler.stats().requests;
    } finally {
      scheduler.close();
    }
    for (const [index, sku] of SKUS.entries()) expect(fleet.shown('etsy', sku)).toBe(20 + index);

    const made = sandbox.requests.slice(from).filter((request) => request.path.startsWith('/v3/application/listings'));
    expect(made.filter((request) => request.status === 429)).toEqual([]);
    expect(made.filter((request) => request.method === 'PUT')).toHaveLength(SKUS.length);
    // Reads: one per call of up to 8 (a little more when a lone push goes as a single).
    const reads = made.filter((request) => request.method === 'GET').length;
    expect(reads).toBeLessThanOrEqual(SKUS.length / 2);
    // The scheduler charged at least what was made: the marketplace never sees a request it did not pay for.
    expect(made.length).toBeLessThanOrEqual(charged);
    // In any one second: at most the burst (what may be on the way at once) plus a second's refill.
    const times = made.map((request) => request.atMs).sort((a, b) => a - b);
    let busiest = 0;
    for (let start = 0, end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= 1000) start += 1;
      busiest = Math.max(busiest, end - start + 1);
    }
    expect(busiest).toBeLessThanOrEqual(PUSH.burst + PUSH.ratePerSecond);
  }, 60_000);
});

/**
 * Nine listings on a fresh Etsy sandbox at its documented limits, pushed through a scheduler whose
 * connector holds back the one request `holds` picks until the test releases it. The first eight
 * go in one bulk call (a read and eight writes: the bucket's burst of 9); the ninth waits for
 * tokens, and shows whether the held request keeps the others' tokens counted.
 */
async function pushNineWithOneHeld(seed: number, holds: (listings: ListingRef[], path: string, method: string) => boolean) {
  const sandbox = await startSandbox(createSandboxDefinition({ seed }), { rateLimits: 'documented' });
  const listings = await seedListings(sandbox, Array.from({ length: 9 }, (_, index) => ({ sku: `HELD${seed}-${index}`, quantity: 1 })));
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let held = 0;
  const holdingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (held === 0 && holds(listings, url.pathname, init?.method ?? 'GET')) { held += 1; await released; }
    return fetch(input, init);
  };
  const channel = createEtsyChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials, fetch: holdingFetch, requestTimeoutMs: 30_000 });
  expect((await channel.authenticate()).ok).toBe(true);
  const scheduler = new ChannelScheduler(channel);
  const outcomes = listings.map((listing, index) => scheduler.submit(listing.sku, { listing, quantity: 30 + index, version: 1 }));
  return {
    sandbox, listings, outcomes,
    held: () => held,
    release: () => release(),
    async close() { release(); scheduler.close(); await sandbox.close(); },
  };
}

describe('an Etsy push with a request that hangs', () => {
  test('a hung write holds only its own request: the tokens of the requests already answered refill, and the next listing goes while it hangs', async () => {
    const rig = await pushNineWithOneHeld(5, (listings, path, method) => method === 'PUT' && path === `/v3/application/listings/${listings[0]!.identifiers.listingId}/inventory`);
    try {
      // Counted until the whole call returned, the eight answered requests would keep the bucket
      // empty for as long as the write hangs; settled one by one, they refill it at once.
      await waitFor(async () => (await sandboxQuantity(rig.sandbox, rig.listings[8]!.sku)) === 38 ? true : undefined, 3_000, 'the ninth listing pushed while the first write hangs');
      expect(await sandboxQuantity(rig.sandbox, rig.listings[0]!.sku)).toBe(1);
      rig.release();
      expect((await Promise.all(rig.outcomes)).map((outcome) => outcome.status)).toEqual(rig.listings.map(() => 'applied'));
      expect(await sandboxQuantity(rig.sandbox, rig.listings[0]!.sku)).toBe(30);
    } finally {
      await rig.close();
    }
  }, 30_000);

  test('a hung read lets go of its writes\' tokens after a while, so the next listing goes meanwhile, and they are acquired again to write', async () => {
    const rig = await pushNineWithOneHeld(6, (_listings, path) => path === '/v3/application/listings/batch');
    try {
      // Held for the whole call, the read and eight writes would be the bucket's whole burst for
      // as long as the read hangs; released after ETSY_WRITES_HELD_MAX_MS, the ninth goes.
      await waitFor(async () => (await sandboxQuantity(rig.sandbox, rig.listings[8]!.sku)) === 38 ? true : undefined, 6_000, 'the ninth listing pushed while the first read hangs');
      expect(rig.held()).toBe(1);
      expect(await sandboxQuantity(rig.sandbox, rig.listings[0]!.sku)).toBe(1);
      rig.release();
      expect((await Promise.all(rig.outcomes)).map((outcome) => outcome.status)).toEqual(rig.listings.map(() => 'applied'));
      for (const [index, listing] of rig.listings.entries()) expect(await sandboxQuantity(rig.sandbox, listing.sku)).toBe(30 + index);
      // Nothing went above the marketplace's limit: no 429 anywhere.
      expect(rig.sandbox.requests.filter((request) => request.status === 429)).toEqual([]);
    } finally {
      await rig.close();
    }
  }, 30_000);
});
