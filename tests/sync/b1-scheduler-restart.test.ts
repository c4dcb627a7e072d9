/**
 * B1: what a daemon restarted after kill -9 knows of the marketplace's buckets. Against the real
 * Walmart sandbox over HTTP (documented rates) and the real connector:
 * - a restarted scheduler believes x-current-token-count: the bucket the killed run spent is not
 *   spent a second time (no volley of 429s from a bucket it believes full);
 * - the scarce feed bucket is saved in the ledger before each feed leaves, and a scheduler started
 *   on the same ledger holds what was left, not a full bucket;
 * - while the feed cannot go (blocked by a Retry-After, or its last token held for the end of the
 *   burst) the scheduler asks the dispatcher only for what singles take soon, so quantities are not
 *   computed a minute before they are sent.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { limits as walmartLimits } from '../../daemon/src/channels/walmart/limits.js';
import { createConnector } from '../../daemon/src/sync/channel-registry.js';
import { ChannelScheduler } from '../../daemon/src/sync/channel-scheduler.js';
import { ledgerBudgetStore } from '../../daemon/src/sync/sync-engine.js';
import { openTestStore } from '../helpers/stores.js';

const update = (sku: string, quantity: number): QuantityUpdate => ({ listing: { sku, identifiers: {} }, quantity, version: 1 });
const SKUS = Array.from({ length: 40 }, (_, index) => `W${String(index).padStart(3, '0')}`);

async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a scheduler started after a killed run (B1)', () => {
  let fleet: SandboxFleet;
  let schedulers: ChannelScheduler[] = [];

  beforeEach(async () => {
    fleet = await startSandboxFleet(['walmart'], { asyncDelayMs: 0, rateLimits: 'documented' });
    await fleet.call('walmart', 'POST', '/listings', { listings: SKUS.map((sku) => ({ sku, quantity: 1 })) });
  });
  afterEach(async () => {
    for (const scheduler of schedulers) scheduler.close();
    schedulers = [];
    await fleet.close();
  });

  test('believes x-current-token-count: the single-update bucket the killed run spent is not spent again', async () => {
    const sandbox = fleet.get('walmart').sandbox;
    // The killed run: its own connector, 20 updates at once (the burst), answered before it died.
    const killed = createConnector('walmart', { baseUrl: sandbox.baseUrl, credentials: sandbox.credentials, requestTimeoutMs: 10_000 });
    await Promise.all(SKUS.slice(0, 20).map((sku) => killed.pushQuantities([update(sku, 2)], 'single')));
    const restartedAt = Date.now();
    const scheduler = new ChannelScheduler(fleet.get('walmart').channel);
    schedulers.push(scheduler);
    // Fewer than a feed's minimum: all on single updates.
    const outcomes = await Promise.all(SKUS.slice(20, 35).map((sku, index) => scheduler.submit(sku, update(sku, 3 + index))));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(SKUS.slice(20, 35).map(() => 'applied'));
    const refused = sandbox.requests.filter((request) => request.atMs >= restartedAt && request.operation === 'updateInventory' && request.status === 429);
    // At most the first request, sent before any answer could say the bucket was spent.
    expect(refused.length).toBeLessThanOrEqual(1);
    for (const [index, sku] of SKUS.slice(20, 35).entries()) expect(fleet.shown('walmart', sku)).toBe(3 + index);
  });

  test('the feed bucket is saved in the ledger before each feed leaves, and a restart holds what was left', async () => {
    const opened = await openTestStore('sqlite');
    try {
      const budgets = ledgerBudgetStore(opened.store);
      const first = new ChannelScheduler(fleet.get('walmart').channel, { budgets });
      schedulers.push(first);
      // 40 SKUs would need 40 / 3.2 s on single updates: all but the first (sent alone at once) go in one feed.
      const outcomes = await Promise.all(SKUS.map((sku) => first.submit(sku, update(sku, 7))));
      expect(outcomes.filter((outcome) => outcome.status === 'applied' && outcome.path === 'feed').length).toBeGreaterThanOrEqual(20);
      expect(outcomes.every((outcome) => outcome.status === 'applied')).toBe(true);
      expect(fleet.get('walmart').sandbox.requests.filter((request) => request.operation === 'inventoryFeed')).toHaveLength(1);
      first.close();
      // kill -9: nothing more of the first run is written. The next one starts on the same ledger.
      const restarted = new ChannelScheduler(fleet.get('walmart').channel, { budgets });
      schedulers.push(restarted);
      await until(() => restarted.stats().headroom.inventoryFeed !== walmartLimits.operations.inventoryFeed!.burst, 2_000, 'the saved feed bucket to be read');
      expect(restarted.stats().headroom.inventoryFeed).toBe(walmartLimits.operations.inventoryFeed!.burst - 1);
    } finally {
      await opened.close();
    }
  });
});

describe('the claim window while the feed cannot go (B1)', () => {
  const channel = { name: 'walmart', limits: walmartLimits } as unknown as ConstructorParameters<typeof ChannelScheduler>[0];
  const singlesWindow = Math.ceil((walmartLimits.operations.updateInventory!.ratePerSecond * 0.5) + walmartLimits.operations.updateInventory!.burst);

  test('a feed blocked by a Retry-After claims only what single updates take in the window', () => {
    const scheduler = new ChannelScheduler(channel);
    expect(scheduler.claimWindow()).toBeGreaterThan(1_000);
    scheduler.throttle('inventoryFeed', 60_000);
    expect(scheduler.claimWindow()).toBe(singlesWindow);
    scheduler.close();
  });

  test('the last feed token held for the end of the burst: singles only while the ledger still changes', async () => {
    const scheduler = new ChannelScheduler(channel, { ledgerChanges: true });
    // Leave one feed token.
    for (let spent = 0; spent < walmartLimits.operations.inventoryFeed!.burst - 1; spent += 1) (scheduler as unknown as { buckets: Map<string, { tryTake(): unknown }> }).buckets.get('inventoryFeed')!.tryTake();
    scheduler.noteLedgerChange();
    expect(scheduler.claimWindow()).toBe(singlesWindow);
    // Quiet: the burst has ended, and the feed's worth is claimed (quantities computed now).
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(scheduler.claimWindow()).toBeGreaterThan(1_000);
    scheduler.close();
  });
});
