/**
 * The polling fallback: for each channel, reads orders changed since a stored cursor and puts
 * them into the same inbox as notifications (event id = order id + status + update time, so a
 * notification and a poll of the same change may both arrive; the line's newest-wins state makes
 * the second a no-op). Amazon's SQS queue is drained here too: its acknowledgement is sent only
 * after the inbox committed. Each channel is polled no faster than its documented order rate.
 */
import type { Channel, ChannelEvent } from '../channels/channel.js';
import type { Store } from '../ledger/store.js';
import type { OrderInbox } from './order-inbox.js';

export const POLL_INTERVAL_MS_DEFAULT = 60_000;
const SQS_INTERVAL_MS = 1_000;
const SQS_MESSAGES_MAX = 10;
const POLL_PAGES_MAX = 20;
const FIRST_POLL_LOOKBACK_MS = 3_600_000;
/** The order-reading operation of each connector, for its documented rate. */
const ORDER_OPERATIONS: Record<string, string> = { amazon: 'searchOrders', ebay: 'getOrders', walmart: 'getOrders', tiktok: 'searchOrders', etsy: 'getShopReceipts' };

export class OrderPoller {
  /** Timers per channel, so a channel connected or disconnected at run time starts or stops alone. */
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly busy = new Set<string>();
  private started = false;

  private readonly channels: Channel[];

  constructor(private readonly store: Store, private readonly inbox: OrderInbox, channels: Channel[], private readonly intervalMs = POLL_INTERVAL_MS_DEFAULT, private readonly onError: (error: unknown) => void = () => {}) {
    this.channels = [...channels];
  }

  start(): void {
    this.started = true;
    for (const channel of this.channels) this.schedule(channel);
  }

  stop(): void {
    this.started = false;
    for (const timers of this.timers.values()) for (const timer of timers) clearInterval(timer);
    this.timers.clear();
  }

  /** Polls a channel connected while the daemon runs (from the admin UI). */
  add(channel: Channel): void {
    this.remove(channel.name);
    this.channels.push(channel);
    if (this.started) this.schedule(channel);
  }

  /** Stops polling a channel that was disconnected; its stored cursor stays for a reconnection. */
  remove(name: string): void {
    for (const timer of this.timers.get(name) ?? []) clearInterval(timer);
    this.timers.delete(name);
    const index = this.channels.findIndex((channel) => channel.name === name);
    if (index >= 0) this.channels.splice(index, 1);
  }

  private schedule(channel: Channel): void {
    const operation = ORDER_OPERATIONS[channel.name];
    if (!operation) return; // WooCommerce orders come through the plugin's events
    const rate = channel.limits.operations[operation]?.ratePerSecond ?? 1;
    const interval = Math.max(this.intervalMs, Math.ceil(1000 / rate));
    const timers = [setInterval(() => this.guarded(`poll:${channel.name}`, () => this.pollOnce(channel)), interval)];
    if (channel.receiveNotifications) timers.push(setInterval(() => this.guarded(`sqs:${channel.name}`, () => this.receiveOnce(channel)), SQS_INTERVAL_MS));
    this.timers.set(channel.name, timers);
  }

  private guarded(key: string, work: () => Promise<unknown>): void {
    if (this.busy.has(key)) return;
    this.busy.add(key);
    void work().catch(this.onError).finally(() => this.busy.delete(key));
  }

  /** One poll of a channel: every page since the stored cursor; returns the events accepted. */
  async pollOnce(channel: Channel): Promise<number> {
    const stored = await this.store.db.selectFrom('channel_cursor').select('cursor').where('channel', '=', channel.name).executeTakeFirst();
    let cursor = stored?.cursor ?? new Date(Date.now() - FIRST_POLL_LOOKBACK_MS).toISOString();
    let accepted = 0;
    for (let page = 0; page < POLL_PAGES_MAX; page += 1) {
      const read = await channel.readOrders(cursor);
      if (!read.ok) return accepted;
      const events: ChannelEvent[] = read.value.orders.map((order) => ({ eventId: `poll:${order.orderId}:${order.status}:${order.updatedAt}`, type: 'order.updated', occurredAt: order.updatedAt, order }));
      accepted += (await this.inbox.accept(channel.name, events)).accepted;
      cursor = read.value.cursor;
      await this.saveCursor(channel.name, cursor, stored !== undefined || page > 0);
      if (!read.value.hasMore) break;
    }
    return accepted;
  }

  async receiveOnce(channel: Channel): Promise<number> {
    const received = await channel.receiveNotifications!(SQS_MESSAGES_MAX);
    if (!received.ok || received.value.events.length === 0) return 0;
    const result = await this.inbox.accept(channel.name, received.value.events);
    await received.value.acknowledge();
    return result.accepted;
  }

  private async saveCursor(channel: string, cursor: string, exists: boolean): Promise<void> {
    const now = Date.now();
    if (exists) {
      const updated = await this.store.db.updateTable('channel_cursor').set({ cursor, updated_at: now }).where('channel', '=', channel).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return;
    }
    try {
      await this.store.db.insertInto('channel_cursor').values({ channel, cursor, updated_at: now }).execute();
    } catch {
      await this.store.db.updateTable('channel_cursor').set({ cursor, updated_at: now }).where('channel', '=', channel).execute();
    }
  }
}
