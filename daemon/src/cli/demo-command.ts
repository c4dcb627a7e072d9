/**
 * `shelfguard demo`: the daemon on an embedded SQLite ledger with every marketplace sandbox
 * running in-process at its documented rate limits, and a simulated store whose buyers order on
 * every channel. Marketplace orders reach the daemon the way real ones do (signed webhooks, and
 * Amazon's SQS queue); each sale prints the pushes it caused and how long until every other
 * channel showed the new quantity; buyers who find a channel at 0 are oversells prevented.
 * Then the seller-standing part (`../demo/standing-scenario.ts`): the same seeded traffic twice,
 * with a slow Walmart API, protection off and on, showing the cancellation rate move or stay.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSandboxFleet, type SandboxFleet } from '../bench/sandbox-fleet.js';
import type { ChannelName } from '../channels/channel.js';
import { loadConfig } from '../config.js';
import { LedgerQueries } from '../ledger/queries.js';
import { createLogger } from '../logger.js';
import { startDaemon, type Daemon } from '../main.js';
import { seededRandom } from '../sandbox/kit/seeded-random.js';
import type { PushEvent } from '../sync/dispatcher.js';
import { percentile } from '../sync/latency-window.js';
import { runStandingScenario } from '../demo/standing-scenario.js';
import { compareRuns, runSummary, type StandingRun } from '../demo/standing-report.js';
import { printJson } from './output.js';

const CHANNELS: ChannelName[] = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy', 'woocommerce'];
const MARKETPLACES: ChannelName[] = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'];
const STOCK: Record<string, number> = { 'MUG-BLUE': 14, 'MUG-RED': 3, TEAPOT: 6, PLATE: 8 };
const SKUS = [...Object.keys(STOCK), 'TEA-SET'];
const ORDER_GAP_MS = 300;
const PROPAGATION_WAIT_MAX_MS = 5_000;

async function expectedTable(daemon: Daemon): Promise<Map<string, number>> {
  const queries = new LedgerQueries(daemon.store);
  const table = new Map<string, number>();
  for (const listing of await queries.listings()) table.set(`${listing.channel}/${listing.channelSku}`, (await queries.publishedFor(listing.id))?.quantity ?? 0);
  return table;
}

async function converged(daemon: Daemon, fleet: SandboxFleet, skus: string[]): Promise<boolean> {
  const expected = await expectedTable(daemon);
  return CHANNELS.every((name) => skus.every((sku) => fleet.shown(name, sku) === expected.get(`${name}/${sku}`)));
}

async function waitConverged(daemon: Daemon, fleet: SandboxFleet, skus: string[], timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await converged(daemon, fleet, skus)) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return null;
}

async function seed(daemon: Daemon, fleet: SandboxFleet): Promise<void> {
  const { catalogue, ledger } = daemon;
  await catalogue.upsertLocation('fba', 'Amazon FBA', 'marketplace');
  for (const [index, name] of CHANNELS.entries()) await catalogue.upsertChannel({ code: name, mode: 'live', buffer: name === 'ebay' ? 1 : 0, locations: name === 'amazon' ? ['main', 'fba'] : ['main'], subtractsHeld: name !== 'woocommerce' && index >= 0 });
  for (const sku of Object.keys(STOCK)) await catalogue.upsertSku({ code: sku, kind: 'simple' });
  await catalogue.upsertSku({ code: 'TEA-SET', name: 'Teapot with two mugs', kind: 'kit' });
  await catalogue.setKitComponents('TEA-SET', [{ sku: 'TEAPOT', quantity: 1 }, { sku: 'MUG-BLUE', quantity: 2 }]);
  for (const [sku, quantity] of Object.entries(STOCK)) await ledger.adjust({ key: `demo:receive:${sku}`, channel: null, actor: 'demo', sku, location: 'main', delta: quantity, reason: 'received' });
  await fleet.seedListings(catalogue, SKUS.map((sku) => ({ sku, quantity: 0 })));
}

/** The seller-standing part: the same traffic with protection off, then on. */
async function standingPart(folder: string, say: (line: string) => void): Promise<{ off: StandingRun; on: StandingRun }> {
  say('\nseller standing: Walmart\'s API turns slow while eBay buyers take the last units of a mug; oversold Walmart orders are');
  say('cancelled by the seller, and the metrics check (every 15 minutes in `serve`, after each round here) watches Walmart\'s cancellation rate.');
  say('\nrun 1, protection off:');
  const off = await runStandingScenario({ protection: false, folder, say });
  say('\nrun 2, the same traffic, protection on (SHELFGUARD_METRICS_PROTECTION=ebay,walmart):');
  const on = await runStandingScenario({ protection: true, folder, say });
  for (const line of compareRuns(off, on)) say(line);
  say('\nTry: SHELFGUARD_DATABASE_URL=sqlite:var/demo/standing-off.sqlite npx shelfguard metrics');
  return { off, on };
}

export async function demoCommand(options: { seconds: number; json: boolean }): Promise<void> {
  const folder = join(process.cwd(), 'var', 'demo');
  rmSync(folder, { recursive: true, force: true });
  const say = (line: string) => { if (!options.json) process.stdout.write(`${line}\n`); };
  const fleet = await startSandboxFleet(CHANNELS, { asyncDelayMs: 0, rateLimits: 'documented' });
  const pushes: PushEvent[] = [];
  const oversells: string[] = [];
  const config = loadConfig({ ...process.env, SHELFGUARD_DATABASE_URL: `sqlite:${join(folder, 'ledger.sqlite')}`, SHELFGUARD_PORT: '0', SHELFGUARD_LOG_LEVEL: 'silent', SHELFGUARD_RECONCILE_SCHEDULE: 'off', SHELFGUARD_SYNC_POLL_MS: '250' }, { orderPollIntervalMs: 5_000 });
  const daemon = await startDaemon(config, createLogger('silent'), { channels: fleet.members.map((member) => member.channel), onPush: (event) => pushes.push(event), onOversell: (alert) => oversells.push(`${alert.channel} order ${alert.orderId}: ${alert.sku}`) });
  for (const member of fleet.members) member.sandbox.context.options.notifyUrl = `${daemon.url}/v1/webhooks/${member.name}`;
  say(`shelfguard demo: daemon at ${daemon.url}; ${fleet.members.length} sandboxes at their documented rate limits; ledger ${daemon.store.description}`);
  const random = seededRandom(7);
  const propagation: number[] = [];
  let orders = 0; let prevented = 0; let unconverged = 0;
  let mainSummary: Record<string, unknown> = {};
  try {
    await seed(daemon, fleet);
    const initial = await waitConverged(daemon, fleet, SKUS, 30_000);
    say(`catalogue published to ${CHANNELS.join(', ')} in ${initial ?? '>30000'} ms (${pushes.length} pushes)\n`);
    const deadline = Date.now() + options.seconds * 1000;
    while (Date.now() < deadline) {
      const sku = SKUS[Math.floor(random() * SKUS.length)]!;
      const channel = random() < 0.2 ? 'woocommerce' : MARKETPLACES[Math.floor(random() * MARKETPLACES.length)]!;
      const shown = fleet.shown(channel, sku) ?? 0;
      if (shown <= 0) {
        prevented += 1;
        say(`  ${channel.padEnd(11)} buyer wants ${sku.padEnd(8)} → shown 0 there: sale refused (an oversell prevented)`);
        await new Promise((resolve) => setTimeout(resolve, ORDER_GAP_MS / 3));
        continue;
      }
      orders += 1;
      const pushesBefore = pushes.length;
      if (channel === 'woocommerce') await daemon.ledger.sell({ key: `wc:demo.shop:${9000 + orders}:reduce:1`, channel: 'woocommerce', sku, quantity: 1, locations: ['main'], reference: `woo://order/${5000 + orders}`, actor: 'woocommerce' });
      else await fleet.call(channel, 'POST', '/orders', { lines: [{ sku, quantity: 1 }], fulfillment: 'merchant' });
      const took = await waitConverged(daemon, fleet, SKUS, PROPAGATION_WAIT_MAX_MS);
      if (took === null) unconverged += 1; else propagation.push(took);
      const caused = pushes.slice(pushesBefore).filter((event) => event.status === 'applied' || event.status === 'accepted');
      say(`sold ${sku.padEnd(8)} on ${channel.padEnd(11)} → ${caused.length} pushes (${caused.map((event) => `${event.channel} ${event.sku}=${event.quantity}`).join(', ') || 'none needed'}); every channel agrees after ${took ?? `>${PROPAGATION_WAIT_MAX_MS}`} ms`);
      await new Promise((resolve) => setTimeout(resolve, ORDER_GAP_MS));
    }
    const status = await daemon.sync.status();
    const summary = {
      seconds: options.seconds, orders, oversells_prevented: prevented, oversells_recorded: oversells.length,
      propagation_p50_ms: percentile(propagation, 0.5), propagation_p99_ms: percentile(propagation, 0.99), propagation_samples: propagation.length, unconverged_sales: unconverged,
      pushes: pushes.filter((event) => event.status === 'applied' || event.status === 'accepted').length,
      converged: (await waitConverged(daemon, fleet, SKUS, 10_000)) !== null,
      channels: status.map((entry) => ({ channel: entry.channel, mode: entry.mode, pushes: entry.pushes, requests: entry.requests, throttled: entry.throttled, latency_p50_ms: entry.latencyP50Ms, latency_p99_ms: entry.latencyP99Ms, backlog: entry.backlog, dead_letters: entry.deadLetters, headroom: entry.headroom })),
    };
    if (!options.json) {
      say(`\n${orders} sales, ${prevented} oversells prevented (buyers found 0 where another channel had sold the last unit), ${oversells.length} recorded.`);
      say(`propagation to every channel: p50 ${summary.propagation_p50_ms} ms, p99 ${summary.propagation_p99_ms} ms; converged at the end: ${summary.converged}`);
      for (const entry of summary.channels) say(`  ${entry.channel.padEnd(11)} ${entry.requests} requests, ${entry.throttled} throttled, push latency p50 ${entry.latency_p50_ms ?? '-'} ms p99 ${entry.latency_p99_ms ?? '-'} ms, headroom ${Object.entries(entry.headroom).slice(0, 3).map(([operation, tokens]) => `${operation} ${tokens}`).join(', ')}`);
      say('\nTry: SHELFGUARD_DATABASE_URL=sqlite:var/demo/ledger.sqlite npx shelfguard audit why TEA-SET');
    }
    mainSummary = summary;
  } finally {
    await daemon.stop();
    await fleet.close();
  }
  const standing = await standingPart(folder, say);
  if (options.json) printJson({ ...mainSummary, standing: { protection_off: runSummary(standing.off), protection_on: runSummary(standing.on) } });
}
