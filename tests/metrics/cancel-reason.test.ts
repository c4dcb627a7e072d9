/**
 * Who cancelled an order comes from the marketplace's own cancel payload: eBay's cancelRequests
 * (cancelInitiator), Walmart's line cancellationReason and TikTok Shop's line cancel_user, read over HTTP from the sandboxes by
 * the real connectors and order poller, stored on order_line by the order processor, and counted
 * by the metrics from there. A buyer's cancellation never counts against the seller.
 */
import type { ChannelName, ChannelOrder, ChannelOrderLine } from '../../daemon/src/channels/channel.js';
import { startSandboxFleet, type SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../daemon/src/ledger/ledger.js';
import { buildMetricsReport } from '../../daemon/src/metrics/metrics-report.js';
import { readOrderFacts } from '../../daemon/src/metrics/order-facts-reader.js';
import { OrderInbox } from '../../daemon/src/orders/order-inbox.js';
import { OrderPoller } from '../../daemon/src/orders/order-poller.js';
import { OrderProcessor } from '../../daemon/src/orders/order-processor.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';

const CHANNELS: ChannelName[] = ['ebay', 'walmart', 'tiktok'];
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
    const tiktok = report.channels.find((channel) => channel.channel === 'tiktok')!.metrics[0]!;
    expect([tiktok.orders, tiktok.sellerCancellations, tiktok.otherCancellations, tiktok.unknownCancellations]).toEqual([25, 2, 3, 0]);
  });
});

describe.each(STORE_KINDS)('a cancel seen twice keeps the best-known cause (%s)', (kind) => {
  const at = (ms: number) => new Date(Date.UTC(2026, 5, 1) + ms).toISOString();
  const cancelled = (orderId: string, updatedMs: number, cancelReason?: ChannelOrderLine['cancelReason']): ChannelOrder => ({
    orderId, status: 'cancelled', fulfillment: 'merchant', createdAt: at(0), updatedAt: at(updatedMs), lines: [{ lineId: '1', sku: 'MUG', quantity: 1, ...(cancelReason ? { cancelReason } : {}) }],
  });

  test('a poll naming the cause fills in a notification’s unknown one; a later payload without a cause keeps it', async () => {
    const handle = await openTestStore(kind);
    try {
      const catalogue = new Catalogue(handle.store);
      await catalogue.upsertLocation('main', 'Main');
      await catalogue.upsertChannel({ code: 'amazon', mode: 'live', locations: ['main'] });
      await catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
      const processor = new OrderProcessor(handle.store, new Ledger(handle.store));
      const reasonOf = async (orderId: string) => (await handle.store.db.selectFrom('order_line').select('cancel_reason').where('order_id', '=', orderId).executeTakeFirstOrThrow()).cancel_reason;
      // A notification summary names no cause; the poll of the same change (same time) does.
      expect((await processor.apply('amazon', cancelled('A-1', 1_000))).ok).toBe(true);
      expect(await reasonOf('A-1')).toBe('unknown');
      await processor.apply('amazon', cancelled('A-1', 1_000, 'buyer'));
      expect(await reasonOf('A-1')).toBe('buyer');
      // A newer payload that names no cause does not forget it; an older one naming another is ignored.
      await processor.apply('amazon', cancelled('A-1', 2_000));
      expect(await reasonOf('A-1')).toBe('buyer');
      await processor.apply('amazon', cancelled('A-1', 500, 'seller_other'));
      expect(await reasonOf('A-1')).toBe('buyer');
    } finally {
      await handle.close();
    }
  });
});
