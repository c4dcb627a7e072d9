/**
 * A ledger, the sandboxes and the sync engine for a benchmark: N SKUs listed on every channel
 * with the same quantity in the ledger and in each sandbox, the engine's push state primed so
 * nothing is pushed until something changes. Seeding writes rows directly: it is setup, not
 * what is measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelName } from '../channels/channel.js';
import { Catalogue } from '../ledger/catalogue.js';
import type { Ledger } from '../ledger/ledger.js';
import { migrateToLatest } from '../ledger/migrations.js';
import { LedgerQueries } from '../ledger/queries.js';
import { openStore, type Store } from '../ledger/store.js';
import { SyncEngine } from '../sync/sync-engine.js';
import { syncedLedger } from '../sync/synced-ledger.js';
import type { PushEvent } from '../sync/dispatcher.js';
import type { Channel } from '../channels/channel.js';
import type { RecordedRequest } from '../sandbox/kit/sandbox-server.js';
import { startSandboxFleet, type SandboxFleet } from './sandbox-fleet.js';
import { startSandboxFleetProcess, type ProcessSandboxFleet } from './sandbox-fleet-process.js';

export const BENCH_CHANNELS: ChannelName[] = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'];
const INSERT_CHUNK = 500;

/** What a bench needs of a fleet, in this process or in a child process. */
export interface BenchFleet {
  members: Array<{ name: ChannelName; channel: Channel }>;
  shown(name: string, sku: string): number | undefined;
  call<T = unknown>(name: string, method: string, path: string, body?: unknown): Promise<T>;
  requestLog(name: string): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export interface BenchWorldOptions { skus: number; quantity: number; channels: ChannelName[]; unlimited: boolean; engine?: boolean }

export interface BenchWorld<F extends BenchFleet = SandboxFleet> {
  store: Store;
  ledger: Ledger;
  fleet: F;
  engine: SyncEngine;
  queries: LedgerQueries;
  skus: string[];
  channels: ChannelName[];
  pushes: PushEvent[];
  close(): Promise<void>;
}

/** A bench world with the sandboxes in this process (their state readable directly). */
export async function createBenchWorld(options: BenchWorldOptions): Promise<BenchWorld> {
  return populateBenchWorld(options, await startSandboxFleet(options.channels, { asyncDelayMs: 0, rateLimits: options.unlimited ? 'unlimited' : 'documented' }));
}

/** A bench world with the sandboxes in a child process: the engine's capacity and pacing are
 * measured on an event loop the sandboxes do not share (propagation and burst benches). */
export async function createBenchWorldWithSandboxProcess(options: BenchWorldOptions): Promise<BenchWorld<ProcessSandboxFleet>> {
  return populateBenchWorld(options, await startSandboxFleetProcess(options.channels, { asyncDelayMs: 0, rateLimits: options.unlimited ? 'unlimited' : 'documented' }));
}

async function populateBenchWorld<F extends BenchFleet>(options: BenchWorldOptions, fleet: F): Promise<BenchWorld<F>> {
  const folder = mkdtempSync(join(tmpdir(), 'shelfguard-bench-'));
  const store = await openStore(`sqlite:${join(folder, 'ledger.sqlite')}`);
  await migrateToLatest(store.db as never);
  const catalogue = new Catalogue(store);
  await catalogue.upsertLocation('main', 'Main');
  for (const name of options.channels) await catalogue.upsertChannel({ code: name, mode: 'live', buffer: 0, locations: ['main'] });
  const skus = Array.from({ length: options.skus }, (_, index) => `B${String(index).padStart(6, '0')}`);
  const now = Date.now();
  for (let start = 0; start < skus.length; start += INSERT_CHUNK) {
    const chunk = skus.slice(start, start + INSERT_CHUNK);
    await store.db.insertInto('sku').values(chunk.map((code) => ({ code, name: code, kind: 'simple' as const, parent_id: null, stock_pool_id: null, tracks_stock: 1, allows_backorders: 0, attributes: '{}', deleted_at: null, created_at: now, updated_at: now }))).execute();
  }
  const skuRows = await store.db.selectFrom('sku').select(['id', 'code']).execute();
  const location = await store.db.selectFrom('location').select('id').where('code', '=', 'main').executeTakeFirstOrThrow();
  for (let start = 0; start < skuRows.length; start += INSERT_CHUNK) {
    await store.db.insertInto('stock').values(skuRows.slice(start, start + INSERT_CHUNK).map((row) => ({ sku_id: row.id, location_id: location.id, on_hand: options.quantity, committed: 0, damaged: 0, allows_backorders: 0, version: 1, updated_at: now }))).execute();
    await store.db.insertInto('movement').values(skuRows.slice(start, start + INSERT_CHUNK).map((row) => ({ id: `mv_seed_${row.id}`, intent_key: `seed:${row.code}`, sku_id: row.id, location_id: location.id, delta_on_hand: options.quantity, delta_committed: 0, delta_damaged: 0, reason: 'received' as const, channel: null, reference: null, actor: 'bench', created_at: now }))).execute();
  }
  const idByCode = new Map(skuRows.map((row) => [row.code, row.id]));
  for (const name of options.channels) {
    const channel = await store.db.selectFrom('channel').select('id').where('code', '=', name).executeTakeFirstOrThrow();
    const { listings } = await fleet.call<{ listings: Array<{ sku: string; identifiers: Record<string, string> }> }>(name, 'POST', '/listings', { listings: skus.map((sku) => ({ sku, quantity: options.quantity })) });
    for (let start = 0; start < listings.length; start += INSERT_CHUNK) {
      await store.db.insertInto('listing').values(listings.slice(start, start + INSERT_CHUNK).map((listing) => ({ channel_id: channel.id, sku_id: idByCode.get(listing.sku)!, channel_sku: listing.sku, identifiers: JSON.stringify(listing.identifiers), buffer: null, cap: null, active: 1, created_at: now, updated_at: now }))).execute();
    }
  }
  const listingIds = (await store.db.selectFrom('listing').select('id').execute()).map((row) => row.id);
  for (let start = 0; start < listingIds.length; start += INSERT_CHUNK) {
    await store.db.insertInto('listing_sync').values(listingIds.slice(start, start + INSERT_CHUNK).map((id) => ({ listing_id: id, fence: 1, attempts: 0, last_quantity: options.quantity, last_version: 1, last_status: 'applied', updated_at: now }))).execute();
  }
  await store.db.deleteFrom('outbox').execute();
  const pushes: PushEvent[] = [];
  const engine = new SyncEngine({ store, channels: fleet.members.map((member) => member.channel), pollMs: 200, scheduler: { unlimited: options.unlimited, concurrency: options.unlimited ? 32 : 8 }, onPush: (event) => pushes.push(event) });
  const ledger = syncedLedger(store, () => engine.wake());
  if (options.engine !== false) engine.start();
  return {
    store, ledger, fleet, engine, queries: new LedgerQueries(store), skus, channels: options.channels, pushes,
    async close() {
      await engine.stop();
      await fleet.close();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** 429s the sandboxes sent for their own limits (not injected faults). */
export function rateLimitViolations(world: BenchWorld, name: string): number {
  return countViolations(world.fleet.get(name).sandbox.requests);
}

export function apiCalls(world: BenchWorld, name: string): number {
  return countApiCalls(world.fleet.get(name).sandbox.requests);
}

export function countViolations(requests: readonly RecordedRequest[]): number {
  return requests.filter((request) => request.status === 429 && !request.fault).length;
}

/** Marketplace API calls, token requests left out. */
export function countApiCalls(requests: readonly RecordedRequest[]): number {
  return requests.filter((request) => request.operation !== undefined && !/token/i.test(request.operation)).length;
}
