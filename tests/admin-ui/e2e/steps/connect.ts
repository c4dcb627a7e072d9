/**
 * Issue 6 in the browser: the administrator connects the Walmart sandbox, which the daemon's
 * configuration does not know, from the Channels screen — a wrong secret first (the marketplace
 * refuses it, the form says so, nothing is stored), then the right one (masked from then on, in
 * shadow mode) — promotes it, and sees a stock change reach the Walmart sandbox.
 */
import { STOCK } from '../stack.js';
import { ADMIN_PAGE, ctx, daemonJson, expect, openScreen, shot, until, type Step } from '../context.js';

const storedConnections = async (): Promise<number> => (await ctx.stack.daemon.daemon.store.db.selectFrom('channel_connection').select('channel').execute()).length;

function walmart() {
  const member = ctx.stack.fleet.get('walmart');
  return { baseUrl: member.sandbox.baseUrl, clientId: member.sandbox.credentials.clientId!, clientSecret: member.sandbox.credentials.clientSecret! };
}

export const connectSteps: Step[] = [
  ['a wrong Walmart secret entered on the Channels screen is refused by the marketplace, and nothing is stored', async () => {
    const page = ctx.admin.page;
    // A fresh page: these steps must not depend on where the steps before them left the app.
    await page.goto(ADMIN_PAGE);
    await page.reload();
    await openScreen(page, 'Channels');
    const card = page.locator('[data-connection="walmart"]');
    await card.getByText('Not connected').first().waitFor();
    await card.getByRole('button', { name: 'Connect Walmart' }).click();
    const form = page.getByRole('form', { name: 'Connect Walmart' });
    await form.getByLabel('Client ID (required)').fill(walmart().clientId);
    await form.getByLabel('Client secret (required)').fill(`${walmart().clientSecret.slice(0, -5)}WRONG`);
    await form.getByLabel('Base URL').fill(walmart().baseUrl);
    await form.getByRole('button', { name: 'Save and connect' }).click();
    await form.getByRole('alert').getByText(/refused these credentials/).waitFor();
    await shot(page, 'channels-connect-refused');
    expect(await storedConnections() === 0, 'a refused connection was stored');
    const connection = await daemonJson('/v1/admin/channels/walmart/connection');
    expect(connection.connected === false && connection.source === null, `the daemon reports Walmart ${JSON.stringify({ connected: connection.connected, source: connection.source })}`);
  }],
  ['the right secret connects Walmart in shadow mode, and from then on it is shown masked', async () => {
    const page = ctx.admin.page;
    const { clientSecret } = walmart();
    const form = page.getByRole('form', { name: 'Connect Walmart' });
    await form.getByLabel('Client secret (required)').fill(clientSecret);
    await form.getByRole('button', { name: 'Save and connect' }).click();
    const card = page.locator('[data-connection="walmart"]');
    await card.getByText(`••••${clientSecret.slice(-4)}`).waitFor();
    await card.getByText('Connected · Shadow (validating)').waitFor();
    await page.locator('[data-channel="walmart"] .shelfguard-channels__mode.is-shadow').waitFor();
    expect(!(await page.content()).includes(clientSecret), 'the page contains the Walmart client secret');
    expect(await storedConnections() === 1, 'the connection was not stored');
    const row = await ctx.stack.daemon.daemon.store.db.selectFrom('channel_connection').selectAll().executeTakeFirstOrThrow();
    expect(!JSON.stringify(row).includes(clientSecret), 'the stored row holds the client secret in clear');
    await shot(page, 'channels-connect');
  }],
  ['Walmart is promoted from the Channels screen and a stock change reaches the Walmart sandbox', async () => {
    const { fleet, daemon, published } = ctx.stack;
    // The store's Walmart listings, as an import would find them: showing what the ledger would.
    await fleet.seedListings(daemon.daemon.catalogue, Object.keys(STOCK).map((sku) => ({ sku, quantity: 0 })), ['walmart']);
    for (const sku of Object.keys(STOCK)) await fleet.call('walmart', 'PUT', `/listings/${sku}/quantity`, { quantity: await published('walmart', sku) ?? 0 });
    const page = ctx.admin.page;
    await page.getByRole('button', { name: 'Promote Walmart to live' }).click();
    await page.locator('[data-channel="walmart"] .shelfguard-channels__mode.is-live').waitFor();
    const before = fleet.shown('walmart', 'TEAPOT');
    const received = await daemon.daemon.ledger.adjust({ key: 'e2e:connect:receive:TEAPOT', channel: null, actor: 'e2e', sku: 'TEAPOT', location: 'main', delta: 3, reason: 'received' });
    expect(received.ok, 'the stock change was refused');
    const expected = await published('walmart', 'TEAPOT');
    expect(expected !== before, `the stock change left Walmart's TEAPOT at ${before}`);
    await until(async () => fleet.shown('walmart', 'TEAPOT') === expected, `the Walmart sandbox to show ${expected} of TEAPOT`);
  }],
];
