/**
 * RELIABILITY B3n, the negative control: the oversell race must be able to catch the bug it
 * exists for. A deliberately naive reservation — read available, decide in JavaScript, write the
 * committed value it computed — runs under the same load as A5 (200 concurrent one-unit orders
 * from 5 channels on 20 units, pool of 20) on MariaDB REPEATABLE READ with snapshot isolation OFF.
 * The same checks that pass for the ledger must see an oversell or a lost update within 20 rounds;
 * if they never do, the race is not stressing the database and this test fails.
 *
 * The naive code lives only inside this file's describe block and is never exported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool } from 'mysql2';
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import { LedgerQueries } from '../../../daemon/src/ledger/queries.js';
import type { Store } from '../../../daemon/src/ledger/store.js';
import { A5_RACE, channelOf, RACE_LOCATION } from '../../helpers/ledger-race.js';
import { openTestStore } from '../../helpers/stores.js';

const ROUNDS_MAX = 20;
const POOL = 20;
const DAEMON_SOURCE = fileURLToPath(new URL('../../../daemon/src', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

describe('the negative control: a naive read-then-write reservation', () => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestStore('mysql');
    ({ store, close } = opened);
    url = opened.database.url;
    await new Catalogue(store).ensureDefaults();
  });
  afterAll(async () => close());

  /**
   * THE BUG, on purpose: a consistent read, a decision in JavaScript, and an UPDATE that writes
   * the value computed from that read. Every transaction that read the same committed value
   * writes the same new value (a lost update), and the availability check uses a stale number.
   */
  async function naiveReadThenWriteReserve(pool: ReturnType<ReturnType<typeof createPool>['promise']>, skuId: number, locationId: number, order: number): Promise<'accepted' | 'rejected'> {
    const connection = await pool.getConnection();
    try {
      await connection.query('START TRANSACTION');
      const [rows] = await connection.query('SELECT on_hand, committed FROM stock WHERE sku_id = ? AND location_id = ?', [skuId, locationId]) as unknown as [Array<{ on_hand: number; committed: number }>];
      const { on_hand: onHand, committed } = rows[0]!;
      if (onHand - committed < 1) {
        await connection.query('ROLLBACK');
        return 'rejected';
      }
      await connection.query('UPDATE stock SET committed = ? WHERE sku_id = ? AND location_id = ?', [committed + 1, skuId, locationId]);
      await connection.query(
        'INSERT INTO movement (id, intent_key, sku_id, location_id, delta_on_hand, delta_committed, delta_damaged, reason, channel, reference, actor, created_at) VALUES (?, ?, ?, ?, 0, 1, 0, ?, ?, NULL, ?, ?)',
        [`mv_naive_${skuId}_${order}`, `naive:${skuId}:${order}`, skuId, locationId, 'reserved', channelOf(order, A5_RACE), 'naive-control', Date.now()],
      );
      await connection.query('COMMIT');
      return 'accepted';
    } finally {
      connection.release();
    }
  }

  test('oversells or loses an update under the A5 load within 20 rounds, and the checks see it', async () => {
    const core = createPool({ uri: url, connectionLimit: POOL, waitForConnections: true });
    core.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      // Per session, so a concurrent test switching the global value cannot change this one.
      connection.query('SET SESSION innodb_snapshot_isolation = OFF', () => undefined);
    });
    const pool = core.promise();
    const catalogue = new Catalogue(store);
    const ledger = new Ledger(store);
    const queries = new LedgerQueries(store);
    const rounds: Array<Record<string, number>> = [];
    try {
      const [session] = await pool.query('SELECT @@session.tx_isolation AS isolation, @@session.innodb_snapshot_isolation AS snapshot') as unknown as [Array<{ isolation: string; snapshot: number }>];
      expect(session[0]).toEqual({ isolation: 'REPEATABLE-READ', snapshot: 0 });
      for (let round = 1; round <= ROUNDS_MAX; round += 1) {
        const sku = `NAIVE-${round}`;
        expect((await catalogue.upsertSku({ code: sku, kind: 'simple' })).ok).toBe(true);
        expect((await ledger.adjust({ key: `naive:seed:${round}`, sku, location: RACE_LOCATION, delta: A5_RACE.units, reason: 'received', channel: null, actor: 'naive-control' })).ok).toBe(true);
        const row = await store.db.selectFrom('stock').innerJoin('sku', 'sku.id', 'stock.sku_id').select(['stock.sku_id', 'stock.location_id']).where('sku.code', '=', sku).executeTakeFirstOrThrow();
        const answers = await Promise.all(Array.from({ length: A5_RACE.orders }, (_, order) => naiveReadThenWriteReserve(pool, row.sku_id, row.location_id, order)));
        const accepted = answers.filter((answer) => answer === 'accepted').length;
        const [after] = await queries.stockOf(sku);
        const violations = (await queries.conservationViolations()).filter((violation) => violation.skuId === row.sku_id).length;
        rounds.push({ round, accepted, rejected: A5_RACE.orders - accepted, committed: after!.committed, oversold: Math.max(0, accepted - A5_RACE.units), lostUpdates: accepted - after!.committed, conservationViolations: violations });
        if (accepted !== A5_RACE.units || after!.committed !== accepted || violations > 0) break;
      }
    } finally {
      await pool.end();
      console.info(`B3n naive read-then-write: ${JSON.stringify(rounds)}`);
    }
    const caught = rounds.filter((round) => round.oversold! > 0 || round.lostUpdates! > 0);
    expect(caught.length).toBeGreaterThanOrEqual(1);
    // What the A5 checks would say of it: more accepted than units, or I1 broken by lost updates.
    expect(caught[0]!.accepted !== A5_RACE.units || caught[0]!.conservationViolations! > 0).toBe(true);
  }, 60_000);

  test('the naive variant exists only in this test file, never in the daemon', () => {
    const leaks = sourceFiles(DAEMON_SOURCE).filter((path) => /naiveReadThenWrite|naive-control/.test(readFileSync(path, 'utf8')));
    expect(leaks).toEqual([]);
  });
});
