/**
 * The channel scheduler against real sandboxes in their own process (their rate limiters keep
 * their own clock, as a marketplace's do): while this process's event loop stalls again and
 * again and requests are held up on their way, no sandbox ever refuses a request for its documented rate, no operation has more
 * requests on the way than its documented burst, and a listing never has two pushes on the wire at once.
 */
import { startSandboxFleetProcess, type ProcessSandboxFleet } from '../../daemon/src/bench/sandbox-fleet-process.js';
import type { Channel, PushPath, QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { seededRandom } from '../../daemon/src/sandbox/kit/seeded-random.js';
import { ChannelScheduler, type PushOutcome } from '../../daemon/src/sync/channel-scheduler.js';

const STALL_EVERY_MS = 120;
const STALL_MS_MIN = 60;
const STALL_MS_MAX = 400;
const ON_THE_WAY_MS_MAX = 600;

interface Observed { channel: Channel; maxInFlight: () => number; overlapsPerSku: () => number; pushesOf: (sku: string) => number; hold: (sku: string) => () => void }

/** The real connector, with every pushQuantities call counted while it is on the wire, and, given
 * a random source, each request held up on its way for up to ON_THE_WAY_MS_MAX (a slow socket, a
 * busy loop between the token and the write), so requests sent apart can arrive together. */
function observe(channel: Channel, random?: () => number): Observed {
  let inFlight = 0;
  let maxInFlight = 0;
  let overlaps = 0;
  const onWire = new Set<string>();
  const pushes = new Map<string, number>();
  const held = new Map<string, Promise<void>>();
  const wrapped = new Proxy(channel, {
    get(target, property, receiver) {
      if (property !== 'pushQuantities') return Reflect.get(target, property, receiver) as unknown;
      return async (updates: QuantityUpdate[], path: PushPath) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        for (const update of updates) {
          if (onWire.has(update.listing.sku)) overlaps += 1;
          onWire.add(update.listing.sku);
          pushes.set(update.listing.sku, (pushes.get(update.listing.sku) ?? 0) + 1);
        }
        try {
          if (random) await new Promise((resolve) => setTimeout(resolve, random() * ON_THE_WAY_MS_MAX));
          for (const update of updates) await held.get(update.listing.sku);
          return await target.pushQuantities(updates, path);
        } finally {
          inFlight -= 1;
          for (const update of updates) onWire.delete(update.listing.sku);
        }
      };
    },
  });
  return {
    channel: wrapped,
    maxInFlight: () => maxInFlight,
    overlapsPerSku: () => overlaps,
    pushesOf: (sku) => pushes.get(sku) ?? 0,
    hold(sku) {
      let release!: () => void;
      held.set(sku, new Promise<void>((resolve) => { release = resolve; }));
      return () => { held.delete(sku); release(); };
    },
  };
}

/** Blocks this process's event loop for a while, again and again (seeded, so replayable). */
function stallRepeatedly(seed: number): () => void {
  const random = seededRandom(seed);
  const timer = setInterval(() => {
    const until = performance.now() + STALL_MS_MIN + random() * (STALL_MS_MAX - STALL_MS_MIN);
    while (performance.now() < until) { /* the stall */ }
  }, STALL_EVERY_MS);
  return () => clearInterval(timer);
}

async function seed(fleet: ProcessSandboxFleet, name: string, skus: string[]): Promise<Map<string, Record<string, string>>> {
  const { listings } = await fleet.call<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>(name, 'POST', '/listings', { listings: skus.map((sku) => ({ sku, quantity: 1 })) });
  return new Map(listings.map((listing) => [listing.sku, listing.identifiers]));
}

describe('the channel scheduler under event-loop stalls, against sandboxes in their own process', () => {
  let fleet: ProcessSandboxFleet;

  beforeAll(async () => {
    fleet = await startSandboxFleetProcess(['tiktok', 'amazon', 'etsy'], { asyncDelayMs: 0, rateLimits: 'documented' });
  }, 60_000);
  afterAll(async () => {
    await fleet.close();
  });

  test.each([
    ['tiktok', 60, 'updateInventory'],
    ['amazon', 15, 'patchListingsItem'],
    ['etsy', 20, 'updateListingInventory'],
  ])('%s: %i listings pushed while the loop stalls and requests are held up on their way, with no 429 for the documented rate and never more on the way than the burst', async (name, count, operation) => {
    const skus = Array.from({ length: count }, (_, index) => `${name.toUpperCase()}-STALL-${index}`);
    const identifiers = await seed(fleet, name, skus);
    const observed = observe(fleet.get(name).channel, seededRandom(count + 1));
    const scheduler = new ChannelScheduler(observed.channel);
    const stopStalls = stallRepeatedly(count);
    let outcomes: PushOutcome[];
    try {
      outcomes = await Promise.all(skus.map((sku, index) => scheduler.submit(sku, { listing: { sku, identifiers: identifiers.get(sku)! }, quantity: 2 + (index % 7), version: 1 })));
    } finally {
      stopStalls();
      scheduler.close();
    }
    expect(outcomes.filter((outcome) => outcome.status !== 'applied' && outcome.status !== 'accepted')).toEqual([]);
    const refused = (await fleet.requestLog(name)).filter((request) => request.status === 429 && !request.fault);
    expect(refused).toEqual([]);
    // Requests on the way plus tokens left never exceed the documented burst.
    expect(observed.maxInFlight()).toBeLessThanOrEqual(fleet.get(name).channel.limits.operations[operation]!.burst);
    expect(skus.filter((sku, index) => fleet.shown(name, sku) !== 2 + (index % 7))).toEqual([]);
  }, 120_000);

  test('a newer quantity for a listing whose push is still on the wire waits for it, and lands last', async () => {
    const [sku] = ['TIKTOK-ONE-AT-A-TIME'];
    const identifiers = await seed(fleet, 'tiktok', [sku!]);
    const observed = observe(fleet.get('tiktok').channel);
    const scheduler = new ChannelScheduler(observed.channel);
    const release = observed.hold(sku!);
    const first = scheduler.submit(sku!, { listing: { sku: sku!, identifiers: identifiers.get(sku!)! }, quantity: 5, version: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = scheduler.submit(sku!, { listing: { sku: sku!, identifiers: identifiers.get(sku!)! }, quantity: 7, version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The second push has not started: the first is still on the wire.
    expect(observed.pushesOf(sku!)).toBe(1);
    release();
    expect((await first).status).toBe('applied');
    expect((await second).status).toBe('applied');
    scheduler.close();
    expect(observed.pushesOf(sku!)).toBe(2);
    expect(observed.overlapsPerSku()).toBe(0);
    await fleet.call('tiktok', 'GET', `/listings/${sku!}`);
    expect(fleet.shown('tiktok', sku!)).toBe(7);
  }, 30_000);
});
