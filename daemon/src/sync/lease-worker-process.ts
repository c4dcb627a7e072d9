/**
 * A sync worker as a process of its own: the real SyncEngine (outbox claims with leases and
 * fences, per-channel schedulers, connectors over HTTP) on a shared ledger, with nothing else of
 * the daemon around it. It lets a test run several workers on one database and stop, resume or
 * kill each with real signals (RELIABILITY B8, B10), with a short lease and poll interval.
 *
 * Run with tsx: `node --import tsx daemon/src/sync/lease-worker-process.ts`. Configuration comes
 * from the environment (SHELFGUARD_DATABASE_URL, SHELFGUARD_CHANNELS as in the daemon, and
 * LEASE_WORKER_LEASE_MS, LEASE_WORKER_POLL_MS); each is validated and a bad one ends the process
 * with a message naming it. Its stdout carries one JSON line per event: `ready` with its lease
 * owner id, then every push. SIGTERM stops the engine (claims given back) and exits 0.
 * With LEASE_WORKER_TRACE=1 every push request carries `x-shelfguard-trace: <sku>=<version>,…`,
 * the claim versions it sends, so a test can count pushes per (listing, version) where the
 * marketplace receives them. Credentials reach it through the environment only and are never
 * printed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { CHANNEL_NAMES, type Channel, type ChannelName } from '../channels/channel.js';
import { openStore } from '../ledger/store.js';
import { createConnector } from './channel-registry.js';
import { leaseCheckedFetch } from './lease-guard.js';
import { leaseOwnerId } from './lease-owner.js';
import { SyncEngine } from './sync-engine.js';

const LEASE_MS_MIN = 200;
const POLL_MS_MIN = 10;

const channelsSchema = z.partialRecord(z.enum(CHANNEL_NAMES), z.object({
  baseUrl: z.string().url(),
  credentials: z.record(z.string(), z.string()),
  requestTimeoutMs: z.number().int().positive().optional(),
}));

function integerFrom(name: string, minimum: number): number {
  const text = process.env[name];
  const value = Number(text);
  if (!text || !Number.isSafeInteger(value) || value < minimum) fail(`${name} must be an integer of at least ${minimum}`);
  return value;
}

function fail(message: string): never {
  process.stderr.write(`lease worker: ${message}\n`);
  process.exit(2);
}

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.SHELFGUARD_DATABASE_URL;
  if (!databaseUrl) fail('SHELFGUARD_DATABASE_URL is required');
  let channelsJson: unknown;
  try {
    channelsJson = JSON.parse(process.env.SHELFGUARD_CHANNELS ?? '');
  } catch {
    fail('SHELFGUARD_CHANNELS must be JSON: {"<channel>": {"baseUrl", "credentials"}}');
  }
  const parsed = channelsSchema.safeParse(channelsJson);
  if (!parsed.success) fail(`SHELFGUARD_CHANNELS is invalid at ${parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ')}`);
  const leaseMs = integerFrom('LEASE_WORKER_LEASE_MS', LEASE_MS_MIN);
  const pollMs = integerFrom('LEASE_WORKER_POLL_MS', POLL_MS_MIN);

  const store = await openStore(databaseUrl);
  const trace = process.env.LEASE_WORKER_TRACE === '1';
  const channels = Object.entries(parsed.data).map(([name, connection]) => {
    const channel = createConnector(name as ChannelName, { baseUrl: connection!.baseUrl, credentials: connection!.credentials, requestTimeoutMs: connection!.requestTimeoutMs ?? 10_000, fetch: trace ? tracingFetch : leaseCheckedFetch });
    return trace ? traced(channel) : channel;
  });
  const owner = leaseOwnerId();
  const engine = new SyncEngine({
    store, channels, owner, leaseMs, pollMs,
    onPush: (event) => emit({ event: 'push', channel: event.channel, listingId: event.listingId, sku: event.sku, quantity: event.quantity, version: event.version, status: event.status, atMs: event.atMs, ...(event.error ? { error: event.error } : {}) }),
    onError: (error) => process.stderr.write(`lease worker: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  let stopping = false;
  process.once('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void engine.stop().then(() => store.close()).then(() => {
      emit({ event: 'stopped', owner });
      process.exit(0);
    }, (error: unknown) => {
      process.stderr.write(`lease worker: stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
  });
  engine.start();
  emit({ event: 'ready', owner, pid: process.pid });
}

/** The versions of the push being sent, for the trace header. */
const sending = new AsyncLocalStorage<string>();

const tracingFetch: typeof fetch = (input, init) => {
  const versions = sending.getStore();
  if (!versions) return leaseCheckedFetch(input, init);
  const headers = new Headers(init?.headers);
  headers.set('x-shelfguard-trace', versions);
  return leaseCheckedFetch(input, { ...init, headers });
};

function traced(channel: Channel): Channel {
  return new Proxy(channel, {
    get(target, property) {
      if (property === 'pushQuantities') {
        return (...[updates, path, progress]: Parameters<Channel['pushQuantities']>) => sending.run(updates.map((update) => `${update.listing.sku}=${update.version}`).join(','), () => target.pushQuantities(updates, path, progress));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
