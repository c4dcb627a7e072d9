/**
 * Reconciliation against the five marketplace sandboxes over HTTP (B11's outside drift, at test
 * scale): quantities changed in the sandboxes behind the engine's back are every one found, with
 * nothing invented, and `fix` repairs them through pushes the engine then sends.
 */
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { ChannelName } from '../../daemon/src/channels/channel.js';
import type { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import type { Ledger } from '../../daemon/src/ledger/ledger.js';
import { Reconciler } from '../../daemon/src/reconcile/reconciler.js';
import { SyncEngine } from '../../daemon/src/sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import { openTestStore } from '../helpers/stores.js';
import { seedLiveCatalogue } from '../helpers/live-catalogue.js';

const CHANNELS: ChannelName[] = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'];
const SKUS = Array.from({ length: 12 }, (_, index) => `R${index}`);
const STOCK = 10;

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('reconciliation against every marketplace sandbox', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  let engine: SyncEngine;
  let ledger: Ledger;
  let catalogue: Catalogue;
  let reconciler: Reconciler;
  const planted = new Map<string, number>();

  beforeAll(async () => {
    opened = await openTestStore('sqlite');
    fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0, rateLimits: 'documented' });
    engine = new SyncEngine({ store: opened.store, channels: fleet.members.map((member) => member.channel), pollMs: 50 });
    ledger = syncedLedger(opened.store, () => engine.wake());
    catalogue = syncedCatalogue(opened.store, () => engine.wake());
    await seedLiveCatalogue(catalogue, fleet, CHANNELS, SKUS, STOCK);
    for (const sku of SKUS) await ledger.adjust({ key: `seed-${sku}`, channel: null, actor: 'test', sku, location: 'main', delta: STOCK, reason: 'received' });
    engine.start();
    await until(async () => (await opened.store.db.selectFrom('outbox').select('id').limit(1).execute()).length === 0 && engine.dispatcher.inFlightCount === 0, 30_000, 'the seeding pushes');
    reconciler = new Reconciler(opened.store, (name) => engine.channel(name), catalogue, ledger, (channel, operation, work) => engine.schedulers.get(channel)!.call(operation, work));
  });
  afterAll(async () => {
    await engine.stop();
    await fleet.close();
    await opened.close();
  });

  test('with no drift planted, reconciliation reports none on any channel', async () => {
    const reports = await reconciler.run({ channels: CHANNELS });
    expect(reports.map((report) => [report.channel, report.ok, report.listingsChecked, report.drift])).toEqual(CHANNELS.map((name) => [name, true, SKUS.length, []]));
  });

  test('every quantity changed in a sandbox is found with its cause, and nothing else is reported', async () => {
    CHANNELS.forEach((name, channelIndex) => {
      for (const sku of [SKUS[channelIndex]!, SKUS[channelIndex + 5]!]) planted.set(`${name}/${sku}`, STOCK + 3 + channelIndex);
    });
    for (const [key, quantity] of planted) {
      const [name, sku] = key.split('/') as [string, string];
      await fleet.call(name, 'PUT', `/listings/${sku}/quantity`, { quantity });
    }
    const reports = await reconciler.run({ channels: CHANNELS });
    const found = reports.flatMap((report) => report.drift.map((item) => ({ key: `${report.channel}/${item.sku}`, shown: item.shown, expected: item.expected, cause: item.cause })));
    expect(found.map((item) => item.key).sort()).toEqual([...planted.keys()].sort());
    for (const item of found) expect(item).toEqual({ key: item.key, shown: planted.get(item.key), expected: STOCK, cause: 'changed_outside_shelfguard' });
  });

  test('fix repairs every planted drift through pushes, and a second run finds none', async () => {
    const reports = await reconciler.run({ channels: CHANNELS, fix: true });
    expect(reports.reduce((sum, report) => sum + report.fixed, 0)).toBe(planted.size);
    await until(() => [...planted.keys()].every((key) => { const [name, sku] = key.split('/') as [string, string]; return fleet.shown(name, sku) === STOCK; }), 30_000, 'the repair pushes');
    const again = await reconciler.run({ channels: CHANNELS });
    expect(again.flatMap((report) => report.drift)).toEqual([]);
    // The repair went through the ledger's own machinery: no movement was invented for it.
    expect(await opened.store.db.selectFrom('movement').select('id').where('actor', '=', 'reconcile').execute()).toEqual([]);
  });
});
