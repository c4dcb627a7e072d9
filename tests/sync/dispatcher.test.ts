import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { ChannelName } from '../../daemon/src/channels/channel.js';
import { LedgerQueries } from '../../daemon/src/ledger/queries.js';
import type { Ledger } from '../../daemon/src/ledger/ledger.js';
import type { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { SyncEngine } from '../../daemon/src/sync/sync-engine.js';
import { syncedCatalogue, syncedLedger } from '../../daemon/src/sync/synced-ledger.js';
import type { PushEvent } from '../../daemon/src/sync/dispatcher.js';
import { openTestStore } from '../helpers/stores.js';
import { seedLiveCatalogue } from '../helpers/live-catalogue.js';

const CHANNELS: ChannelName[] = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy', 'woocommerce'];

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the outbox dispatcher against every sandbox over HTTP', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let fleet: SandboxFleet;
  let engine: SyncEngine;
  let ledger: Ledger;
  let catalogue: Catalogue;
  const pushes: PushEvent[] = [];

  beforeAll(async () => {
    opened = await openTestStore('sqlite');
    fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0, rateLimits: 'documented' });
    engine = new SyncEngine({ store: opened.store, channels: fleet.members.map((member) => member.channel), pollMs: 200, onPush: (event) => pushes.push(event) });
    ledger = syncedLedger(opened.store, () => engine.wake());
    catalogue = syncedCatalogue(opened.store, () => engine.wake());
    await seedLiveCatalogue(catalogue, fleet, CHANNELS, ['A', 'B', 'C']);
    engine.start();
  });
  afterAll(async () => {
    await engine.stop();
    await fleet.close();
    await opened.close();
  });

  test('a stock change reaches every channel, and repeated changes coalesce to the newest quantity', async () => {
    await ledger.adjust({ key: 'recv-a', channel: null, actor: 'test', sku: 'A', location: 'main', delta: 10, reason: 'received' });
    for (let index = 0; index < 5; index += 1) await ledger.adjust({ key: `recv-b-${index}`, channel: null, actor: 'test', sku: 'B', location: 'main', delta: 2, reason: 'received' });
    await until(() => CHANNELS.every((name) => fleet.shown(name, 'A') === 10 && fleet.shown(name, 'B') === 10), 15_000, 'A = 10 and B = 10 everywhere');
    const queries = new LedgerQueries(opened.store);
    for (const listing of await queries.listings()) expect((await queries.publishedFor(listing.id))?.quantity).toBe(listing.sku === 'C' ? 0 : 10);
    // B changed five times but each channel never needed more than five pushes for it, usually far fewer.
    const bPushes = pushes.filter((event) => event.sku === 'B' && (event.status === 'applied' || event.status === 'accepted'));
    expect(bPushes.length).toBeLessThanOrEqual(CHANNELS.length * 5);
  });
});
