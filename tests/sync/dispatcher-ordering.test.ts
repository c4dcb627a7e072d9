/**
 * A3: the dispatcher's coalescing and ordering explored with fast-check's scheduler. The ledger,
 * the outbox claims and the channel schedulers are in-memory fakes whose every answer is released
 * in an order fast-check chooses, interleaved with new stock changes. After every run: never more
 * than one push in flight per (channel, listing), each channel ends showing the ledger's quantity,
 * and no channel ever applied a push older than one it had already applied (I6).
 */
import fc from 'fast-check';
import type { OutboxClaim, PushRecord } from '../../daemon/src/ledger/outbox-claims.js';
import type { PublishResult } from '../../daemon/src/ledger/published-quantity.js';
import type { PushOutcome } from '../../daemon/src/sync/channel-scheduler.js';
import { SyncDispatcher, type DispatcherClaims, type DispatcherQueries, type DispatchTarget } from '../../daemon/src/sync/dispatcher.js';
import type { QuantityUpdate } from '../../daemon/src/channels/channel.js';

const CHANNELS = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'];
const LISTINGS_PER_CHANNEL = 2;
const QUANTITY_MAX = 999;

interface SyncRow { fence: number; owner: string | null; lastQuantity: number | null; lastStatus: string | null }

/** The ledger and outbox as the database would hold them; each call acts atomically when made. */
class FakeWorld {
  readonly quantityBySku = new Map<string, number>();
  readonly outbox: Array<{ id: number; listingId: number }> = [];
  readonly sync = new Map<number, SyncRow>();
  readonly listings: Array<{ id: number; channel: string; sku: string }> = [];
  private nextOutboxId = 1;

  constructor(skus: string[]) {
    let id = 1;
    for (const channel of CHANNELS) for (const sku of skus) this.listings.push({ id: id++, channel, sku });
    for (const sku of skus) this.quantityBySku.set(sku, 0);
    for (const listing of this.listings) this.sync.set(listing.id, { fence: 0, owner: null, lastQuantity: 0, lastStatus: 'applied' });
  }

  /** One movement: the new quantity and one outbox row per listing of the SKU, in one step;
   * returns the notes the commit gives the engine. */
  change(sku: string, quantity: number): Array<{ listingId: number }> {
    this.quantityBySku.set(sku, quantity);
    const listings = this.listings.filter((entry) => entry.sku === sku);
    for (const listing of listings) this.outbox.push({ id: this.nextOutboxId++, listingId: listing.id });
    return listings.map((listing) => ({ listingId: listing.id }));
  }
}

function fakeQueries(world: FakeWorld, s: fc.Scheduler): DispatcherQueries {
  return {
    publishedForMany: (listingIds: readonly number[]) => {
      const results = new Map<number, PublishResult>();
      for (const listingId of listingIds) {
        const listing = world.listings.find((entry) => entry.id === listingId)!;
        results.set(listingId, { quantity: world.quantityBySku.get(listing.sku)!, steps: [] });
      }
      return s.schedule(Promise.resolve(results), `read ${listingIds.join(',')}`);
    },
  };
}

/** Listings with outbox rows that no one holds, oldest row first. */
function claimable(world: FakeWorld): number[] {
  return [...new Set(world.outbox.map((entry) => entry.listingId))].filter((listingId) => world.sync.get(listingId)!.owner === null);
}

function fakeClaims(world: FakeWorld, s: fc.Scheduler, owner: string): DispatcherClaims {
  const finish = (claim: OutboxClaim, record: PushRecord, dropRows: boolean): Promise<boolean> => {
    const row = world.sync.get(claim.listingId)!;
    if (row.fence !== claim.fence || row.owner !== owner) return s.schedule(Promise.resolve(false), 'fenced out');
    row.owner = null;
    if (record.status === 'applied' || record.status === 'accepted') { row.lastQuantity = record.quantity; row.lastStatus = record.status; }
    if (dropRows) for (const id of claim.outboxIds) world.outbox.splice(world.outbox.findIndex((entry) => entry.id === id), 1);
    return s.schedule(Promise.resolve(true), `complete ${claim.listingId}@${claim.fence}`);
  };
  return {
    findClaimable: (channels: string[], limit: number) => {
      const found = claimable(world).filter((listingId) => channels.includes(world.listings.find((entry) => entry.id === listingId)!.channel));
      const candidates = found.slice(0, limit).map((listingId) => ({ listingId, channel: world.listings.find((entry) => entry.id === listingId)!.channel }));
      return s.schedule(Promise.resolve({ candidates, sawAll: found.length <= limit }), `scan ${channels.join(',')}: ${candidates.length}`);
    },
    claimListings: (listingIds: number[], _leaseMs: number) => {
      const claimed: OutboxClaim[] = [];
      // Decided when the claim's transaction runs, as the database would.
      const run = s.schedule(Promise.resolve(), `claim ${listingIds.join(',')}`).then(() => {
        for (const listingId of claimable(world).filter((id) => listingIds.includes(id))) {
          const listing = world.listings.find((entry) => entry.id === listingId)!;
          const row = world.sync.get(listingId)!;
          row.fence += 1;
          row.owner = owner;
          claimed.push({ listingId, channel: listing.channel, mode: 'live', channelSku: listing.sku, identifiers: {}, fence: row.fence, outboxIds: world.outbox.filter((entry) => entry.listingId === listingId).map((entry) => entry.id), attempts: 0, lastQuantity: row.lastQuantity, lastStatus: row.lastStatus });
        }
        // The answer reaches the dispatcher later still: commits may land in between.
        return s.schedule(Promise.resolve(claimed), `claimed ${claimed.map((claim) => claim.listingId).join(',')}`);
      });
      return run;
    },
    channelsOf: async (notes) => notes.map((note) => ({ listingId: note.listingId, channel: world.listings.find((entry) => entry.id === note.listingId)!.channel })),
    completeMany: async (items) => Promise.all(items.map(({ claim, record }) => finish(claim, record, true))),
    retryLater: (claim, _at, record) => finish(claim, record, false),
    deadLetter: (claim, record) => finish(claim, record, true),
    renew: async () => [],
    releaseAll: async () => {},
  };
}

/** A channel that applies pushes in whatever order fast-check releases them, and records them. */
class FakeChannelTarget implements DispatchTarget {
  readonly channel = { limits: { quantityMax: QUANTITY_MAX } };
  readonly shown = new Map<string, { quantity: number; version: number }>();
  readonly inFlight = new Map<string, number>();
  staleOverwrites = 0;
  maxInFlight = 0;

  constructor(private readonly s: fc.Scheduler, private readonly name: string) {}

  claimWindow(): number { return 3; }

  submit(key: string, update: QuantityUpdate): Promise<PushOutcome> {
    const inFlight = (this.inFlight.get(key) ?? 0) + 1;
    this.inFlight.set(key, inFlight);
    this.maxInFlight = Math.max(this.maxInFlight, inFlight);
    return this.s.schedule(Promise.resolve(), `push ${this.name}/${update.listing.sku}=${update.quantity}@${update.version}`).then(() => {
      const previous = this.shown.get(update.listing.sku);
      if (previous && previous.version > update.version) this.staleOverwrites += 1;
      this.shown.set(update.listing.sku, { quantity: update.quantity, version: update.version });
      this.inFlight.set(key, this.inFlight.get(key)! - 1);
      return { status: 'applied', attempts: 1, path: 'single', latencyMs: 0 } satisfies PushOutcome;
    });
  }
}

const changeArbitrary = fc.record({ sku: fc.constantFrom('A', 'B'), quantity: fc.integer({ min: 0, max: 50 }) });

describe('the dispatcher under every interleaving fast-check tries (A3)', () => {
  test('at most one push is in flight per listing, every channel ends at the ledger, and none is overwritten by an older push', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(changeArbitrary, { minLength: 1, maxLength: 8 }), async (s, changes) => {
        const skus = ['A', 'B'].slice(0, LISTINGS_PER_CHANNEL);
        const world = new FakeWorld(skus);
        const targets = new Map(CHANNELS.map((name) => [name, new FakeChannelTarget(s, name)]));
        const dispatcher = new SyncDispatcher({ queries: fakeQueries(world, s), claims: fakeClaims(world, s, 'one'), schedulers: targets, pollMs: 3_600_000, leaseMs: 3_600_000 });
        dispatcher.start();
        let stalls = 0;
        // Each stock change commits at a moment fast-check picks, and wakes the dispatcher as the ledger would.
        for (const change of changes) void s.schedule(Promise.resolve(), `change ${change.sku}=${change.quantity}`).then(() => { dispatcher.wake(world.change(change.sku, change.quantity)); });
        for (let round = 0; round < 1_000 && (s.count() > 0 || world.outbox.length > 0); round += 1) {
          if (s.count() > 0) await s.waitOne();
          else {
            // Let the dispatcher's own continuations run first: only if nothing is left to
            // release then, with rows in the outbox, did its commits' notes miss them.
            await new Promise((resolve) => setImmediate(resolve));
            if (s.count() > 0) continue;
            stalls += 1;
            dispatcher.rescan();
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        await dispatcher.stop();
        expect(world.outbox).toEqual([]);
        // Every change reached its channels through its commit's notes, not the periodic scan.
        expect(stalls).toBe(0);
        for (const target of targets.values()) {
          expect(target.maxInFlight).toBeLessThanOrEqual(1);
          expect(target.staleOverwrites).toBe(0);
          for (const sku of skus) expect(target.shown.get(sku)?.quantity ?? 0).toBe(world.quantityBySku.get(sku));
        }
      }),
      { numRuns: 250, seed: 20_260_427, endOnFailure: true },
    );
  });
});
