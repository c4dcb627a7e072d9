/**
 * RELIABILITY A11 at the ledger: one idempotency key delivered five times at once. The same body
 * has exactly one effect and five ok answers carrying one outcome (1 applied, 4 duplicates);
 * other bodies under that key are idempotency conflicts with no effect. On MariaDB the five run
 * on five pool connections; on SQLite both in one process and across 4 processes on one file.
 */
import { sql } from 'kysely';
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger, type ReserveRequest } from '../../../daemon/src/ledger/ledger.js';
import type { Store } from '../../../daemon/src/ledger/store.js';
import { A5_RACE, orderRequest, placeOrder, seedRace, type OrderAnswer } from '../../helpers/ledger-race.js';
import { runInProcesses } from '../../helpers/ledger-race-processes.js';
import { openTestStore, STORE_KINDS, type StoreKind } from '../../helpers/stores.js';

const DELIVERIES = 5;

interface Effects {
  intents: number;
  movements: number;
  reservations: number;
  oversells: number;
}

async function effectsOf(store: Store, key: string): Promise<Effects> {
  const count = async (table: 'intent' | 'movement' | 'reservation' | 'oversell') => {
    const column = table === 'intent' ? 'key' : 'intent_key';
    const row = await store.db.selectFrom(table).select(sql<number>`count(*)`.as('count')).where(column, '=', key).executeTakeFirstOrThrow();
    return Number(row.count);
  };
  return { intents: await count('intent'), movements: await count('movement'), reservations: await count('reservation'), oversells: await count('oversell') };
}

const statuses = (answers: OrderAnswer[]) => answers.map((answer) => `${answer.status} ${answer.result}`).sort();
const outcomes = (answers: OrderAnswer[]) => answers.map((answer) => (answer.reply?.ok ? JSON.stringify(answer.reply.value.outcome) : answer.result));

function deliverAtOnce(ledger: Ledger, requests: ReserveRequest[]): Promise<OrderAnswer[]> {
  return Promise.all(requests.map((request, index) => placeOrder(ledger, index, request)));
}

describe.each(STORE_KINDS)('one key delivered five times at once on %s', (kind: StoreKind) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  let ledger: Ledger;

  beforeAll(async () => {
    const opened = await openTestStore(kind, { connectionsMax: 20 });
    ({ store, close } = opened);
    url = opened.database.url;
    ledger = new Ledger(store);
    await seedRace(store, A5_RACE);
    expect((await new Catalogue(store).upsertSku({ code: 'EMPTY-1', kind: 'simple' })).ok).toBe(true);
  });
  afterAll(async () => close());

  test('the same body five times has one effect and five ok answers: one applied, four duplicates of it', async () => {
    const request = orderRequest(1, A5_RACE);
    const answers = await deliverAtOnce(ledger, Array.from({ length: DELIVERIES }, () => request));
    console.info(`A11 ${kind} same body: ${JSON.stringify(statuses(answers))}`);
    expect(statuses(answers)).toEqual(['applied applied', 'duplicate applied', 'duplicate applied', 'duplicate applied', 'duplicate applied']);
    expect(new Set(outcomes(answers)).size).toBe(1);
    expect(await effectsOf(store, request.key)).toEqual({ intents: 1, movements: 1, reservations: 1, oversells: 0 });
  });

  test('the same oversold body five times records one oversell and answers the same five times', async () => {
    const request: ReserveRequest = { ...orderRequest(2, A5_RACE), sku: 'EMPTY-1' };
    const answers = await deliverAtOnce(ledger, Array.from({ length: DELIVERIES }, () => request));
    expect(statuses(answers)).toEqual(['applied oversold', 'duplicate oversold', 'duplicate oversold', 'duplicate oversold', 'duplicate oversold']);
    expect(new Set(outcomes(answers)).size).toBe(1);
    expect(await effectsOf(store, request.key)).toEqual({ intents: 1, movements: 0, reservations: 0, oversells: 1 });
  });

  test('five different bodies under one key have one effect and four idempotency conflicts', async () => {
    const base = orderRequest(3, A5_RACE);
    const answers = await deliverAtOnce(ledger, Array.from({ length: DELIVERIES }, (_, index) => ({ ...base, quantity: index + 1 })));
    console.info(`A11 ${kind} different bodies: ${JSON.stringify(statuses(answers))}`);
    expect(statuses(answers)).toEqual(['applied applied', 'error idempotency_conflict', 'error idempotency_conflict', 'error idempotency_conflict', 'error idempotency_conflict']);
    const winner = answers.find((answer) => answer.status === 'applied')!;
    expect(await effectsOf(store, base.key)).toEqual({ intents: 1, movements: 1, reservations: 1, oversells: 0 });
    const reservation = await store.db.selectFrom('reservation').select('quantity').where('intent_key', '=', base.key).executeTakeFirstOrThrow();
    expect(reservation.quantity).toBe(winner.order + 1);
  });

  test('a different body after the key was applied is an idempotency conflict and writes nothing', async () => {
    const request = orderRequest(4, A5_RACE);
    expect((await placeOrder(ledger, 0, request)).status).toBe('applied');
    const before = await effectsOf(store, request.key);
    const conflict = await placeOrder(ledger, 1, { ...request, quantity: 2 });
    expect(conflict.reply).toEqual({ ok: false, error: { code: 'idempotency_conflict', message: `key ${request.key} was already used for a different payload` } });
    expect(await effectsOf(store, request.key)).toEqual(before);
  });

  if (kind === 'sqlite') {
    test('across 4 processes on one file, one key five times has one effect, with the same body or with different ones', async () => {
      const same = orderRequest(5, A5_RACE);
      const different = orderRequest(6, A5_RACE);
      // One spawn for both keys (starting workers is the slow part): order n < 5 sends the same
      // body, order n ≥ 5 sends quantity n − 4 under the other key.
      const batches = [[0, 5], [1, 6], [2, 7], [3, 4, 8, 9]].map((orders) => orders.map((order) => ({ order, request: order < DELIVERIES ? same : { ...different, quantity: order - DELIVERIES + 1 } })));
      const { answers } = await runInProcesses(url, batches);
      expect(statuses(answers.filter((answer) => answer.order < DELIVERIES))).toEqual(['applied applied', 'duplicate applied', 'duplicate applied', 'duplicate applied', 'duplicate applied']);
      expect(new Set(outcomes(answers.filter((answer) => answer.order < DELIVERIES))).size).toBe(1);
      expect(await effectsOf(store, same.key)).toEqual({ intents: 1, movements: 1, reservations: 1, oversells: 0 });
      expect(statuses(answers.filter((answer) => answer.order >= DELIVERIES))).toEqual(['applied applied', 'error idempotency_conflict', 'error idempotency_conflict', 'error idempotency_conflict', 'error idempotency_conflict']);
      expect(await effectsOf(store, different.key)).toEqual({ intents: 1, movements: 1, reservations: 1, oversells: 0 });
    }, 60_000);
  }
});
