/**
 * `shelfguard demo`: the daemon on an embedded SQLite ledger with a sample store. WooCommerce
 * orders arrive as signed plugin events over HTTP; marketplace orders reserve stock in the ledger;
 * each sale prints what every channel may now show, and orders that do not fit are refused and
 * recorded. (The sync engine that pushes to the marketplace sandboxes builds on this.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { LedgerQueries } from '../ledger/queries.js';
import { createLogger } from '../logger.js';
import { startDaemon, type Daemon } from '../main.js';
import { sign } from '../signing/standard-webhooks.js';
import { seededRandom } from '../sandbox/kit/seeded-random.js';
import { readStatus, printStatus } from './status-command.js';
import { formatTable, printJson } from './output.js';

const MARKETPLACES = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'];
const PRODUCTS = [
  { id: 101, sku: 'MUG-BLUE', name: 'Blue mug', stock: 12 },
  { id: 102, sku: 'MUG-RED', name: 'Red mug', stock: 3 },
  { id: 103, sku: 'TEAPOT', name: 'Teapot', stock: 6 },
];

async function postEvents(daemon: Daemon, secret: string, events: unknown[]): Promise<unknown> {
  const body = JSON.stringify({ site: 'demo.shop', events });
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${daemon.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, id, timestamp, body) }, body });
  return response.json();
}

async function seedCatalogue(daemon: Daemon, secret: string): Promise<void> {
  const now = new Date().toISOString();
  await postEvents(daemon, secret, [
    ...PRODUCTS.map((product) => ({ id: `wc:demo.shop:product:${product.id}:upsert:seed`, type: 'product.upserted', occurred_at: now, product: { id: product.id, sku: product.sku, name: product.name, kind: 'simple', manage_stock: true, stock_quantity: product.stock, backorders: 'no' } })),
    { id: 'wc:demo.shop:product:200:upsert:seed', type: 'product.upserted', occurred_at: now, product: { id: 200, sku: 'TEE', name: 'T-shirt (one pool for every size)', kind: 'variable', manage_stock: true, stock_quantity: 10, backorders: 'no' } },
    ...['S', 'M', 'L'].map((size, index) => ({ id: `wc:demo.shop:product:${201 + index}:upsert:seed`, type: 'product.upserted', occurred_at: now, product: { id: 201 + index, sku: `TEE-${size}`, name: `T-shirt ${size}`, kind: 'variation', parent_id: 200, manage_stock: 'parent', stock_quantity: 10, backorders: 'no', attributes: { size } } })),
  ]);
  const { catalogue } = daemon;
  await catalogue.upsertLocation('fba', 'Amazon FBA', 'marketplace');
  await catalogue.upsertSku({ code: 'TEA-SET', name: 'Teapot with two mugs', kind: 'kit' });
  await catalogue.setKitComponents('TEA-SET', [{ sku: 'TEAPOT', quantity: 1 }, { sku: 'MUG-BLUE', quantity: 2 }]);
  for (const [index, marketplace] of MARKETPLACES.entries()) {
    await catalogue.upsertChannel({ code: marketplace, mode: 'live', buffer: index % 2, locations: ['main'] });
    for (const sku of ['MUG-BLUE', 'MUG-RED', 'TEAPOT', 'TEA-SET', 'TEE-S', 'TEE-M', 'TEE-L']) await catalogue.upsertListing({ channel: marketplace, sku });
  }
}

async function publishedTable(daemon: Daemon): Promise<Record<string, Record<string, number | null>>> {
  const queries = new LedgerQueries(daemon.store);
  const table: Record<string, Record<string, number | null>> = {};
  for (const listing of await queries.listings()) {
    table[listing.sku] ??= {};
    table[listing.sku]![listing.channel] = (await queries.publishedFor(listing.id))?.quantity ?? null;
  }
  return table;
}

export async function demoCommand(options: { seconds: number; json: boolean }): Promise<void> {
  const folder = join(process.cwd(), 'var', 'demo');
  rmSync(folder, { recursive: true, force: true });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const config = loadConfig({ ...process.env, SHELFGUARD_DATABASE_URL: `sqlite:${join(folder, 'ledger.sqlite')}`, SHELFGUARD_PORT: '0', SHELFGUARD_LOG_LEVEL: 'warn' }, { secret });
  const daemon = await startDaemon(config, createLogger('warn'));
  const say = (line: string) => { if (!options.json) process.stdout.write(`${line}\n`); };
  say(`shelfguard demo: daemon at ${daemon.url}, ledger ${daemon.store.description}`);
  try {
    await seedCatalogue(daemon, secret);
    const random = seededRandom(42);
    const skus = ['MUG-BLUE', 'MUG-RED', 'TEAPOT', 'TEA-SET', 'TEE-S', 'TEE-M', 'TEE-L'];
    const deadline = Date.now() + options.seconds * 1000;
    let sales = 0; let refused = 0; let wooOrders = 0; let order = 0;
    while (Date.now() < deadline) {
      order += 1;
      const sku = skus[Math.floor(random() * skus.length)]!;
      const channel = random() < 0.3 ? 'woocommerce' : MARKETPLACES[Math.floor(random() * MARKETPLACES.length)]!;
      let fitted: boolean;
      if (channel === 'woocommerce') {
        wooOrders += 1;
        const product = PRODUCTS.find((candidate) => candidate.sku === sku) ?? PRODUCTS[0]!;
        const reply = await postEvents(daemon, secret, [{ id: `wc:demo.shop:${9000 + order}:reduce:1`, type: 'order.line.reduced', occurred_at: new Date().toISOString(), order_id: 5000 + order, order_item_id: 9000 + order, seq: 1, product: { id: product.id, sku: product.sku }, quantity: 1 }]) as { results: Array<{ status: string }> };
        const outcome = await daemon.ledger.intentOutcome(`wc:demo.shop:${9000 + order}:reduce:1`);
        fitted = reply.results[0]?.status === 'applied' && outcome?.result === 'applied';
      } else {
        const reply = await daemon.ledger.reserve({ key: `${channel}:demo-${order}:1`, channel, orderRef: `demo-${order}`, lineRef: '1', sku, quantity: 1, locations: ['main'], actor: 'demo' });
        fitted = reply.ok && reply.value.outcome.result === 'applied';
      }
      if (fitted) sales += 1; else refused += 1;
      const published = (await publishedTable(daemon))[sku] ?? {};
      say(`${fitted ? 'sold   ' : 'REFUSED'} ${sku.padEnd(9)} on ${channel.padEnd(11)} → channels now show ${Object.entries(published).map(([name, quantity]) => `${name} ${quantity ?? '—'}`).join(', ')}${fitted ? '' : '  (oversell prevented and recorded)'}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const status = await readStatus(daemon.store);
    const table = await publishedTable(daemon);
    if (options.json) {
      printJson({ seconds: options.seconds, orders: order, sales, refused, wooOrders, oversellsRecorded: status.oversells.total, published: table, status });
    } else {
      say('');
      printStatus(status);
      say(`\n${formatTable(['sku', ...MARKETPLACES], Object.entries(table).map(([sku, byChannel]) => [sku, ...MARKETPLACES.map((name) => byChannel[name] ?? null)]))}`);
      say(`\n${order} orders: ${sales} sold, ${refused} refused because no stock was left to take. Try: npx shelfguard audit why TEA-SET (with SHELFGUARD_DATABASE_URL=sqlite:var/demo/ledger.sqlite)`);
    }
  } finally {
    await daemon.stop();
  }
}
