/**
 * Orders that make the daemon's own seller-standing check raise alerts, for the tests that follow
 * an alert from the daemon into WordPress (AlertDaemon.ts for PHPUnit, tests/e2e/alerts.e2e.ts):
 * on each channel, yesterday's shipped orders and one more oversold and cancelled by the seller.
 * Amazon's 1 of 41 is critical (below 2.5%: the next one misses it); Walmart's is breached (at most 2%).
 */
import type { Daemon } from '../../../daemon/src/main.js';
import { DAY_MS } from '../../../daemon/src/metrics/order-facts.js';

export const SHIPPED_ORDERS = 40;
export const ALERTING_CHANNELS = ['amazon', 'walmart'];
const SKU = 'ALERT-MUG';

function orderLine(channel: string, orderId: string, status: string, placedMs: number, updatedMs: number) {
  return {
    channel, order_id: orderId, line_id: '1', sku: SKU, quantity: 1, fulfillment: 'merchant', status, source_updated_at: updatedMs,
    stock_state: status === 'cancelled' ? 'released' : 'reserved', cancel_reason: status === 'cancelled' ? 'seller_out_of_stock' : null,
    placed_at: placedMs, created_at: placedMs, updated_at: updatedMs,
  };
}

/** Seeds every channel in `channels` on a running daemon's ledger. */
export async function seedSellerCancellations(daemon: Daemon, channels: readonly string[], nowMs: number): Promise<void> {
  const location = await daemon.catalogue.upsertLocation('main', 'Main');
  const sku = await daemon.catalogue.upsertSku({ code: SKU, kind: 'simple' });
  if (!location.ok || !sku.ok) throw new Error('cannot create the seed location or SKU');
  const placedMs = nowMs - DAY_MS;
  for (const channel of channels) {
    const created = await daemon.catalogue.upsertChannel({ code: channel, locations: ['main'] });
    const listed = await daemon.catalogue.upsertListing({ channel, sku: SKU });
    if (!created.ok || !listed.ok) throw new Error(`cannot list ${SKU} on ${channel}`);
    const rows = Array.from({ length: SHIPPED_ORDERS }, (_, index) => orderLine(channel, `${channel}-${index}`, 'shipped', placedMs, placedMs));
    rows.push(orderLine(channel, `${channel}-OVER`, 'cancelled', placedMs, placedMs + 60_000));
    await daemon.store.db.insertInto('order_line').values(rows).execute();
    await daemon.store.db.insertInto('oversell').values({
      id: `os_${channel}`, intent_key: `${channel}:order:${channel}-OVER:line:1:reserve`, channel, reference: `${channel}://order/${channel}-OVER/line/1`,
      sku_id: sku.value.id, requested: 1, available: 0, resolution: null, created_at: placedMs,
    }).execute();
  }
}
