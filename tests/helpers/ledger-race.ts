/**
 * The oversell race (RELIABILITY A5/B3): many one-unit orders from several channels against a
 * few units of one SKU, all at once. Shared by the in-process tests and the SQLite worker
 * processes, so every store runs exactly the same orders and is judged by the same checker.
 */
import { sql } from 'kysely';
import { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import type { IntentReply } from '../../daemon/src/ledger/intents.js';
import { Ledger, type ReserveRequest } from '../../daemon/src/ledger/ledger.js';
import type { LedgerResult } from '../../daemon/src/ledger/ledger-types.js';
import { LedgerQueries } from '../../daemon/src/ledger/queries.js';
import type { Store } from '../../daemon/src/ledger/store.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../daemon/src/ledger/schema.js';

export const RACE_SKU = 'RACE-1';
export const RACE_LOCATION = 'main';

export interface RaceShape {
  orders: number;
  units: number;
  channels: number;
}

export const A5_RACE: RaceShape = { orders: 200, units: 20, channels: 5 };

export interface OrderAnswer {
  order: number;
  /** applied / oversold (from the outcome), or the error code / exception message. */
  result: string;
  status: string;
  latencyMs: number;
  /** The ledger's whole answer (absent when it threw). */
  reply?: LedgerResult<IntentReply>;
}

export const channelOf = (order: number, shape: RaceShape) => `channel-${order % shape.channels}`;

/** The catalogue of one race: one SKU with `units` on hand, `channels` channels on one location. */
export async function seedRace(store: Store, shape: RaceShape): Promise<void> {
  const catalogue = new Catalogue(store);
  const must = (result: { ok: boolean }) => { if (!result.ok) throw new Error(`race seed failed: ${JSON.stringify(result)}`); };
  await catalogue.ensureDefaults();
  for (let channel = 0; channel < shape.channels; channel += 1) {
    must(await catalogue.upsertChannel({ code: `channel-${channel}`, mode: 'live', locations: [RACE_LOCATION] }));
  }
  must(await catalogue.upsertSku({ code: RACE_SKU, kind: 'simple' }));
  for (let channel = 0; channel < shape.channels; channel += 1) must(await catalogue.upsertListing({ channel: `channel-${channel}`, sku: RACE_SKU }));
  must(await new Ledger(store).adjust({ key: 'race:seed', sku: RACE_SKU, location: RACE_LOCATION, delta: shape.units, reason: 'received', channel: null, actor: 'race' }));
}

/** One marketplace order line of one unit, as a channel adapter would reserve it. */
export function orderRequest(order: number, shape: RaceShape): ReserveRequest {
  const channel = channelOf(order, shape);
  return {
    key: `${channel}:order-${order}:1`, sku: RACE_SKU, quantity: 1, locations: [RACE_LOCATION], channel,
    orderRef: `order-${order}`, lineRef: '1', reference: `${channel}://order/${order}`, actor: 'race',
  };
}

/** Sends one reservation and times it; an exception is an answer too (the checker rejects it). */
export async function placeOrder(ledger: Ledger, order: number, request: ReserveRequest): Promise<OrderAnswer> {
  const started = performance.now();
  try {
    const reply = await ledger.reserve(request);
    const latencyMs = performance.now() - started;
    if (!reply.ok) return { order, result: reply.error.code, status: 'error', latencyMs, reply };
    return { order, result: reply.value.outcome.result, status: reply.value.status, latencyMs, reply };
  } catch (error) {
    return { order, result: `exception: ${error instanceof Error ? error.message : String(error)}`, status: 'error', latencyMs: performance.now() - started };
  }
}

/** The same store, counting how many attempts each transaction took (retries on 1020/1213/1205/busy). */
export function countingAttempts(store: Store): { store: Store; attempts: number[] } {
  const attempts: number[] = [];
  const counted: Store = {
    db: store.db,
    dialect: store.dialect,
    description: store.description,
    ping: () => store.ping(),
    close: () => store.close(),
    async transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      let tries = 0;
      try {
        return await store.transaction((trx) => { tries += 1; return work(trx); });
      } finally {
        attempts.push(tries);
      }
    },
  };
  return { store: counted, attempts };
}

/** Reads the available quantity of the race SKU over and over until stopped; keeps the minimum. */
export function sampleAvailable(store: Store): { stop(): Promise<{ minimum: number; samples: number }> } {
  let isRunning = true;
  let minimum = Number.POSITIVE_INFINITY;
  let samples = 0;
  const loop = (async () => {
    while (isRunning) {
      const row = await store.db.selectFrom('stock').innerJoin('sku', 'sku.id', 'stock.sku_id')
        .select(sql<number>`min(stock.on_hand - stock.committed)`.as('available')).where('sku.code', '=', RACE_SKU).executeTakeFirst();
      if (row?.available !== null && row?.available !== undefined) minimum = Math.min(minimum, Number(row.available));
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return { async stop() { isRunning = false; await loop; return { minimum, samples }; } };
}

export interface RaceFigures {
  applied: number;
  oversold: number;
  other: string[];
  available: number;
  minimumAvailableSeen: number;
  samples: number;
  reservedMovements: number;
  oversellRows: number;
  conservationViolations: number;
  p50Ms: number;
  p99Ms: number;
  wallMs: number;
  /** MySQL runs: retries the store made on 1020/1213/1205, in total and at most per order. */
  transactionRetries?: number;
  attemptsMaxSeen?: number;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]! * 10) / 10;
}

/** What the race left behind, read back from the database, with the answers' counts and latencies. */
export async function judgeRace(store: Store, answers: OrderAnswer[], sampled: { minimum: number; samples: number }, wallMs: number): Promise<RaceFigures> {
  const queries = new LedgerQueries(store);
  const [row] = await queries.stockOf(RACE_SKU);
  const reserved = await store.db.selectFrom('movement').select(sql<number>`count(*)`.as('count')).where('reason', '=', 'reserved').executeTakeFirstOrThrow();
  const oversells = await store.db.selectFrom('oversell').select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow();
  const latencies = answers.map((answer) => answer.latencyMs);
  return {
    applied: answers.filter((answer) => answer.status === 'applied' && answer.result === 'applied').length,
    oversold: answers.filter((answer) => answer.status === 'applied' && answer.result === 'oversold').length,
    other: answers.filter((answer) => answer.status !== 'applied').map((answer) => `${answer.order}: ${answer.status} ${answer.result}`),
    available: row?.available ?? Number.NaN,
    minimumAvailableSeen: Math.min(sampled.minimum, row?.available ?? Number.POSITIVE_INFINITY),
    samples: sampled.samples,
    reservedMovements: Number(reserved.count),
    oversellRows: Number(oversells.count),
    conservationViolations: (await queries.conservationViolations()).length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    wallMs: Math.round(wallMs),
  };
}

/** The figures a correct ledger must produce for a race of this shape. */
export function expectedFigures(shape: RaceShape): Pick<RaceFigures, 'applied' | 'oversold' | 'other' | 'available' | 'reservedMovements' | 'oversellRows' | 'conservationViolations'> {
  return { applied: shape.units, oversold: shape.orders - shape.units, other: [], available: 0, reservedMovements: shape.units, oversellRows: shape.orders - shape.units, conservationViolations: 0 };
}
