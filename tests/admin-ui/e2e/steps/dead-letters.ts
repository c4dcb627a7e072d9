/**
 * Dead letters from wp-admin: the eBay sandbox answers every request with a 500 until three
 * pushes run out of their attempts and are dead-lettered for real. The Overview lists them; one
 * that another operator resolved meanwhile answers its stale Retry with "already dealt with",
 * one is resolved from its row, and, once eBay is healthy again, Retry all retries the other two
 * in one call to the daemon and eBay ends up showing the ledger's quantities. The daemon re-drives a dead letter by itself after
 * a cool-down of 30 s (or 2 s after its channel's next success), so each step acts well within it.
 */
import { ADMIN_PAGE, ctx, daemonJson, expect, shot, until, type Step } from '../context.js';

const CHANNEL = 'ebay';
/** Retried from the UI (with RETRIED_ALL), resolved from the UI, resolved behind the UI's back. */
const RETRIED = 'PLATE';
const RESOLVED = 'TEAPOT';
const TAKEN = 'MUG-BLUE';
/** Retried by Retry all with RETRIED. */
const RETRIED_ALL = 'MUG-RED';
/** Six attempts with backoff (250 ms doubling, half jitter) take up to about 8 s. */
const DEATH_WAIT_MS = 30_000;

interface DeadLetter { id: string; kind: string; channel: string; reference: string; error: string; attempts: number }

async function ebayDeadLetters(): Promise<DeadLetter[]> {
  return (await daemonJson(`/v1/admin/dead-letters?channel=${CHANNEL}`)).deadLetters;
}

/** The unresolved push dead letter of one SKU's eBay listing (`listing:<id>:<channel sku>`). */
async function deadLetterOf(sku: string): Promise<DeadLetter | undefined> {
  return (await ebayDeadLetters()).find((letter) => letter.kind === 'push' && letter.reference.endsWith(`:${sku}`));
}

async function ebayFaults(rate5xx: number): Promise<void> {
  await ctx.stack.fleet.call(CHANNEL, 'PUT', '/faults', { rate5xx });
}

function deadLetterTable() {
  return ctx.admin.page.getByRole('table', { name: 'Dead letters waiting for a decision' });
}

export const deadLetterSteps: Step[] = [
  ['pushes the eBay sandbox refuses until their attempts run out are listed as dead letters on the Overview', async () => {
    for (const sku of [RETRIED, RESOLVED, TAKEN, RETRIED_ALL]) expect(await deadLetterOf(sku) === undefined, `${sku} already had an eBay dead letter`);
    await ebayFaults(1);
    const { ledger } = ctx.stack.daemon.daemon;
    for (const sku of [RETRIED, RESOLVED, TAKEN, RETRIED_ALL]) {
      const received = await ledger.adjust({ key: `e2e:dead-letters:${sku}`, channel: null, actor: 'e2e', sku, location: 'main', delta: 1, reason: 'received' });
      expect(received.ok, `cannot receive ${sku}`);
    }
    await until(async () => (await Promise.all([RETRIED, RESOLVED, TAKEN, RETRIED_ALL].map(deadLetterOf))).every(Boolean), 'four eBay pushes to be dead-lettered', DEATH_WAIT_MS);
    const letter = (await deadLetterOf(RETRIED))!;
    expect(letter.attempts === 6 && letter.error.startsWith('server_error'), `the dead letter should record 6 attempts and a server error, got ${JSON.stringify(letter)}`);
    expect(ctx.stack.fleet.shown(CHANNEL, RETRIED) !== await ctx.stack.published(CHANNEL, RETRIED), `eBay already shows the ledger's ${RETRIED}`);
    const page = ctx.admin.page;
    // A fresh Overview: the screen the steps before left open may hold an older list.
    await page.goto(`${ADMIN_PAGE}#overview`);
    await page.reload();
    for (const sku of [RETRIED, RESOLVED, TAKEN, RETRIED_ALL]) await deadLetterTable().getByRole('row', { name: new RegExp(sku) }).waitFor();
    await deadLetterTable().getByRole('row', { name: new RegExp(RETRIED) }).getByText(/^server_error/).waitFor();
    await page.getByRole('button', { name: /^Retry all of eBay \(\d+\)$/ }).waitFor();
    await shot(page, 'dead-letters');
  }],
  ['a dead letter someone else resolved meanwhile says so when retried, and leaves the list', async () => {
    const taken = (await deadLetterOf(TAKEN))!;
    const answer = await fetch(`${ctx.stack.daemon.daemon.url}/v1/admin/dead-letters/${taken.id}/resolve`, { method: 'POST', headers: { authorization: `Bearer ${ctx.stack.daemon.adminToken}` } });
    expect(answer.status === 200, `resolving behind the UI's back answered ${answer.status}`);
    const page = ctx.admin.page;
    await page.getByRole('button', { name: `Retry ${TAKEN} on eBay` }).click();
    await page.locator('.shelfguard-dead-letters__outcome').getByText(`The dead letter of ${TAKEN} on eBay was already dealt with`, { exact: false }).first().waitFor();
    await deadLetterTable().getByRole('row', { name: new RegExp(TAKEN) }).waitFor({ state: 'detached' });
  }],
  ['Resolve acknowledges a dead letter without pushing', async () => {
    const page = ctx.admin.page;
    await page.getByRole('button', { name: `Resolve ${RESOLVED} on eBay without retrying` }).click();
    await page.locator('.shelfguard-dead-letters__outcome').getByText(`The dead letter of ${RESOLVED} on eBay is resolved without a retry.`).first().waitFor();
    await deadLetterTable().getByRole('row', { name: new RegExp(RESOLVED) }).waitFor({ state: 'detached' });
    expect(await deadLetterOf(RESOLVED) === undefined, `the daemon still has ${RESOLVED}'s dead letter open`);
  }],
  // Retry all rather than a row's Retry: once one push on eBay succeeds, the daemon's own re-drive
  // takes the other dead letters within 2 s, and a second action would race it. A row's Retry
  // is covered by the step above (its stale answer) and by the unit and route tests.
  ['once eBay is healthy again, Retry all retries the rest in one call, and eBay shows the ledger\'s quantities', async () => {
    await ebayFaults(0);
    const page = ctx.admin.page;
    // Two here, more if an earlier step left eBay dead letters of its own: all go in the one call.
    await page.getByRole('button', { name: /^Retry all of eBay \(\d+\)$/ }).click();
    await page.locator('.shelfguard-dead-letters__outcome').getByText(/^\d+ dead letters of eBay retried\./).first().waitFor();
    for (const sku of [RETRIED, RETRIED_ALL]) {
      await deadLetterTable().getByRole('row', { name: new RegExp(sku) }).waitFor({ state: 'detached' });
      expect(await deadLetterOf(sku) === undefined, `the daemon still has ${sku}'s dead letter open`);
      await until(async () => ctx.stack.fleet.shown(CHANNEL, sku) === await ctx.stack.published(CHANNEL, sku), `the eBay sandbox to show the ledger's ${sku}`);
    }
    // The channel counts were read again with the list: eBay has no dead letter left to alert on.
    if ((await ebayDeadLetters()).length === 0) {
      await until(async () => await page.locator('.shelfguard-overview__alerts').getByText(/^eBay: \d+ dead letters?, /).count() === 0, 'the eBay dead-letter alert to go');
      await page.getByRole('button', { name: /^Retry all of eBay/ }).waitFor({ state: 'detached' });
    }
    if ((await daemonJson('/v1/admin/dead-letters')).deadLetters.length === 0) {
      await page.getByText('No dead letters: every push and marketplace event went through.').waitFor();
    }
  }],
];
