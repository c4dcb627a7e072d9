/**
 * The demo's seller-standing part: one run of a seeded store in which Walmart's API is slow, so
 * Walmart goes on showing units that eBay buyers already took. Every order is real: placed in the
 * sandboxes, delivered to the daemon by their notifications (or read by its order poller), applied
 * to the ledger through the order inbox; oversold Walmart orders are cancelled by the seller in
 * Walmart as out of stock, and the cancellation reaches the daemon the way Walmart reports it.
 * The seller metrics are computed from those order lines by the real MetricsService, whose check
 * raises alerts (delivered to a local chat webhook) and, when protection is on, protects.
 * Run it twice with the same traffic, protection off and on, to see the difference.
 */
import { join } from 'node:path';
import { startSandboxFleet, type SandboxFleet } from '../bench/sandbox-fleet.js';
import type { ChannelName } from '../channels/channel.js';
import { loadConfig } from '../config.js';
import { LedgerQueries } from '../ledger/queries.js';
import { createLogger } from '../logger.js';
import { startDaemon, type Daemon } from '../main.js';
import { DEFAULT_ALERT_HEADROOM_CANCELLATIONS } from '../metrics/alert-level.js';
import { MetricsService } from '../metrics/metrics-service.js';
import { walmartOfficialReader } from '../metrics/official-readers.js';
import { WalmartPerformanceClient } from '../metrics/walmart-performance-client.js';
import type { OversellAlert } from '../orders/order-processor.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { describeCheck, describeOfficial, standingOf, type CheckRecord, type OfficialRead, type StandingRun } from './standing-report.js';

export const STANDING_CHANNELS: ChannelName[] = ['ebay', 'walmart', 'woocommerce'];
/** The channel whose API is slow, and the one whose buyers take the last units first. */
export const SLOW_CHANNEL = 'walmart';
export const FAST_CHANNEL = 'ebay';
export const STANDING_METRIC = 'walmart_cancellation_rate';
export const HOT_SKU = 'MUG-RED';
export const STAPLE_SKU = 'TEA-TOWEL';
const STAPLE_STOCK = 400;
/** Walmart orders that shipped normally: the rate's denominator before anything oversells. */
export const BASELINE_ORDERS = 150;
/** Of those, orders the buyer asked to cancel: they must not count against the seller. */
export const BUYER_CANCELLED_ORDERS = 3;
/** Restock-and-sell-out rounds before protection could know better, and after. */
export const HISTORY_ROUNDS = 2;
export const INCIDENT_ROUNDS = 3;
/** Walmart's API answers this late (a sandbox fault knob): its pushes land after eBay's sales. */
export const SLOW_CHANNEL_LATENCY_MS = 700;
const RESTOCK_UNITS = 2;
const WAIT_MAX_MS = 20_000;
const WAIT_STEP_MS = 10;

export interface StandingOptions {
  protection: boolean;
  folder: string;
  say: (line: string) => void;
}

interface RunContext {
  daemon: Daemon;
  fleet: SandboxFleet;
  service: MetricsService;
  receiver: WebhookReceiver;
  oversells: OversellAlert[];
  checks: CheckRecord[];
  say: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = WAIT_MAX_MS): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`demo: gave up after ${timeoutMs} ms waiting for ${what}`);
    await sleep(WAIT_STEP_MS);
  }
}

async function converged(daemon: Daemon, fleet: SandboxFleet): Promise<boolean> {
  const queries = new LedgerQueries(daemon.store);
  for (const listing of await queries.listings()) {
    const expected = (await queries.publishedFor(listing.id))?.quantity ?? 0;
    if (fleet.shown(listing.channel, listing.channelSku) !== expected) return false;
  }
  return true;
}

async function availableOf(daemon: Daemon, sku: string): Promise<number> {
  return (await new LedgerQueries(daemon.store).stockOf(sku)).reduce((sum, row) => sum + row.available, 0);
}

async function lineStatus(daemon: Daemon, channel: string, orderId: string): Promise<string | undefined> {
  return (await daemon.store.db.selectFrom('order_line').select('status').where('channel', '=', channel).where('order_id', '=', orderId).executeTakeFirst())?.status;
}

async function seed(run: RunContext): Promise<void> {
  const { catalogue, ledger } = run.daemon;
  for (const code of STANDING_CHANNELS) await catalogue.upsertChannel({ code, mode: 'live', buffer: 0, locations: ['main'], subtractsHeld: code !== 'woocommerce' });
  for (const sku of [STAPLE_SKU, HOT_SKU]) await catalogue.upsertSku({ code: sku, kind: 'simple' });
  await ledger.adjust({ key: `demo:standing:receive:${STAPLE_SKU}`, channel: null, actor: 'demo', sku: STAPLE_SKU, location: 'main', delta: STAPLE_STOCK, reason: 'received' });
  await run.fleet.seedListings(catalogue, [STAPLE_SKU, HOT_SKU].map((sku) => ({ sku, quantity: 0 })));
  await waitFor('the catalogue to reach every sandbox', () => converged(run.daemon, run.fleet));
}

/** The daemon's metrics check (every 15 minutes in `serve`), run at this point of the story. */
async function check(run: RunContext, label: string): Promise<CheckRecord> {
  const deliveredBefore = run.receiver.bodies.length;
  const result = await run.service.check();
  const record: CheckRecord = { label, standing: standingOf(result.snapshot, STANDING_METRIC), alerts: result.alerts, protection: result.protection, webhookTexts: [] };
  // Delivery is awaited inside check(); the receiver has what it answered 2xx to.
  record.webhookTexts = run.receiver.bodies.slice(deliveredBefore).map((body) => body.text);
  run.checks.push(record);
  for (const line of describeCheck(record)) run.say(line);
  return record;
}

async function baseline(run: RunContext): Promise<void> {
  const ids: string[] = [];
  for (let index = 0; index < BASELINE_ORDERS; index += 1) {
    ids.push((await run.fleet.call<{ orderId: string }>(SLOW_CHANNEL, 'POST', '/orders', { lines: [{ sku: STAPLE_SKU, quantity: 1 }] })).orderId);
  }
  for (const orderId of ids.slice(0, BUYER_CANCELLED_ORDERS)) await run.fleet.call(SLOW_CHANNEL, 'POST', `/orders/${orderId}/cancel`, { reason: 'buyer' });
  const store = run.daemon.store;
  await waitFor(`${BASELINE_ORDERS} Walmart orders in the ledger`, async () => {
    const rows = await store.db.selectFrom('order_line').select(['status']).where('channel', '=', SLOW_CHANNEL).execute();
    return rows.length === BASELINE_ORDERS && rows.filter((row) => row.status === 'cancelled').length === BUYER_CANCELLED_ORDERS;
  });
  run.say(`  ${BASELINE_ORDERS} Walmart orders of ${STAPLE_SKU} through the order inbox; ${BUYER_CANCELLED_ORDERS} cancelled at the buyer's request (not the seller's fault)`);
}

/** The seller cancels an oversold Walmart order as out of stock; Walmart sends no notification
 * for a seller's own cancel, so the daemon learns of it from its order poller, run now. */
async function cancelOversold(run: RunContext, orderId: string): Promise<void> {
  await run.fleet.call(SLOW_CHANNEL, 'POST', `/orders/${orderId}/cancel`, { reason: 'seller_out_of_stock' });
  const connector = run.fleet.get(SLOW_CHANNEL).channel;
  await waitFor(`Walmart order ${orderId} cancelled in the ledger`, async () => {
    if ((await lineStatus(run.daemon, SLOW_CHANNEL, orderId)) === 'cancelled') return true;
    await run.daemon.poller.pollOnce(connector);
    return (await lineStatus(run.daemon, SLOW_CHANNEL, orderId)) === 'cancelled';
  });
}

async function round(run: RunContext, number: number): Promise<'oversold' | 'refused' | 'sold'> {
  const { daemon, fleet } = run;
  await daemon.ledger.adjust({ key: `demo:standing:restock:${number}`, channel: null, actor: 'demo', sku: HOT_SKU, location: 'main', delta: RESTOCK_UNITS, reason: 'received' });
  await waitFor('the restock to reach every channel', () => converged(daemon, fleet));
  await fleet.call(FAST_CHANNEL, 'POST', '/orders', { lines: [{ sku: HOT_SKU, quantity: RESTOCK_UNITS }] });
  await waitFor(`the eBay order to take the last ${HOT_SKU}`, async () => (await availableOf(daemon, HOT_SKU)) === 0);
  const shown = fleet.shown(SLOW_CHANNEL, HOT_SKU) ?? 0;
  let outcome: 'oversold' | 'refused' | 'sold';
  if (shown <= 0) {
    outcome = 'refused';
    const paused = (await new LedgerQueries(daemon.store).listings({ channel: SLOW_CHANNEL, sku: HOT_SKU }))[0]?.active === false;
    run.say(`  round ${number}: eBay sold the last ${RESTOCK_UNITS} ${HOT_SKU}; Walmart shows 0${paused ? ' (its listing is paused by protection)' : ''}, so its buyer cannot order: no oversell`);
  } else {
    const before = run.oversells.length;
    const order = await fleet.call<{ orderId: string }>(SLOW_CHANNEL, 'POST', '/orders', { lines: [{ sku: HOT_SKU, quantity: 1 }] });
    await waitFor(`Walmart order ${order.orderId} in the ledger`, async () => (await lineStatus(daemon, SLOW_CHANNEL, order.orderId)) !== undefined);
    if (run.oversells.slice(before).some((alert) => alert.orderId === order.orderId)) {
      outcome = 'oversold';
      await cancelOversold(run, order.orderId);
      run.say(`  round ${number}: eBay sold the last ${RESTOCK_UNITS} ${HOT_SKU}; Walmart still showed ${shown} (its update was in flight), a buyer ordered 1 → oversold → cancelled by the seller, out of stock`);
    } else {
      outcome = 'sold';
      run.say(`  round ${number}: Walmart's buyer got a unit the ledger still had`);
    }
  }
  await waitFor('every channel to agree again', () => converged(daemon, fleet));
  return outcome;
}

async function startRun(options: StandingOptions): Promise<RunContext> {
  const receiver = await startWebhookReceiver();
  const fleet = await startSandboxFleet(STANDING_CHANNELS, { asyncDelayMs: 0, rateLimits: 'documented' });
  const oversells: OversellAlert[] = [];
  const database = join(options.folder, `standing-${options.protection ? 'on' : 'off'}.sqlite`);
  // The order poller's own timer is left slow: the story runs it at the moment it matters.
  const config = loadConfig({ ...process.env, SHELFGUARD_DATABASE_URL: `sqlite:${database}`, SHELFGUARD_PORT: '0', SHELFGUARD_LOG_LEVEL: 'silent', SHELFGUARD_RECONCILE_SCHEDULE: 'off', SHELFGUARD_SYNC_POLL_MS: '250' }, { orderPollIntervalMs: 600_000 });
  const daemon = await startDaemon(config, createLogger('silent'), { channels: fleet.members.map((member) => member.channel), onOversell: (alert) => oversells.push(alert) });
  for (const member of fleet.members) member.sandbox.context.options.notifyUrl = `${daemon.url}/v1/webhooks/${member.name}`;
  const protection = options.protection ? Object.fromEntries(STANDING_CHANNELS.filter((code) => code !== 'woocommerce').map((code) => [code, { raiseBuffer: true, pauseRepeatOversellers: true }])) : {};
  const service = new MetricsService({ store: daemon.store, catalogue: daemon.catalogue, settings: { alertHeadroomCancellations: DEFAULT_ALERT_HEADROOM_CANCELLATIONS, protection, webhookUrl: receiver.url } });
  return { daemon, fleet, service, receiver, oversells, checks: [], say: options.say };
}

/** Walmart's own figure for the same orders, from its Seller Performance summary (read once:
 * Walmart allows one call a minute). */
async function readOfficial(run: RunContext): Promise<OfficialRead> {
  const member = run.fleet.get(SLOW_CHANNEL);
  const client = WalmartPerformanceClient.create({ baseUrl: member.sandbox.baseUrl, credentials: member.sandbox.credentials });
  if (!client.ok) return { ok: false, message: client.error.message };
  const read = await walmartOfficialReader(client.value)();
  if (!read.ok) return { ok: false, message: read.message };
  const figure = read.figures[0]!;
  return { ok: true, ratePercent: figure.rateBasisPoints === null ? null : figure.rateBasisPoints / 100, trend: figure.status };
}

/** One run of the story; the same seeded traffic whether protection is on or off. */
export async function runStandingScenario(options: StandingOptions): Promise<StandingRun> {
  const run = await startRun(options);
  const outcomes: Array<'oversold' | 'refused' | 'sold'> = [];
  try {
    await seed(run);
    await baseline(run);
    await check(run, 'after the baseline');
    await run.fleet.call(SLOW_CHANNEL, 'PUT', '/faults', { latencyMs: SLOW_CHANNEL_LATENCY_MS });
    run.say(`  Walmart's API now answers ${SLOW_CHANNEL_LATENCY_MS} ms late: each of its stock updates lands after eBay's buyers have moved on`);
    for (let number = 1; number <= HISTORY_ROUNDS + INCIDENT_ROUNDS; number += 1) {
      if (number === HISTORY_ROUNDS + 1) run.say(`  -- the same traffic goes on: ${INCIDENT_ROUNDS} more rounds --`);
      outcomes.push(await round(run, number));
      await check(run, `after round ${number}`);
    }
    const official = await readOfficial(run);
    for (const line of describeOfficial(official)) run.say(line);
    return {
      protection: options.protection, checks: run.checks, official,
      historyChecks: 1 + HISTORY_ROUNDS,
      oversells: outcomes.filter((outcome) => outcome === 'oversold').length,
      refused: outcomes.filter((outcome) => outcome === 'refused').length,
      webhookDeliveries: run.receiver.bodies.length,
    };
  } finally {
    await run.daemon.stop();
    await run.fleet.close();
    await run.receiver.close();
  }
}
