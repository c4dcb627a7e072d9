import fc from 'fast-check';
import type { ChannelEvent, ChannelOrder, ChannelOrderStatus } from '../../daemon/src/channels/channel.js';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../daemon/src/ledger/ledger.js';
import { LedgerQueries } from '../../daemon/src/ledger/queries.js';
import { OrderInbox } from '../../daemon/src/orders/order-inbox.js';
import { OrderProcessor, type OversellAlert } from '../../daemon/src/orders/order-processor.js';
import { openTestStore, STORE_KINDS, type StoreKind } from '../helpers/stores.js';

const LIFECYCLES: ChannelOrderStatus[][] = [['created', 'shipped'], ['created', 'cancelled'], ['created', 'shipped', 'return_requested', 'return_received'], ['created']];

function order(id: string, status: ChannelOrderStatus, atMs: number, sku = 'MUG', fulfillment: 'merchant' | 'marketplace' = 'merchant', condition?: 'sellable' | 'damaged'): ChannelOrder {
  const stamp = new Date(atMs).toISOString();
  return { orderId: id, status, fulfillment, createdAt: stamp, updatedAt: stamp, lines: [{ lineId: '1', sku, quantity: 1, ...(condition ? { condition } : {}) }] };
}

async function setup(stock: number, kind: StoreKind) {
  const opened = await openTestStore(kind);
  const catalogue = new Catalogue(opened.store);
  const ledger = new Ledger(opened.store);
  await catalogue.upsertLocation('main', 'Main');
  await catalogue.upsertLocation('spare', 'Spare');
  await catalogue.upsertLocation('fba', 'FBA', 'marketplace');
  await catalogue.upsertChannel({ code: 'amazon', mode: 'live', locations: ['main', 'spare', 'fba'] });
  await catalogue.upsertChannel({ code: 'ebay', mode: 'live', locations: ['main', 'spare'] });
  for (const sku of ['MUG', 'PLATE']) await catalogue.upsertSku({ code: sku, kind: 'simple' });
  await catalogue.upsertSku({ code: 'SET', kind: 'kit' });
  await catalogue.setKitComponents('SET', [{ sku: 'MUG', quantity: 2 }, { sku: 'PLATE', quantity: 1 }]);
  for (const sku of ['MUG', 'PLATE']) await ledger.adjust({ key: `seed-${sku}`, channel: null, actor: 'test', sku, location: 'main', delta: stock, reason: 'received' });
  await ledger.adjust({ key: 'seed-fba', channel: null, actor: 'test', sku: 'MUG', location: 'fba', delta: 5, reason: 'received' });
  const alerts: OversellAlert[] = [];
  const processor = new OrderProcessor(opened.store, ledger, (alert) => alerts.push(alert));
  // A clock that never repeats: events accepted within one millisecond still drain in arrival order.
  let tickMs = 1_700_000_000_000;
  const inbox = new OrderInbox(opened.store, processor, () => undefined, () => {}, () => (tickMs += 1));
  const queries = new LedgerQueries(opened.store);
  const stockAt = async (sku: string, location: string) => (await queries.stockOf(sku)).find((row) => row.location === location) ?? { onHand: 0, committed: 0, damaged: 0, available: 0 };
  return { opened, ledger, inbox, alerts, stockAt };
}

describe.each(STORE_KINDS)('marketplace orders through the inbox on %s', (kind) => {
  test('out-of-order lifecycles of 200 orders converge to their newest status with no negative stock (B5)', async () => {
    const { opened, inbox, stockAt } = await setup(1_000, kind);
    try {
      const events: Array<{ channel: string; event: ChannelEvent }> = [];
      const finals = new Map<string, ChannelOrderStatus>();
      const random = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), 2_000);
      let draw = 0;
      for (let index = 0; index < 200; index += 1) {
        const lifecycle = LIFECYCLES[index % LIFECYCLES.length]!;
        lifecycle.forEach((status, step) => events.push({ channel: 'ebay', event: { eventId: `o${index}-${status}`, type: 'order.updated', occurredAt: '', order: order(`O${index}`, status, 1_700_000_000_000 + step * 1_000) } }));
        finals.set(`O${index}`, lifecycle[lifecycle.length - 1]!);
      }
      events.sort(() => (random[draw++ % random.length]! % 3) - 1);
      for (const { channel, event } of events) await inbox.accept(channel, [event]);
      await inbox.drain();
      const lines = await opened.store.db.selectFrom('order_line').selectAll().execute();
      expect(lines).toHaveLength(200);
      for (const line of lines) expect(line.status).toBe(finals.get(line.order_id));
      // Open reservations: one per order whose newest status is created; shipped ones left on hand.
      const created = [...finals.values()].filter((status) => status === 'created').length;
      const shipped = [...finals.values()].filter((status) => status === 'shipped').length;
      const main = await stockAt('MUG', 'main');
      expect(main.committed).toBe(created);
      expect(main.onHand).toBe(1_000 - shipped); // returns received sellable came back
      expect(main.available).toBeGreaterThanOrEqual(0);
    } finally {
      await opened.close();
    }
  });

  test('each event delivered three times has exactly one effect (A6)', async () => {
    const { opened, inbox, stockAt } = await setup(1_000, kind);
    try {
      const events = Array.from({ length: 100 }, (_, index) => ({ eventId: `evt-${index}`, type: 'order.created' as const, occurredAt: '', order: order(`D${index}`, 'created', 1_700_000_000_000) }));
      const deliveries = [...events, ...events, ...events].sort((a, b) => (a.eventId < b.eventId ? 1 : -1));
      let duplicates = 0;
      for (const event of deliveries) duplicates += (await inbox.accept('ebay', [event])).duplicates;
      // The same order line under another event id (a poll and a notification of one change) is one line too.
      await inbox.accept('ebay', [{ ...events[0]!, eventId: 'poll:D0:created' }]);
      await inbox.drain();
      expect(duplicates).toBe(200);
      expect((await stockAt('MUG', 'main')).committed).toBe(100);
    } finally {
      await opened.close();
    }
  });

  test('a cancel that arrives before its create is kept and the late create reserves nothing', async () => {
    const { opened, inbox, stockAt } = await setup(10, kind);
    try {
      await inbox.accept('ebay', [{ eventId: 'c', type: 'order.cancelled', occurredAt: '', order: order('X', 'cancelled', 2_000) }]);
      await inbox.accept('ebay', [{ eventId: 'n', type: 'order.created', occurredAt: '', order: order('X', 'created', 1_000) }]);
      await inbox.drain();
      expect(await stockAt('MUG', 'main')).toMatchObject({ onHand: 10, committed: 0 });
    } finally {
      await opened.close();
    }
  });

  test('Amazon AFN orders draw on FBA only; returns restock by condition; kits take their components', async () => {
    const { opened, inbox, stockAt } = await setup(3, kind);
    try {
      await inbox.accept('amazon', [{ eventId: 'afn', type: 'order.created', occurredAt: '', order: order('A1', 'created', 1_000, 'MUG', 'marketplace') }]);
      await inbox.accept('amazon', [{ eventId: 'kit', type: 'order.created', occurredAt: '', order: order('K1', 'created', 1_000, 'SET') }]);
      await inbox.accept('ebay', [
        { eventId: 's1', type: 'order.created', occurredAt: '', order: order('R1', 'created', 1_000, 'PLATE') },
        { eventId: 's2', type: 'order.shipped', occurredAt: '', order: order('R1', 'shipped', 2_000, 'PLATE') },
        { eventId: 's3', type: 'return.requested', occurredAt: '', order: order('R1', 'return_requested', 3_000, 'PLATE') },
      ]);
      await inbox.drain();
      expect(await stockAt('MUG', 'fba')).toMatchObject({ onHand: 5, committed: 1 });
      expect(await stockAt('MUG', 'main')).toMatchObject({ onHand: 3, committed: 2 });
      // Requested but not received: nothing comes back yet.
      expect(await stockAt('PLATE', 'main')).toMatchObject({ onHand: 2, committed: 1 });
      await inbox.accept('ebay', [{ eventId: 's4', type: 'return.received', occurredAt: '', order: order('R1', 'return_received', 4_000, 'PLATE', 'merchant', 'damaged') }]);
      await inbox.drain();
      expect(await stockAt('PLATE', 'main')).toMatchObject({ onHand: 2, damaged: 1 });
    } finally {
      await opened.close();
    }
  });

  test('an order no permitted location can cover is an oversell with an alert, after trying every location', async () => {
    const { opened, inbox, alerts, ledger, stockAt } = await setup(1, kind);
    try {
      await ledger.adjust({ key: 'spare', channel: null, actor: 'test', sku: 'MUG', location: 'spare', delta: 1, reason: 'received' });
      await inbox.accept('ebay', [{ eventId: 'big', type: 'order.created', occurredAt: '', order: { ...order('B1', 'created', 1_000), lines: [{ lineId: '1', sku: 'MUG', quantity: 1 }] } }]);
      await inbox.accept('ebay', [{ eventId: 'b2', type: 'order.created', occurredAt: '', order: order('B2', 'created', 1_000) }]);
      await inbox.accept('ebay', [{ eventId: 'b3', type: 'order.created', occurredAt: '', order: order('B3', 'created', 1_000) }]);
      await inbox.drain();
      expect((await stockAt('MUG', 'main')).committed).toBe(1);
      expect((await stockAt('MUG', 'spare')).committed).toBe(1);
      expect(alerts.map((alert) => alert.orderId)).toEqual(['B3']);
      expect(await opened.store.db.selectFrom('oversell').selectAll().execute()).toHaveLength(1);
    } finally {
      await opened.close();
    }
  });

  test('an event that fails retryably waits alone with a backoff while the events behind it are applied', async () => {
    const { opened, inbox, stockAt } = await setup(10, kind);
    try {
      // Only an order id, and no connector to fetch it with: a retryable failure.
      await inbox.accept('amazon', [{ eventId: 'needs-fetch', type: 'order.created', occurredAt: '', orderId: 'W-1' }]);
      await new Promise((resolve) => setTimeout(resolve, 5)); // received strictly first
      await inbox.accept('ebay', [{ eventId: 'c1', type: 'order.created', occurredAt: '', order: order('C1', 'created', 1_000) }]);
      await inbox.accept('ebay', [{ eventId: 'c2', type: 'order.created', occurredAt: '', order: order('C2', 'created', 1_000) }]);
      expect(await inbox.drain()).toBe(2);
      expect((await stockAt('MUG', 'main')).committed).toBe(2);
      const waiting = await opened.store.db.selectFrom('inbox_event').selectAll().where('id', '=', 'amazon:needs-fetch').executeTakeFirstOrThrow();
      expect([waiting.state, waiting.attempts]).toEqual(['pending', 1]);
      expect(waiting.next_attempt_at).toBeGreaterThan(waiting.received_at);
      // Draining again at once does not hammer it: its retry time has not come.
      expect(await inbox.drain()).toBe(0);
      expect((await opened.store.db.selectFrom('inbox_event').select('attempts').where('id', '=', 'amazon:needs-fetch').executeTakeFirstOrThrow()).attempts).toBe(1);
    } finally {
      await opened.close();
    }
  });
});
