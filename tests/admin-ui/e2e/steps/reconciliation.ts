/**
 * Reconciliation from wp-admin: a run started from the screen follows its progress to the result,
 * finds the Etsy listing changed outside Shelfguard, and is then in the history of runs, whose row
 * opens the drift that run found. Compare only: the drift stays for the Products screen's filter.
 */
import { ctx, daemonJson, expect, openScreen, shot, type Step } from '../context.js';

const RUN_WAIT_MS = 60_000;

export const reconciliationSteps: Step[] = [
  ['a reconciliation run from the UI finds the listing changed on Etsy and is then in the history', async () => {
    const page = ctx.admin.page;
    // The stack changed PLATE on Etsy behind Shelfguard's back; set it again so this step stands alone.
    await ctx.stack.fleet.call('etsy', 'PUT', '/listings/PLATE/quantity', { quantity: 40 });
    await openScreen(page, 'Reconciliation');
    await page.getByRole('button', { name: 'Run reconciliation now' }).click();
    await page.getByRole('table', { name: 'Reconciliation result per channel' }).waitFor({ timeout: RUN_WAIT_MS });
    await page.locator('.shelfguard-reconciliation__progress').getByText('Changed outside Shelfguard').first().waitFor();
    const { runs } = await daemonJson('/v1/admin/reconcile/runs?limit=1');
    const run = runs[0];
    expect(run?.trigger === 'admin' && run.status === 'finished' && run.fix === false, `the newest recorded run should be this screen's finished comparing run, got ${JSON.stringify(run)}`);
    const { drift } = await daemonJson(`/v1/admin/reconcile/runs/${run.id}`);
    expect(drift.some((item: { channel: string; sku: string; shown: number }) => item.channel === 'etsy' && item.sku === 'PLATE' && item.shown === 40), `the run should have recorded Etsy's PLATE showing 40, got ${JSON.stringify(drift)}`);
    // The run heads the history table; its row opens the drift it found.
    const row = page.locator('.shelfguard-reconciliation__history tbody tr').first();
    await row.getByText('This screen').waitFor();
    await row.getByText('Finished').waitFor();
    await row.hover();
    await row.getByRole('button', { name: 'View drift' }).click();
    const opened = page.locator('.shelfguard-reconciliation__opened');
    await opened.getByRole('heading', { name: /^Run started / }).waitFor();
    await opened.getByText('PLATE').first().waitFor();
    await opened.getByText('Changed outside Shelfguard').first().waitFor();
    await shot(page, 'reconciliation');
  }],
];
