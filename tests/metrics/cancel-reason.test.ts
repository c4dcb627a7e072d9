/**
 * Who cancelled an order comes from the marketplace's own cancel payload: eBay's cancelRequests
 * (cancelInitiator) and Walmart's line cancellationReason, read over HTTP from the sandboxes by
 * the real connectors and order poller, stored on order_line by the order processor, and counted
 * by the metrics from there. A buyer's cancellation never counts against the seller.
 */
import type { ChannelName } from '../../daemon/src/channels/channel.js';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../daemon/src/ledger/ledger.js';
import { buildMetricsReport } from '../../daemon/src/metrics/metrics-report.js';
import { readOrderFacts } from '../../daemon/src/metrics/order-facts-reader.js';
import { OrderInbox } from '../../daemon/src/orders/order-inbox.js';
import { OrderPoller } from '../../daemon/src/orders/order-poller.js';
import { OrderProcessor } from '../../daemon/src/orders/order-processor.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';

const CHANNELS: ChannelName[] = ['ebay', 'walmart'];
/** Orders placed on each channel, then cancelled (or not) for these reasons. */
const PLAN: Array<{ count: number; reason?: 'buyer' | 'seller_out_of_stock' | 'seller_other' }> = [
  { count: 20 }, { count: 3, reason: 'buyer' }, { count: 1, reason: 'seller_out_of_stock' }, { count: 1, reason: 'seller_other' },
];

describe.each(STORE_KINDS)('cancel reasons read from the marketplaces (%s)', (kind) => {
  let fleet: SandboxFleet;
  let handle: Awaited<ReturnType<typeof openTestStore>>;

  beforeAll(async () => {
    fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0, rateLimits: 'unlimited' });
    handle = await openTestStore(kind);
    const catalogue = new Catalogue(handle.store);
    const ledger = new Ledger(handle.store);
    await catalogue.upsertLocation('main', 'Main');
    for (const code of CHANNELS) await catalogue.upsertChannel({ code, mode: 'live', locations: ['main'] });
    await catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
    await ledger.adjust({ key: 'seed-MUG', channel: null, actor: 'test', sku: 'MUG', location: 'main', delta: 500, reason: 'received' });
    await fleet.seedListings(catalogue, [{ sku: 'MUG', quantity: 500 }]);
    for (const channel of CHANNELS) {
      for (const step of PLAN) {
        for (let index = 0; index < step.count; index += 1) {
          const order = await fleet.call<{ orderId: string }>(channel, 'POST', '/orders', { lines: [{ sku: 'MUG', quantity: 1 }] });
          if (step.reason) await fleet.call(channel, 'POST', `/orders/${order.orderId}/cancel`, { reason: step.reason });
        }
      }
    }
    const inbox = new OrderInbox(handle.store, new OrderProcessor(handle.store, ledger), () => undefined);
    const poller = new OrderPoller(handle.store, inbox, fleet.members.map((member) => member.channel));
    for (const member of fleet.members) expect(await poller.pollOnce(member.channel)).toBe(25);
    await inbox.drain();
  }, 60_000);
  afterAll(async () => { await fleet.close(); await handle.close(); });

  test('each cancelled line keeps the cause its marketplace gave, and every line its placement time', async () => {
    const rows = await handle.store.db.selectFrom('order_line').select(['channel', 'status', 'cancel_reason', 'placed_at', 'created_at']).execute();
    for (const channel of CHANNELS) {
      const mine = rows.filter((row) => row.channel === channel);
      const reasons = mine.map((row) => row.cancel_reason ?? 'none').sort();
      expect(reasons).toEqual([...Array<string>(3).fill('buyer'), ...Array<string>(20).fill('none'), 'seller_other', 'seller_out_of_stock']);
      expect(mine.filter((row) => row.status === 'cancelled')).toHaveLength(5);
      for (const row of mine) expect(Number(row.placed_at)).toBeGreaterThan(Number(row.created_at) - 60_000);
    }
  });

  test('the metrics count the seller’s cancellations only: buyers’ are shown apart', async () => {
    const nowMs = Date.now();
    const { facts } = await readOrderFacts(handle.store, nowMs);
    const report = buildMetricsReport({ facts, channels: CHANNELS, official: [], nowMs, alertHeadroomCancellations: 2 });
    const walmart = report.channels.find((channel) => channel.channel === 'walmart')!.metrics[0]!;
    expect([walmart.orders, walmart.sellerCancellations, walmart.otherCancellations, walmart.unknownCancellations]).toEqual([25, 2, 3, 0]);
    const ebay = report.channels.find((channel) => channel.channel === 'ebay')!.metrics;
    for (const metric of ebay) expect([metric.orders, metric.sellerCancellations, metric.otherCancellations, metric.unknownCancellations]).toEqual([25, 2, 3, 0]);
  });
});
