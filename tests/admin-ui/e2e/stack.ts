/**
 * What the admin UI's browser tests look at: a real daemon (startTestDaemon on a fresh SQLite
 * ledger) connected to three marketplace sandboxes over HTTP — eBay in shadow mode (to validate
 * and promote from the UI), TikTok Shop and Etsy live — with a small catalogue whose stock has
 * been published (variations sharing a pool and a kit among it: structured-catalogue.ts), and one
 * Etsy listing changed outside Shelfguard so reconciliation finds drift.
 * A Walmart sandbox runs too but is not configured: the administrator connects it from wp-admin
 * (the daemon has a credentials key for that).
 */
import { randomBytes } from 'node:crypto';
import type { ChannelName } from '../../../daemon/src/channels/channel.js';
import { startSandboxFleet, type SandboxFleet } from '../../../daemon/src/bench/sandbox-fleet.js';
import { LedgerQueries } from '../../../daemon/src/ledger/queries.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { STRUCTURE_LISTED, addStructuredCatalogue } from './structured-catalogue.js';

export const STACK_CHANNELS: ChannelName[] = ['ebay', 'tiktok', 'etsy'];
/** Sandboxes running but not configured: the administrator connects them from the Channels screen. */
export const UNCONFIGURED_CHANNELS: ChannelName[] = ['walmart'];
export const STOCK: Record<string, number> = { 'MUG-BLUE': 14, 'MUG-RED': 2, TEAPOT: 6, PLATE: 8 };
const CONVERGE_TIMEOUT_MS = 30_000;
const ORDER_POLL_MS = 1_000;

export interface Stack {
  daemon: TestDaemon;
  fleet: SandboxFleet;
  /** The ledger's published quantity for a listing. */
  published(channel: string, sku: string): Promise<number | null>;
  sell(channel: ChannelName, sku: string, quantity: number): Promise<string>;
  stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function startStack(): Promise<Stack> {
  const fleet = await startSandboxFleet([...STACK_CHANNELS, ...UNCONFIGURED_CHANNELS], { asyncDelayMs: 0 });
  const channels = Object.fromEntries(fleet.members.filter((member) => STACK_CHANNELS.includes(member.name)).map((member) => [member.name, {
    baseUrl: member.sandbox.baseUrl, credentials: member.sandbox.credentials, mode: member.name === 'ebay' ? 'shadow' as const : 'live' as const, requestTimeoutMs: 10_000,
  }]));
  const daemon = await startTestDaemon('sqlite', { channels, credentialsKey: randomBytes(32).toString('base64'), orderPollIntervalMs: ORDER_POLL_MS, reconcileSchedule: 'off', syncPollMs: 100, logLevel: 'warn' });
  for (const member of fleet.members) member.sandbox.context.options.notifyUrl = `${daemon.daemon.url}/v1/webhooks/${member.name}`;
  const { catalogue, ledger, store } = daemon.daemon;
  const queries = new LedgerQueries(store);
  await catalogue.upsertChannel({ code: 'etsy', buffer: 1 });
  for (const sku of Object.keys(STOCK)) await catalogue.upsertSku({ code: sku, name: sku.replace('-', ' ').toLowerCase(), kind: 'simple' });
  for (const [sku, quantity] of Object.entries(STOCK)) {
    const received = await ledger.adjust({ key: `e2e:receive:${sku}`, channel: null, actor: 'e2e', sku, location: 'main', delta: quantity, reason: 'received' });
    if (!received.ok) throw new Error(`cannot receive ${sku}: ${received.error.message}`);
  }
  await fleet.seedListings(catalogue, Object.keys(STOCK).map((sku) => ({ sku, quantity: 0 })), STACK_CHANNELS);
  await addStructuredCatalogue(catalogue, ledger, fleet, STACK_CHANNELS);
  const listed = [...Object.keys(STOCK), ...STRUCTURE_LISTED];
  const published = async (channel: string, sku: string): Promise<number | null> => {
    const listing = (await queries.listings({ channel, sku }))[0];
    return listing ? (await queries.publishedFor(listing.id))?.quantity ?? null : null;
  };
  // eBay is in shadow mode and pushes nothing: show it what the ledger would, so its validation passes.
  for (const sku of listed) await fleet.call('ebay', 'PUT', `/listings/${sku}/quantity`, { quantity: await published('ebay', sku) ?? 0 });
  const live: ChannelName[] = ['tiktok', 'etsy'];
  await waitFor(async () => {
    for (const channel of live) for (const sku of listed) if (fleet.shown(channel, sku) !== await published(channel, sku)) return false;
    return true;
  }, CONVERGE_TIMEOUT_MS, 'the live channels to show the ledger');
  await fleet.call('etsy', 'PUT', '/listings/PLATE/quantity', { quantity: 40 });
  return {
    daemon, fleet, published,
    async sell(channel, sku, quantity) {
      const order = await fleet.call<{ orderId: string }>(channel, 'POST', '/orders', { lines: [{ sku, quantity }], fulfillment: 'merchant' });
      return order.orderId;
    },
    async stop() {
      await daemon.stop();
      await fleet.close();
    },
  };
}
