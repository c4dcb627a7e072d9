/**
 * Issue 6 in the browser: Products shows the catalogue in its structure (the shirt's variations
 * under it with the pool they share counted once on the shirt, the gift box with its components
 * and the boxes they make), the Drift filter keeps exactly the SKUs the last reconciliation found
 * shown differently, and the Overview draws each live channel's last hour of pushes.
 */
import { GIFT_BOXES, STRUCTURE_STOCK } from '../structured-catalogue.js';
import { ADMIN_PAGE, ctx, daemonJson, expect, openScreen, shot, until, type Step } from '../context.js';

const RECONCILE_WAIT_MS = 60_000;

const hasPlateDrift = (answer: { status: number; json: any }) => answer.status === 200 && answer.json.drift.some((entry: { channel: string; sku: string }) => entry.channel === 'etsy' && entry.sku === 'PLATE');

/** Starts a reconciliation through the daemon's admin API; one already running (409) serves as well. */
async function startReconciliation(): Promise<void> {
  const response = await fetch(`${ctx.stack.daemon.daemon.url}/v1/admin/reconcile`, { method: 'POST', headers: { authorization: `Bearer ${ctx.stack.daemon.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(response.status === 202 || response.status === 409 || response.status === 200, `starting a reconciliation answered ${response.status}`);
}

/** The ledger SKU codes the daemon's latest drift concerns (a listing's SKU, or the channel's own SKU when unmapped). */
async function driftedSkus(drift: Array<{ listingId: number | null; sku: string }>): Promise<string[]> {
  const { listings } = await daemonJson('/v1/admin/listings');
  const skuOf = new Map((listings as Array<{ id: number; sku: string }>).map((listing) => [listing.id, listing.sku]));
  return [...new Set(drift.map((entry) => (entry.listingId === null ? entry.sku : skuOf.get(entry.listingId) ?? entry.sku)))].sort();
}

async function rowSkus(): Promise<string[]> {
  const page = ctx.admin.page;
  const titles = await page.locator('tbody tr .dataviews-title-field').allInnerTexts();
  return titles.map((title) => title.replace(/^[—\s]+/, '').trim()).sort();
}

export const productsSteps: Step[] = [
  ['Products shows the shirt\'s variations under it with their shared pool counted once, and the gift box with its components', async () => {
    const page = ctx.admin.page;
    // A fresh page: these steps do not depend on what an earlier screen left behind.
    await page.goto(`${ADMIN_PAGE}#products`);
    await page.reload();
    await openScreen(page, 'Products');
    const rows = page.getByRole('row');
    const small = rows.filter({ hasText: 'Linen shirt size S' });
    await small.waitFor();
    expect(await small.locator('.dataviews-view-table__level').count() === 1, 'SHIRT-S is not shown one level under its parent');
    expect(await small.getByText('in SHIRT\'s pool').count() > 0, 'SHIRT-S does not say it draws on the shirt\'s pool');
    const order = await rows.allInnerTexts();
    const at = (text: string) => order.findIndex((row) => row.includes(text));
    expect(at('Linen shirt size M') === at('one stock pool shared by 2 variations') + 1 && at('Linen shirt size S') === at('Linen shirt size M') + 1, `the variations do not follow their parent: ${order.map((row) => row.split('\n')[0]).join(' | ')}`);
    const pool = await rows.filter({ hasText: 'one stock pool shared by 2 variations' }).locator('.shelfguard-products__number').allInnerTexts();
    expect(pool.slice(0, 3).join('|') === `${STRUCTURE_STOCK.SHIRT}|0|${STRUCTURE_STOCK.SHIRT}`, `the shirt's pool reads ${pool.join('|')}`);
    const box = rows.filter({ hasText: 'Gift box' });
    await box.getByRole('list', { name: 'Components of GIFT-BOX' }).getByText(`2 × SAUCER (${STRUCTURE_STOCK.SAUCER} available)`).waitFor();
    const boxCells = await box.locator('.shelfguard-products__number').allInnerTexts();
    expect(boxCells[2] === String(GIFT_BOXES), `the gift box shows ${boxCells[2]} available, not ${GIFT_BOXES}`);
    const { skus } = await daemonJson('/v1/admin/skus');
    expect(skus.find((sku: { sku: string }) => sku.sku === 'GIFT-BOX')?.kitAvailable === GIFT_BOXES, 'the daemon does not make 4 gift boxes');
    await shot(page, 'products-structure');
  }],
  ['after a reconciliation run the Drift filter keeps exactly the SKUs a channel showed differently', async () => {
    const page = ctx.admin.page;
    let answer = await ctx.stack.daemon.admin('/v1/admin/reconcile/drift');
    if (answer.status === 404) {
      await openScreen(page, 'Products');
      expect(await page.getByText('Not available from this daemon version.').count() > 0, 'Products should say drift is not available from this daemon');
      return;
    }
    // The Reconciliation step runs one from the UI; without its result, start one here.
    if (!hasPlateDrift(answer)) await startReconciliation();
    await until(async () => hasPlateDrift(answer = await ctx.stack.daemon.admin('/v1/admin/reconcile/drift')), 'a reconciliation to record Etsy\'s PLATE drift', RECONCILE_WAIT_MS);
    const expected = await driftedSkus(answer.json.drift);
    // Another tab and back: the screen reads the daemon afresh.
    await openScreen(page, 'Overview');
    await openScreen(page, 'Products');
    await page.locator('.dataviews-filters__summary-chip').filter({ hasText: 'Flags' }).click();
    await page.getByRole('option', { name: 'Drift' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('row').filter({ hasText: 'plate' }).getByText('showed 40 at the last check', { exact: false }).waitFor();
    await until(async () => JSON.stringify(await rowSkus()) === JSON.stringify(expected), `the Drift filter to keep ${expected.join(', ')} (it keeps ${(await rowSkus()).join(', ')})`);
    expect(!expected.includes('SHIRT'), 'the shirt itself is not listed, so it cannot have drifted');
    await shot(page, 'products-drift');
  }],
  ['the Overview draws each live channel\'s last hour of pushes as a chart with points', async () => {
    const page = ctx.admin.page;
    await openScreen(page, 'Overview');
    const history = await daemonJson('/v1/admin/pushes/latency?minutes=60');
    const pushed = (channel: string) => history.channels.find((series: { channel: string }) => series.channel === channel)?.buckets.reduce((sum: number, bucket: { pushes: number }) => sum + bucket.pushes, 0) ?? 0;
    expect(pushed('tiktok') > 0, 'the daemon recorded no TikTok Shop pushes in the last hour');
    const chart = page.getByRole('img', { name: /^Propagation latency on TikTok Shop over the last hour: [\d,.\s]+ push/ });
    await chart.waitFor();
    expect(await chart.locator('.shelfguard-latency-chart__point.is-p50').count() > 0, 'the TikTok Shop chart has no points');
    await shot(page, 'overview-latency');
  }],
];
