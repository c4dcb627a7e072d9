/**
 * End to end: the Shelfguard plugin in a real WordPress 6.8 (tests/lanes/35-e2e.sh) and the real
 * daemon, over real HTTP in both directions, signed with one secret generated for the run.
 *
 *  1. A stock change in WooCommerce reaches the daemon's ledger (product, movement, stock).
 *  2. B6: the daemon is down while WooCommerce sells; every queued event is delivered once it is
 *     back, none doubled, even when acknowledgements are lost and the plugin sends them again.
 *  3. The daemon's WooCommerce connector pushes targets that land as the right relative changes;
 *     a retried push is answered duplicate; B16: nothing it causes comes back to the ledger.
 *  4. A bad signature is refused on either side and changes nothing.
 *
 * Figures (events, durations) are printed at the end and written to var/e2e-figures.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createChannel } from '../../daemon/src/channels/woocommerce/index.js';
import type { QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { newSecret } from '../helpers/daemon.js';
import type { StoreKind } from '../helpers/stores.js';
import { LedgerDaemon, SITE_URL, seeded, siteAnswers, sleep, wp, wpCron, type Delivery, type QueueView } from './support.js';

const STORE = (process.env.SHELFGUARD_E2E_STORE ?? 'sqlite') as StoreKind;
const SELL_LINES = Number(process.env.SHELFGUARD_E2E_LINES ?? 600);
const PUSH_PRODUCTS = 50;
const PUSH_ROUNDS = Number(process.env.SHELFGUARD_E2E_PUSH_ROUNDS ?? 20); // 50 × 20 = 1,000 pushes
const run = randomBytes(3).toString('hex').toUpperCase(); // SKUs unique to this run
const figures: Record<string, unknown> = { store: STORE };

let daemon: LedgerDaemon;
let site = '';
let wooCredentials: { username: string; applicationPassword: string; webhookSecret: string };

type Product = { id: number; sku: string };

async function stockInWoo(products: Product[]): Promise<Record<string, number>> {
  return wp('stock', { ids: products.map((product) => product.id) });
}

async function queueOf(products: Product[]): Promise<QueueView> {
  return wp<QueueView>('queue', { product_ids: products.map((product) => product.id) });
}

/** Event type → status of the queued events of some products (one status per type expected). */
async function typesOf(products: Product[]): Promise<Record<string, string>> {
  return Object.fromEntries((await queueOf(products)).rows.map((row) => [row.event_type, row.status]));
}

/** Runs the scheduled delivery job until nothing is due; the totals of every run. */
async function deliverAll(): Promise<Delivery> {
  const total: Delivery = { delivered: 0, dead: 0, retrying: 0, error: '', ms: 0 };
  for (let round = 0; round < 20; round += 1) {
    const result = await wp<Delivery>('deliver');
    total.delivered += result.delivered; total.dead += result.dead; total.retrying += result.retrying; total.ms += result.ms;
    total.error = result.error;
    if (result.error || result.delivered + result.dead + result.retrying === 0) break;
  }
  return total;
}

beforeAll(async () => {
  if (!(await siteAnswers())) throw new Error(`no WordPress test site answers at ${SITE_URL}: run tests/lanes/35-e2e.sh, which installs and starts it`);
  daemon = new LedgerDaemon(STORE);
  await daemon.start();
  // The administrator's settings: the daemon's URL and the shared secret; an application
  // password for the daemon's connector to read WooCommerce's REST API.
  const configured = await wp<{ site: string; username: string; application_password: string }>('configure', { daemon_url: daemon.url, application_password: true }, daemon.secret);
  site = configured.site;
  wooCredentials = { username: configured.username, applicationPassword: configured.application_password, webhookSecret: daemon.secret };
});

afterAll(async () => {
  await daemon?.destroy();
  mkdirSync('var', { recursive: true });
  writeFileSync('var/e2e-figures.json', `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`\ne2e figures: ${JSON.stringify(figures)}\n`);
});

test('a stock change in WooCommerce reaches the daemon\'s ledger: the product, the sale, its cancel', async () => {
  const [product] = await wp<Product[]>('products', { count: 1, stock: 25, prefix: `${run}-ONE` });
  // The request that created the product queued its events and scheduled their delivery; the
  // site's cron endpoint runs that job, as the shop's system cron would.
  let started = Date.now();
  expect(await wpCron()).toBe(200);
  figures.productToLedgerMs = Date.now() - started;
  expect(await typesOf([product!])).toEqual({ 'product.upserted': 'done', 'stock.set': 'done' }); // its record and its level
  expect(await daemon.stockOf(product!.sku)).toMatchObject({ onHand: 25, available: 25 });

  const [order] = await wp<Array<{ order_id: number; item_ids: number[] }>>('orders', { orders: [[[product!.id, 3]]] });
  started = Date.now();
  expect(await wpCron()).toBe(200);
  figures.saleToLedgerMs = Date.now() - started;
  expect(await stockInWoo([product!])).toEqual({ [product!.id]: 22 });
  expect(await daemon.stockOf(product!.sku)).toMatchObject({ onHand: 22 });

  const why = await daemon.admin(`/v1/admin/skus/${encodeURIComponent(product!.sku)}/why`);
  expect(why.status).toBe(200);
  expect(why.json.stock[0]).toMatchObject({ onHand: 22 });
  const sale = why.json.movements.find((movement: { key: string }) => movement.key === `wc:${site}:${order!.item_ids[0]}:reduce:1`);
  expect(sale).toMatchObject({ deltaOnHand: -3, channel: 'woocommerce', reference: `woo://order/${order!.order_id}/item/${order!.item_ids[0]}` });
  expect(why.json.channels).toEqual([expect.objectContaining({ channel: 'woocommerce', channelSku: String(product!.id) })]);

  await wp('status', { order_ids: [order!.order_id], status: 'cancelled' });
  expect(await wpCron()).toBe(200);
  expect(await stockInWoo([product!])).toEqual({ [product!.id]: 25 });
  expect(await daemon.stockOf(product!.sku)).toMatchObject({ onHand: 25 });
  const keys = (await daemon.movementsOf(product!.sku)).map((movement) => movement.key);
  expect(keys).toContain(`wc:${site}:${order!.item_ids[0]}:restore:1`);
  expect((await queueOf([product!])).statuses).toEqual({ done: expect.any(Number) }); // nothing left to send
});

test(`B6: with the daemon down WooCommerce sells ${SELL_LINES} lines; all are delivered once it is back, none lost, none doubled`, async () => {
  const products = await wp<Product[]>('products', { count: 20, stock: 100, prefix: `${run}-DOWN` });
  expect((await deliverAll()).error).toBe('');
  for (const product of products.slice(0, 2)) expect(await daemon.stockOf(product.sku)).toMatchObject({ onHand: 100 });

  await daemon.stop();
  // Shoppers keep buying: requests of 3 orders of 10 lines each, 1 or 2 units a line.
  const random = seeded(6);
  const sold = new Map<number, { lines: number; units: number }>(products.map((product) => [product.id, { lines: 0, units: 0 }]));
  const requests: number[][][][] = [];
  for (let line = 0; line < SELL_LINES; line += 1) {
    if (line % 30 === 0) requests.push([]);
    const orders = requests[requests.length - 1]!;
    if (line % 10 === 0) orders.push([]);
    const product = products[line % products.length]!;
    const units = 1 + Math.floor(random() * 2);
    orders[orders.length - 1]!.push([product.id, units]);
    sold.get(product.id)!.lines += 1; sold.get(product.id)!.units += units;
  }
  let started = Date.now();
  // Two shoppers' requests at a time, on the same products.
  for (let index = 0; index < requests.length; index += 2) await Promise.all(requests.slice(index, index + 2).map((orders) => wp('orders', { orders })));
  figures.sellRequests = requests.length;
  figures.sellMsWhileDown = Date.now() - started;

  const queued = await queueOf(products);
  const lineRows = queued.rows.filter((row) => row.event_type === 'order.line.reduced');
  expect(lineRows).toHaveLength(SELL_LINES);
  expect(lineRows.every((row) => row.status === 'pending')).toBe(true);
  const waiting = queued.statuses.pending!; // the lines, and the checkout holds they released
  const doneBefore = queued.statuses.done!;

  const whileDown = await wp<Delivery>('deliver');
  expect(whileDown.error).toMatch(/^network:/);
  expect(whileDown.delivered).toBe(0);
  figures.deliveryAttemptWhileDownMs = whileDown.ms;
  expect((await queueOf(products)).statuses).toEqual({ done: doneBefore, pending: waiting }); // nothing lost, nothing given up

  await daemon.start(); // same ledger, same port
  started = Date.now();
  // The scheduled job runs (here every second) and sends what is due: the first retry comes 5 s
  // after the failed attempt.
  let delivered = 0;
  while (Date.now() - started < 60_000) {
    const result = await wp<Delivery>('deliver');
    delivered += result.delivered;
    expect(result.dead).toBe(0);
    if (((await queueOf(products)).statuses.pending ?? 0) === 0) break;
    await sleep(1_000);
  }
  figures.b6OrderLines = SELL_LINES;
  figures.b6EventsQueuedWhileDown = waiting;
  figures.b6DeliveredAfterRestart = delivered;
  figures.b6RestartToAllDeliveredMs = Date.now() - started;
  expect(delivered).toBe(waiting);
  expect((await queueOf(products)).statuses).toEqual({ done: doneBefore + waiting });

  const levels = await stockInWoo(products);
  const saleKeys = new Set<string>();
  for (const product of products) {
    const movements = await daemon.movementsOf(product.sku);
    const sales = movements.filter((movement) => movement.key.includes(':reduce:'));
    expect({ sku: product.sku, lines: sales.length, units: -sales.reduce((sum, movement) => sum + movement.deltaOnHand, 0) }).toEqual({ sku: product.sku, ...sold.get(product.id) });
    // On a mismatch, the other movements of the SKU are printed with it: they are the suspects.
    const others = movements.filter((movement) => !movement.key.includes(':reduce:')).map((movement) => `${movement.reason} ${movement.deltaOnHand} ${movement.key}`);
    expect({ sku: product.sku, onHand: (await daemon.stockOf(product.sku))?.onHand, others }).toEqual({ sku: product.sku, onHand: levels[product.id], others });
    expect(levels[product.id]).toBe(100 - sold.get(product.id)!.units);
    for (const sale of sales) saleKeys.add(sale.key);
  }
  expect(saleKeys).toEqual(new Set(lineRows.map((row) => row.event_key)));

  // Acknowledgements lost: the plugin sends every one of those events again; the daemon
  // answers duplicate and the ledger does not move.
  const movementsBefore = (await Promise.all(products.map((product) => daemon.movementsOf(product.sku)))).flat().length;
  expect(await wp<number>('lose_acks', { product_ids: products.map((product) => product.id) })).toBe(doneBefore + waiting);
  started = Date.now();
  const again = await deliverAll();
  figures.redeliveredDuplicates = again.delivered;
  figures.redeliveryMs = Date.now() - started;
  expect(again).toMatchObject({ delivered: doneBefore + waiting, dead: 0, error: '' });
  expect((await Promise.all(products.map((product) => daemon.movementsOf(product.sku)))).flat()).toHaveLength(movementsBefore);
  for (const product of products.slice(0, 5)) expect(await daemon.stockOf(product.sku)).toMatchObject({ onHand: levels[product.id] });
});

test(`the connector's pushes land as relative adjustments, a retry is a duplicate, and B16: ${PUSH_PRODUCTS * PUSH_ROUNDS} pushes send nothing back`, async () => {
  const products = await wp<Product[]>('products', { count: PUSH_PRODUCTS, stock: 100, prefix: `${run}-PUSH` });
  expect((await deliverAll()).error).toBe('');
  const movementsBefore = new Map<string, number>();
  for (const product of products) movementsBefore.set(product.sku, (await daemon.movementsOf(product.sku)).length);
  const queueBefore = await queueOf(products);
  expect(queueBefore.statuses).toEqual({ done: 2 * PUSH_PRODUCTS }); // each product's record and level

  // Every request the connector makes to the plugin, and what the plugin answered.
  const sent: Array<{ adjustments: Array<{ key: string; product_id: number; delta: number }>; results: Array<{ key: string; status: string; stock_after?: number }> }> = [];
  let loseNextAnswer = false;
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).endsWith('/shelfguard/v1/adjustments')) return response;
    const text = await response.text();
    sent.push({ adjustments: JSON.parse(String(init!.body)).adjustments, results: JSON.parse(text).results });
    if (loseNextAnswer) { loseNextAnswer = false; throw new TypeError('fetch failed: the connection dropped before the answer arrived'); }
    return new Response(text, { status: response.status, headers: response.headers });
  };
  const channel = createChannel({ baseUrl: SITE_URL, credentials: wooCredentials, fetch: recordingFetch });
  const listing = (product: Product) => ({ sku: product.sku, identifiers: { productId: String(product.id) } });

  // One push whose answer is lost on the way back: WooCommerce applied it, the connector cannot
  // know. Its retry (same SKU, same version) reads WooCommerce's level first, finds the target
  // already there and sends nothing; the lost request itself, resent as it was, is answered
  // duplicate by the plugin and changes nothing.
  const first = products[0]!;
  loseNextAnswer = true;
  const lost = await channel.pushQuantities([{ listing: listing(first), quantity: 40, version: 1 }], 'single');
  expect(lost).toMatchObject([{ status: 'failed', error: { code: 'network', retryable: true } }]);
  expect(sent[0]!.adjustments).toEqual([expect.objectContaining({ product_id: first.id, delta: -60 })]);
  expect(await stockInWoo([first])).toEqual({ [first.id]: 40 });
  const retried = await channel.pushQuantities([{ listing: listing(first), quantity: 40, version: 1 }], 'single');
  expect(retried).toMatchObject([{ status: 'applied' }]);
  expect(sent).toHaveLength(1);
  const resentBody = JSON.stringify({ adjustments: sent[0]!.adjustments });
  const resentAt = new Date();
  const resent = await fetch(`${SITE_URL}/wp-json/shelfguard/v1/adjustments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_e2e_resend', 'webhook-timestamp': String(Math.floor(resentAt.getTime() / 1000)), 'webhook-signature': new Webhook(wooCredentials.webhookSecret!).sign('msg_e2e_resend', resentAt, resentBody) },
    body: resentBody,
  });
  expect(await resent.json()).toEqual({ results: [{ key: sent[0]!.adjustments[0]!.key, status: 'duplicate', stock_after: 40 }] });
  expect(await stockInWoo([first])).toEqual({ [first.id]: 40 });

  // Then rounds of absolute targets for every product, in bulk requests, as the sync engine sends them.
  const random = seeded(16);
  const level = new Map<number, number>(products.map((product) => [product.id, product === first ? 40 : 100]));
  let pushes = 0;
  const started = Date.now();
  for (let round = 0; round < PUSH_ROUNDS; round += 1) {
    const updates: QuantityUpdate[] = products.map((product) => ({ listing: listing(product), quantity: Math.floor(random() * 150), version: round + 2 }));
    const from = sent.length;
    const results = await channel.pushQuantities(updates, 'bulk');
    expect(results.filter((result) => result.status !== 'applied')).toEqual([]);
    pushes += updates.length;
    // Each target went as the difference from WooCommerce's level; none was sent for no change.
    const deltas = new Map(sent.slice(from).flatMap((request) => request.adjustments.map((adjustment) => [adjustment.product_id, adjustment.delta])));
    for (const update of updates) {
      const id = Number(update.listing.identifiers.productId);
      const expected = update.quantity - level.get(id)!;
      expect({ id, delta: deltas.get(id) ?? 0 }).toEqual({ id, delta: expected });
      level.set(id, update.quantity);
    }
    expect(sent.slice(from).flatMap((request) => request.results).filter((result) => result.status !== 'applied')).toEqual([]);
  }
  const pushMs = Date.now() - started;
  figures.b16Pushes = pushes;
  // The first request is the lost one above; the retry sent nothing.
  figures.b16AdjustmentsSent = sent.slice(1).reduce((sum, request) => sum + request.adjustments.length, 0);
  figures.b16Requests = sent.length - 1;
  figures.b16PushMs = pushMs;
  expect(await stockInWoo(products)).toEqual(Object.fromEntries([...level].map(([id, quantity]) => [String(id), quantity])));

  // Quiet: the stock hooks those adjustments fired queued nothing for the daemon...
  const queueAfter = await queueOf(products);
  expect(queueAfter.rows.filter((row) => !queueBefore.rows.some((before) => before.id === row.id))).toEqual([]);
  expect(queueAfter.statuses).toEqual({ done: 2 * PUSH_PRODUCTS });
  // ...so a delivery run sends nothing, and the ledger gets no movement from them.
  expect(await wp<Delivery>('deliver')).toMatchObject({ delivered: 0, dead: 0, retrying: 0, error: '' });
  for (const product of products) expect({ sku: product.sku, movements: (await daemon.movementsOf(product.sku)).length }).toEqual({ sku: product.sku, movements: movementsBefore.get(product.sku) });
  expect(await wp<number>('applied', { product_ids: products.map((product) => product.id) })).toBe(figures.b16AdjustmentsSent as number + 1);
}, 300_000); // a real WooCommerce under php -S takes about 115 ms an adjustment

test('a bad signature is refused on either side and changes nothing', async () => {
  // Plugin → daemon signed with a secret the daemon does not know: 401, kept for retry, nothing in the ledger.
  // The request that creates the product already tries to deliver it (its loopback), so the
  // wrong secret is set first; whichever runner tries first, the daemon refuses it.
  await wp('configure', { daemon_url: daemon.url }, newSecret());
  const [product] = await wp<Product[]>('products', { count: 1, stock: 7, prefix: `${run}-SIG` });
  const refused = await wp<Delivery>('deliver');
  expect(refused).toMatchObject({ delivered: 0, dead: 0 });
  let rows = (await queueOf([product!])).rows;
  for (let wait = 0; wait < 50 && !rows.every((row) => Number(row.attempts) >= 1); wait += 1) { await sleep(100); rows = (await queueOf([product!])).rows; }
  expect(rows.map((row) => [row.event_type, row.status, row.last_error]).sort()).toEqual([['product.upserted', 'pending', 'http 401'], ['stock.set', 'pending', 'http 401']]);
  expect((await daemon.admin(`/v1/admin/skus/${encodeURIComponent(product!.sku)}/why`)).status).toBe(404);
  // With the right secret back, the same events go through after their backoff (5 s): none lost.
  await wp('configure', { daemon_url: daemon.url }, daemon.secret);
  await sleep(5_500);
  expect(await deliverAll()).toMatchObject({ delivered: 2, error: '' });
  expect(await daemon.stockOf(product!.sku)).toMatchObject({ onHand: 7 });

  // Daemon → plugin with the wrong secret: the connector's push is refused (401), nothing applied.
  const impostor = createChannel({ baseUrl: SITE_URL, credentials: { ...wooCredentials, webhookSecret: newSecret() } });
  expect(await impostor.pushQuantities([{ listing: { sku: product!.sku, identifiers: { productId: String(product!.id) } }, quantity: 1, version: 1 }], 'single'))
    .toMatchObject([{ status: 'failed', error: { code: 'unauthorized', marketplaceCode: 'shelfguard_invalid_signature' } }]);
  // The right secret, but a body changed after signing, or a timestamp outside ±300 s: refused too.
  const body = JSON.stringify({ adjustments: [{ key: `e2e:${run}:tamper`, product_id: product!.id, sku: product!.sku, delta: -1, reason: 'correction' }] });
  const post = async (sentBody: string, signedBody: string, at: Date) => {
    const signature = new Webhook(daemon.secret).sign('msg_e2e_sig', at, signedBody);
    const response = await fetch(`${SITE_URL}/wp-json/shelfguard/v1/adjustments`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'msg_e2e_sig', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature }, body: sentBody });
    return { status: response.status, json: await response.json() as { code?: string } };
  };
  expect(await post(body.replace('-1', '-5'), body, new Date())).toMatchObject({ status: 401, json: { code: 'shelfguard_invalid_signature' } });
  expect(await post(body, body, new Date(Date.now() - 301_000))).toMatchObject({ status: 401, json: { code: 'shelfguard_stale_timestamp' } });
  expect(await stockInWoo([product!])).toEqual({ [product!.id]: 7 });
  expect(await wp<number>('applied', { product_ids: [product!.id] })).toBe(0);
  // The daemon → plugin direction with the right signature works on the same body: the control.
  expect(await post(body, body, new Date())).toMatchObject({ status: 200 });
  expect(await stockInWoo([product!])).toEqual({ [product!.id]: 6 });
  // And the daemon refuses a request signed with another secret outright (no event read).
  const forged = await fetch(`${daemon.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': new Webhook(newSecret()).sign('msg_forged', new Date(), '{"site":"x","events":[]}') }, body: '{"site":"x","events":[]}' });
  expect(forged.status).toBe(401);
});
