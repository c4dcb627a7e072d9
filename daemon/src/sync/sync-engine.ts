/**
 * The sync engine: one scheduler per connected channel and one dispatcher over the outbox, plus
 * what the admin status needs (last push, latency percentiles, backlog, headroom, dead letters).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Channel } from '../channels/channel.js';
import { OutboxClaims } from '../ledger/outbox-claims.js';
import { LedgerQueries } from '../ledger/queries.js';
import type { Store } from '../ledger/store.js';
import { ChannelScheduler, type SchedulerOptions } from './channel-scheduler.js';
import { SyncDispatcher, type PushEvent } from './dispatcher.js';
import { LatencyWindow } from './latency-window.js';
import { PublishedBatch } from './published-batch.js';

export interface SyncEngineOptions {
  store: Store;
  channels: Channel[];
  /** Identifies this process in leases; unique per run. */
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  scheduler?: SchedulerOptions;
  onPush?: (event: PushEvent) => void;
  onError?: (error: unknown) => void;
}

export interface ChannelSyncStatus {
  channel: string;
  mode: string | null;
  connected: boolean;
  /** The channel's default buffer and cap, and whether WooCommerce's checkout holds are subtracted. */
  buffer: number | null;
  cap: number | null;
  subtractsHeld: boolean | null;
  lastPush: PushEvent | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  backlog: number;
  pending: number;
  inFlight: number;
  requests: number;
  throttled: number;
  blockedForMs: number;
  headroom: Record<string, number>;
  deadLetters: number;
  pushes: Record<string, number>;
}

export class SyncEngine {
  readonly schedulers = new Map<string, ChannelScheduler>();
  readonly dispatcher: SyncDispatcher;
  readonly claims: OutboxClaims;
  private readonly latency = new Map<string, LatencyWindow>();
  private readonly lastPush = new Map<string, PushEvent>();
  private readonly counts = new Map<string, Record<string, number>>();

  constructor(private readonly options: SyncEngineOptions) {
    for (const channel of options.channels) {
      this.schedulers.set(channel.name, new ChannelScheduler(channel, options.scheduler));
      this.latency.set(channel.name, new LatencyWindow());
    }
    this.claims = new OutboxClaims(options.store, options.owner ?? `sync-${process.pid}-${randomUUID().slice(0, 8)}`);
    this.dispatcher = new SyncDispatcher({
      queries: new PublishedBatch(options.store, new LedgerQueries(options.store)), claims: this.claims, schedulers: this.schedulers,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}), ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      onPush: (event) => this.record(event), ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void { this.dispatcher.start(); }
  wake(): void { this.dispatcher.wake(); }

  async stop(): Promise<void> {
    // The dispatcher marks itself stopped first, so pushes the closing schedulers give back are
    // returned to the outbox for the next start instead of being dead-lettered.
    const stopping = this.dispatcher.stop();
    for (const scheduler of this.schedulers.values()) scheduler.close();
    await stopping;
  }

  channel(name: string): Channel | undefined {
    return this.schedulers.get(name)?.channel;
  }

  private record(event: PushEvent): void {
    if (event.status === 'applied' || event.status === 'accepted') {
      this.latency.get(event.channel)?.add(event.latencyMs);
      this.lastPush.set(event.channel, event);
    }
    const counts = this.counts.get(event.channel) ?? {};
    counts[event.status] = (counts[event.status] ?? 0) + 1;
    this.counts.set(event.channel, counts);
    this.options.onPush?.(event);
  }

  async status(): Promise<ChannelSyncStatus[]> {
    const db = this.options.store.db;
    const channels = await db.selectFrom('channel').select(['code', 'mode', 'buffer', 'cap', 'subtracts_held']).orderBy('code').execute();
    const backlog = await db.selectFrom('outbox').innerJoin('listing', 'listing.id', 'outbox.listing_id').innerJoin('channel', 'channel.id', 'listing.channel_id')
      .select(['channel.code', sql<number>`count(*)`.as('rows')]).groupBy('channel.code').execute();
    const dead = await db.selectFrom('dead_letter').select(['channel', sql<number>`count(*)`.as('rows')]).where('resolved_at', 'is', null).groupBy('channel').execute();
    const names = new Set([...channels.map((row) => row.code), ...this.schedulers.keys()]);
    return [...names].sort().map((name) => {
      const scheduler = this.schedulers.get(name);
      const stats = scheduler?.stats();
      const row = channels.find((candidate) => candidate.code === name);
      return {
        channel: name, mode: row?.mode ?? null, connected: scheduler !== undefined,
        buffer: row?.buffer ?? null, cap: row?.cap ?? null, subtractsHeld: row ? row.subtracts_held === 1 : null,
        lastPush: this.lastPush.get(name) ?? null, latencyP50Ms: this.latency.get(name)?.percentile(0.5) ?? null, latencyP99Ms: this.latency.get(name)?.percentile(0.99) ?? null,
        backlog: Number(backlog.find((row) => row.code === name)?.rows ?? 0), pending: stats?.pending ?? 0, inFlight: stats?.inFlight ?? 0,
        requests: stats?.requests ?? 0, throttled: stats?.throttled ?? 0, blockedForMs: stats?.blockedForMs ?? 0, headroom: stats?.headroom ?? {},
        deadLetters: Number(dead.find((row) => row.channel === name)?.rows ?? 0), pushes: this.counts.get(name) ?? {},
      };
    });
  }
}
