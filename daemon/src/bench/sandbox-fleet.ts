/**
 * Every marketplace sandbox started in-process on real ports, with a connector pointed at each
 * and a helper that seeds the same listings in the sandboxes and the ledger. Used by the demo,
 * the benchmarks and the sync tests, so all three run the real connectors over real HTTP.
 */
import type { Channel, ChannelName } from '../channels/channel.js';
import type { Catalogue } from '../ledger/catalogue.js';
import { startSandbox, type MarketplaceSandbox, type RecordedRequest, type SandboxHandle, type SandboxOptions } from '../sandbox/kit/sandbox-server.js';
import { createSandboxDefinition as amazonSandbox } from '../sandbox/amazon/index.js';
import { createSandboxDefinition as ebaySandbox } from '../sandbox/ebay/index.js';
import { createSandboxDefinition as etsySandbox } from '../sandbox/etsy/index.js';
import { createSandboxDefinition as tiktokSandbox } from '../sandbox/tiktok/index.js';
import { createSandboxDefinition as walmartSandbox } from '../sandbox/walmart/index.js';
import { createSandboxDefinition as woocommerceSandbox } from '../sandbox/woocommerce/index.js';
import { createConnector } from '../sync/channel-registry.js';

export const SANDBOXES: Record<ChannelName, () => MarketplaceSandbox> = {
  amazon: amazonSandbox, ebay: ebaySandbox, walmart: walmartSandbox, tiktok: tiktokSandbox, etsy: etsySandbox, woocommerce: woocommerceSandbox,
};

const SEED_BATCH_MAX = 2_000;

export interface FleetMember {
  name: ChannelName;
  sandbox: SandboxHandle;
  channel: Channel;
}

export interface SandboxFleet {
  members: FleetMember[];
  get(name: string): FleetMember;
  /** Listings in each sandbox (with the quantity shown there) and in the ledger, identifiers copied. */
  seedListings(catalogue: Catalogue, listings: Array<{ sku: string; quantity: number }>, channels?: ChannelName[]): Promise<void>;
  /** What the sandbox shows for a SKU right now (in-process read; no request counted). */
  shown(name: string, sku: string): number | undefined;
  call<T = unknown>(name: string, method: string, path: string, body?: unknown): Promise<T>;
  /** Every request the sandbox recorded (the same list as `get(name).sandbox.requests`). */
  requestLog(name: string): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startSandboxFleet(names: ChannelName[], options: SandboxOptions = {}, notifyUrlFor?: (name: ChannelName) => string | undefined): Promise<SandboxFleet> {
  const members: FleetMember[] = [];
  for (const name of names) {
    const notifyUrl = notifyUrlFor?.(name);
    const sandbox = await startSandbox(SANDBOXES[name](), { ...options, ...(notifyUrl ? { notifyUrl } : {}) });
    members.push({ name, sandbox, channel: createConnector(name, { baseUrl: sandbox.baseUrl, credentials: sandbox.credentials, requestTimeoutMs: 10_000 }) });
  }
  const get = (name: string): FleetMember => {
    const member = members.find((candidate) => candidate.name === name);
    if (!member) throw new Error(`no ${name} sandbox in this fleet`);
    return member;
  };
  const call = async <T>(name: string, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${get(name).sandbox.baseUrl}/_sandbox${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${name} sandbox ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    members,
    get,
    call,
    shown: (name, sku) => get(name).sandbox.context.state.listings.get(sku)?.quantity,
    requestLog: async (name) => get(name).sandbox.requests,
    async seedListings(catalogue, listings, channels = names) {
      for (const name of channels) {
        for (let start = 0; start < listings.length; start += SEED_BATCH_MAX) {
          const slice = listings.slice(start, start + SEED_BATCH_MAX);
          const { listings: seeded } = await call<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>(name, 'POST', '/listings', { listings: slice.map((listing) => ({ sku: listing.sku, quantity: listing.quantity })) });
          for (const listing of seeded) {
            const result = await catalogue.upsertListing({ channel: name, sku: listing.sku, identifiers: listing.identifiers });
            if (!result.ok) throw new Error(`cannot list ${listing.sku} on ${name}: ${result.error.message}`);
          }
        }
      }
    },
    async close() {
      await Promise.all(members.map((member) => member.sandbox.close()));
    },
  };
}
