/**
 * Seller standing in the browser: an eBay order the seller cancels for lack of stock reaches the
 * ledger through the order inbox, the screen's "Check standing now" runs the daemon's check, the
 * alert it raises is shown beside eBay's metrics, and acknowledging it on the screen acknowledges
 * it at the daemon.
 */
import { ctx, daemonJson, expect, openScreen, shot, type Step } from '../context.js';

const INBOX_WAIT_MS = 30_000;
// Every read of the standing also reads eBay's official figures: poll gently, inside its rate limit.
const STANDING_POLL_MS = 1_000;

async function untilStanding(check: () => Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < INBOX_WAIT_MS) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, STANDING_POLL_MS));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function ebayTopRated(): Promise<{ orders: number; sellerCancellations: number } | undefined> {
  const { channels } = await daemonJson('/v1/admin/metrics');
  return channels.find((channel: any) => channel.channel === 'ebay')?.metrics.find((metric: any) => metric.metric === 'ebay_defect_rate_top_rated');
}

async function openEbayAlerts(): Promise<any[]> {
  const { alerts } = await daemonJson('/v1/admin/metrics/alerts?unacknowledged=1');
  return alerts.filter((alert: any) => alert.channel === 'ebay');
}

export const metricsSteps: Step[] = [
  ['an eBay order the seller cancels for lack of stock becomes a seller-standing alert on the Seller standing screen', async () => {
    const ordersBefore = (await ebayTopRated())?.orders ?? 0;
    const orderId = await ctx.stack.sell('ebay', 'PLATE', 1);
    await untilStanding(async () => ((await ebayTopRated())?.orders ?? 0) > ordersBefore, 'the eBay order to reach the ledger');
    await ctx.stack.fleet.call('ebay', 'POST', `/orders/${orderId}/cancel`, { reason: 'seller_out_of_stock' });
    await untilStanding(async () => ((await ebayTopRated())?.sellerCancellations ?? 0) >= 1, 'the seller cancellation to count against eBay');
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
