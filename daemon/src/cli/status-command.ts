/** `shelfguard status`: what the ledger holds and whether anything needs attention. */
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { isMigrated } from '../ledger/migrations.js';
import { openStore, type Store } from '../ledger/store.js';
import { formatTable, printJson } from './output.js';

export interface LedgerStatus {
  database: string;
  migrated: boolean;
  skus: number;
  movements: number;
  openReservations: number;
  oversells: { total: number; unresolved: number };
  outboxBacklog: number;
  channels: Array<{ channel: string; mode: string; buffer: number; listings: number; locations: string[] }>;
}

async function count(store: Store, table: 'sku' | 'movement' | 'outbox'): Promise<number> {
  const row = await store.db.selectFrom(table).select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function readStatus(store: Store): Promise<LedgerStatus> {
  const migrated = await isMigrated(store.db as never);
  if (!migrated) return { database: store.description, migrated, skus: 0, movements: 0, openReservations: 0, oversells: { total: 0, unresolved: 0 }, outboxBacklog: 0, channels: [] };
  const oversells = await store.db.selectFrom('oversell').select([sql<number>`count(*)`.as('total'), sql<number>`sum(case when resolution is null then 1 else 0 end)`.as('unresolved')]).executeTakeFirstOrThrow();
  const reservations = await store.db.selectFrom('reservation').select(sql<number>`count(*)`.as('count')).where('state', '=', 'open').executeTakeFirstOrThrow();
  const channels = await store.db.selectFrom('channel').select(['id', 'code', 'mode', 'buffer']).orderBy('code').execute();
  return {
    database: store.description,
    migrated,
    skus: await count(store, 'sku'),
    movements: await count(store, 'movement'),
    openReservations: Number(reservations.count),
    oversells: { total: Number(oversells.total), unresolved: Number(oversells.unresolved ?? 0) },
    outboxBacklog: await count(store, 'outbox'),
    channels: await Promise.all(channels.map(async (channel) => {
      const listings = await store.db.selectFrom('listing').select(sql<number>`count(*)`.as('count')).where('channel_id', '=', channel.id).executeTakeFirstOrThrow();
      const locations = await store.db.selectFrom('channel_location').innerJoin('location', 'location.id', 'channel_location.location_id').select('location.code').where('channel_id', '=', channel.id).orderBy('priority').execute();
      return { channel: channel.code, mode: channel.mode, buffer: channel.buffer, listings: Number(listings.count), locations: locations.map((location) => location.code) };
    })),
  };
}

export function printStatus(status: LedgerStatus): void {
  process.stdout.write(`database: ${status.database}${status.migrated ? '' : ' (migrations pending: run `shelfguard migrate`)'}\n`);
  process.stdout.write(`SKUs ${status.skus} · movements ${status.movements} · open reservations ${status.openReservations} · outbox backlog ${status.outboxBacklog} · oversells ${status.oversells.total} (${status.oversells.unresolved} unresolved)\n\n`);
  if (status.channels.length > 0) process.stdout.write(`${formatTable(['channel', 'mode', 'buffer', 'listings', 'locations'], status.channels.map((channel) => [channel.channel, channel.mode, channel.buffer, channel.listings, channel.locations.join(', ')]))}\n`);
}

export async function statusCommand(config: Config, options: { json?: boolean }): Promise<void> {
  const store = await openStore(config.databaseUrl);
  try {
    const status = await readStatus(store);
    if (options.json) printJson(status);
    else printStatus(status);
  } finally {
    await store.close();
  }
}
