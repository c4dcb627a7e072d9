/**
 * RELIABILITY A5: 200 concurrent one-unit orders from 5 channels against 20 units. Exactly 20 are
 * reserved and 180 recorded as oversells, the final available is 0 and no reader ever sees it
 * below 0 — on MariaDB (one process, a pool of 20) under REPEATABLE READ, READ COMMITTED and
 * REPEATABLE READ with innodb_snapshot_isolation ON, and on SQLite with 4 processes on one file.
 * Each run prints its figures (counts, minimum seen, p50/p99 decision latency).
 */
import { createConnection } from 'mysql2/promise';
import { sql } from 'kysely';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import { openStore, type Store, type StoreOptions } from '../../../daemon/src/ledger/store.js';
import { A5_RACE, expectedFigures, judgeRace, orderRequest, placeOrder, sampleAvailable, seedRace, type RaceFigures, type RaceShape } from '../../helpers/ledger-race.js';
import { runInProcesses } from '../../helpers/ledger-race-processes.js';
import { MYSQL_SERVER_URL, openTestStore } from '../../helpers/stores.js';

const SQLITE_PROCESSES = 4;
const MYSQL_POOL = 20;

function report(label: string, figures: RaceFigures): void {
  console.info(`A5 ${label}: ${JSON.stringify(figures)}`);
}

function expectNoOversell(figures: RaceFigures, shape: RaceShape): void {
  const { applied, oversold, other, available, reservedMovements, oversellRows, conservationViolations } = figures;
  expect({ applied, oversold, other, available, reservedMovements, oversellRows, conservationViolations }).toEqual(expectedFigures(shape));
  expect(figures.minimumAvailableSeen).toBeGreaterThanOrEqual(0);
}

/** Every order at once through one ledger on one pool, with a separate connection sampling stock. */
async function raceOnMysql(options: StoreOptions, shape: RaceShape): Promise<{ figures: RaceFigures; session: Record<string, unknown> }> {
  const { store, database, close } = await openTestStore('mysql', { connectionsMax: MYSQL_POOL, ...options });
  let sampler: Store | undefined;
  try {
    await seedRace(store, shape);
    const session = (await sql<Record<string, unknown>>`select @@session.tx_isolation as isolation, @@session.innodb_snapshot_isolation as snapshot_isolation`.execute(store.db)).rows[0]!;
    sampler = await openStore(database.url, { connectionsMax: 1 });
    const ledger = new Ledger(store);
    const sampling = sampleAvailable(sampler);
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: shape.orders }, (_, order) => placeOrder(ledger, order, orderRequest(order, shape))));
    const wallMs = performance.now() - started;
    return { figures: await judgeRace(store, answers, await sampling.stop(), wallMs), session };
  } finally {
    await sampler?.close();
    await close();
  }
}

/** Sets a global server variable for the duration of `work` and puts the old value back. */
async function withGlobalVariable<T>(name: string, value: string, work: () => Promise<T>): Promise<T | 'unsupported'> {
  const admin = await createConnection(MYSQL_SERVER_URL);
  try {
    const [rows] = await admin.query(`SHOW GLOBAL VARIABLES LIKE '${name}'`) as unknown as [Array<{ Value: string }>];
    if (rows.length === 0) return 'unsupported';
    const previous = rows[0]!.Value;
    await admin.query(`SET GLOBAL ${name} = ${value}`);
    try {
      return await work();
    } finally {
      await admin.query(`SET GLOBAL ${name} = ${previous}`);
    }
  } finally {
    await admin.end();
  }
}

describe('200 concurrent one-unit orders from 5 channels on 20 units', () => {
  test('on MariaDB under REPEATABLE READ with a pool of 20, exactly 20 are reserved and 180 oversold', async () => {
    const { figures, session } = await raceOnMysql({ isolation: 'REPEATABLE READ' }, A5_RACE);
    report(`mysql ${JSON.stringify(session)}`, figures);
    expect(session.isolation).toBe('REPEATABLE-READ');
    expectNoOversell(figures, A5_RACE);
  }, 60_000);

  test('on MariaDB under READ COMMITTED with a pool of 20, exactly 20 are reserved and 180 oversold', async () => {
    const { figures, session } = await raceOnMysql({ isolation: 'READ COMMITTED' }, A5_RACE);
    report(`mysql ${JSON.stringify(session)}`, figures);
    expect(session.isolation).toBe('READ-COMMITTED');
    expectNoOversell(figures, A5_RACE);
  }, 60_000);

  test('on MariaDB under REPEATABLE READ with innodb_snapshot_isolation ON, exactly 20 are reserved and 180 oversold', async () => {
    const outcome = await withGlobalVariable('innodb_snapshot_isolation', 'ON', () => raceOnMysql({ isolation: 'REPEATABLE READ' }, A5_RACE));
    if (outcome === 'unsupported') {
      console.info('A5 mysql snapshot isolation: this server has no innodb_snapshot_isolation; nothing to run');
      return;
    }
    report(`mysql ${JSON.stringify(outcome.session)}`, outcome.figures);
    expect(Number(outcome.session.snapshot_isolation)).toBe(1);
    expectNoOversell(outcome.figures, A5_RACE);
  }, 60_000);

  test('on SQLite with 4 processes on one file, exactly 20 are reserved and 180 oversold', async () => {
    const { store, database, close } = await openTestStore('sqlite');
    try {
      await seedRace(store, A5_RACE);
      const batches = Array.from({ length: SQLITE_PROCESSES }, (_, worker) => Array.from({ length: A5_RACE.orders }, (_, order) => order)
        .filter((order) => order % SQLITE_PROCESSES === worker)
        .map((order) => ({ order, request: orderRequest(order, A5_RACE) })));
      const sampling = sampleAvailable(store);
      const { answers, wallMs } = await runInProcesses(database.url, batches);
      const figures = await judgeRace(store, answers, await sampling.stop(), wallMs);
      report(`sqlite ${SQLITE_PROCESSES} processes`, figures);
      expectNoOversell(figures, A5_RACE);
    } finally {
      await close();
    }
  }, 60_000);
});
