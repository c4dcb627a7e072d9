/**
 * Seller standing in the browser: an eBay order the seller cancels for lack of stock reaches the
 * ledger through the order inbox, the screen's "Check standing now" runs the daemon's check, the
 * alert it raises is shown beside eBay's metrics, and acknowledging it on the screen acknowledges
 * it at the daemon.
 */
import { ctx, daemonJson, expect, openScreen, shot, type Step } from '../context.js';

const INBOX_WAIT_MS = 30_000;
const INBOX_POLL_MS = 250;

/** The order's status in the ledger's order inbox (GET /v1/admin/orders), or undefined before it arrives. */
async function ebayOrderStatus(orderId: string): Promise<string | undefined> {
  const { orders } = await daemonJson('/v1/admin/orders?channel=ebay');
  return orders.find((order: any) => order.orderId === orderId)?.status;
}

// Not GET /v1/admin/metrics: each read of the standing also spends one of eBay Analytics' 100 calls a day.
async function untilOrder(orderId: string, isWanted: (status: string | undefined) => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < INBOX_WAIT_MS) {
    if (isWanted(await ebayOrderStatus(orderId))) return;
    await new Promise((resolve) => setTimeout(resolve, INBOX_POLL_MS));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function openEbayAlerts(): Promise<any[]> {
  const { alerts } = await daemonJson('/v1/admin/metrics/alerts?unacknowledged=1');
  return alerts.filter((alert: any) => alert.channel === 'ebay');
}

export const metricsSteps: Step[] = [
  ['an eBay order the seller cancels for lack of stock becomes a seller-standing alert on the Seller standing screen', async () => {
    const orderId = await ctx.stack.sell('ebay', 'PLATE', 1);
    await untilOrder(orderId, (status) => status !== undefined, 'the eBay order to reach the ledger');
    await ctx.stack.fleet.call('ebay', 'POST', `/orders/${orderId}/cancel`, { reason: 'seller_out_of_stock' });
    await untilOrder(orderId, (status) => status === 'cancelled', 'the eBay cancellation to reach the ledger');
    expect((await openEbayAlerts()).length === 0, 'an eBay alert existed before the check');
    const page = ctx.admin.page;
    await openScreen(page, 'Seller standing');
    await page.getByRole('table', { name: 'Seller standing on eBay' }).getByRole('row', { name: /Transaction defect rate \(Top Rated\)/ }).waitFor();
    await page.getByRole('button', { name: 'Check standing now' }).click();
    await page.locator('.shelfguard-metrics__alert').getByRole('button', { name: 'Acknowledge the eBay alert' }).waitFor();
    // One defect inside eBay's allowance of three: two more and Top Rated is lost.
    await page.getByText('Can absorb 2 more seller-caused cancellations.').first().waitFor();
    expect((await openEbayAlerts()).length === 1, 'the daemon does not hold one open eBay alert');
    await shot(page, 'metrics');
  }],
  ['acknowledging the alert on the Seller standing screen acknowledges it at the daemon', async () => {
    const page = ctx.admin.page;
    const acknowledge = page.getByRole('button', { name: 'Acknowledge the eBay alert' });
    await acknowledge.click();
    // Other channels' alerts may stay open; the eBay one leaves the list once the daemon has it.
    await acknowledge.waitFor({ state: 'detached' });
    expect((await openEbayAlerts()).length === 0, 'the daemon still has the eBay alert open');
  }],
];
