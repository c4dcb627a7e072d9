/**
 * The one durable inbox every marketplace order event goes through, whether it came from a
 * verified notification, an SQS message or the polling fallback. Accepting is one insert per
 * event keyed `${channel}:${eventId}` (duplicates are absorbed by the key) and returns once
 * committed, so senders are acknowledged fast and nothing acknowledged is lost. A drain loop then
 * applies events in arrival order at its own pace; events that only name an order fetch it.
 */
import type { Channel, ChannelEvent, ChannelOrder } from '../channels/channel.js';
import { newId } from '../ledger/ids.js';
import type { Store } from '../ledger/store.js';
import { isUniqueViolation } from '../ledger/store.js';
import type { OrderProcessor } from './order-processor.js';

export const INBOX_BATCH_MAX = 200;
export const INBOX_ATTEMPTS_MAX = 8;
export const INBOX_RETRY_BASE_MS = 1_000;
export const INBOX_RETRY_CAP_MS = 5 * 60_000;

/** Backoff before an event's next attempt after `attempts` failures: pure. */
export function inboxRetryDelayMs(attempts: number): number {
  return Math.min(INBOX_RETRY_CAP_MS, INBOX_RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}
const INBOX_POLL_MS = 1_000;
const ORDER_EVENT_TYPES = new Set(['order.created', 'order.cancelled', 'order.shipped', 'order.updated', 'return.requested', 'return.received']);

export interface AcceptResult {
  accepted: number;
  duplicates: number;
}

export class OrderInbox {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly store: Store,
    private readonly processor: OrderProcessor,
    private readonly channelOf: (name: string) => Channel | undefined,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Stores events durably (once each) and wakes the drain. */
  async accept(channel: string, events: ChannelEvent[]): Promise<AcceptResult> {
    let accepted = 0;
    let duplicates = 0;
    for (const event of events) {
      if (!ORDER_EVENT_TYPES.has(event.type)) continue;
      try {
        await this.store.db.insertInto('inbox_event').values({
          id: `${channel}:${event.eventId}`.slice(0, 190), channel, event_id: event.eventId.slice(0, 150), type: event.type,
          order_id: event.order?.orderId ?? event.orderId ?? null, payload: JSON.stringify(event), state: 'pending', attempts: 0, error: null, next_attempt_at: null, received_at: this.nowMs(), processed_at: null,
        }).execute();
        accepted += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        duplicates += 1;
      }
    }
    if (accepted > 0) this.wake();
    return { accepted, duplicates };
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), INBOX_POLL_MS);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    void this.drain().catch(this.onError).finally(() => {
      this.running = false;
      if (this.again) { this.again = false; this.wake(); }
    });
  }

  /** Applies pending events until none is left; returns how many were applied. */
  async drain(): Promise<number> {
    let applied = 0;
    for (;;) {
      const rows = await this.store.db.selectFrom('inbox_event').selectAll().where('state', '=', 'pending')
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', this.nowMs())]))
        .orderBy('received_at').orderBy('id').limit(INBOX_BATCH_MAX).execute();
      if (rows.length === 0) return applied;
      for (const row of rows) {
        const event = JSON.parse(row.payload) as ChannelEvent;
        const outcome = await this.applyEvent(row.channel, event);
        const now = this.nowMs();
        if (outcome.ok) {
          await this.store.db.updateTable('inbox_event').set({ state: 'done', processed_at: now, attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
          applied += 1;
        } else if (outcome.retryable && row.attempts + 1 < INBOX_ATTEMPTS_MAX) {
          // Only this event waits (with backoff); the events behind it go on being applied.
          await this.store.db.updateTable('inbox_event').set({ attempts: row.attempts + 1, error: outcome.message.slice(0, 400), next_attempt_at: now + inboxRetryDelayMs(row.attempts + 1) }).where('id', '=', row.id).execute();
        } else {
          await this.store.transaction(async (trx) => {
            await trx.updateTable('inbox_event').set({ state: 'failed', processed_at: now, attempts: row.attempts + 1, error: outcome.message.slice(0, 400) }).where('id', '=', row.id).execute();
            await trx.insertInto('dead_letter').values({ id: newId('dl', now), kind: 'inbox', channel: row.channel, reference: row.id, payload: row.payload.slice(0, 60_000), error: outcome.message.slice(0, 400), attempts: row.attempts + 1, resolved_at: null, created_at: now }).execute();
          });
        }
      }
    }
  }

  private async applyEvent(channel: string, event: ChannelEvent): Promise<{ ok: true } | { ok: false; retryable: boolean; message: string }> {
    let order: ChannelOrder | undefined = event.order;
    if (!order && event.orderId) {
      const connector = this.channelOf(channel);
      if (!connector) return { ok: false, retryable: true, message: `${channel} is not connected: cannot fetch order ${event.orderId}` };
      const fetched = await connector.getOrder(event.orderId);
      if (!fetched.ok) return { ok: false, retryable: fetched.error.retryable, message: `getOrder ${event.orderId}: ${fetched.error.code}: ${fetched.error.message}` };
      order = fetched.value;
    }
    if (!order) return { ok: false, retryable: false, message: `event ${event.eventId} carries no order` };
    const result = await this.processor.apply(channel, order);
    return result.ok ? { ok: true } : result;
  }
}
