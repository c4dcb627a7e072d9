/**
 * Fresh ledgers for tests, on both stores: an SQLite file in a temp folder, and a throwaway
 * MariaDB database on 127.0.0.1 (SHELFGUARD_TEST_MYSQL_URL overrides the server). Every suite
 * that touches the ledger runs against both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { openStore, type Store, type StoreOptions } from '../../daemon/src/ledger/store.js';
import { migrateToLatest } from '../../daemon/src/ledger/migrations.js';

export type StoreKind = 'sqlite' | 'mysql';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'mysql'];

export const MYSQL_SERVER_URL = process.env.SHELFGUARD_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  counter += 1;
  if (kind === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'shelfguard-test-'));
    return { url: `sqlite:${join(folder, 'ledger.sqlite')}`, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `sg_test_${process.pid}_${Date.now().toString(36)}_${counter}`;
  const admin = await createConnection(MYSQL_SERVER_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  return {
    url: `${MYSQL_SERVER_URL}/${name}`,
    drop: async () => {
      const connection = await createConnection(MYSQL_SERVER_URL);
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

export async function openTestStore(kind: StoreKind, options: StoreOptions = {}): Promise<{ store: Store; database: TestDatabase; close(): Promise<void> }> {
  const database = await createTestDatabase(kind);
  const store = await openStore(database.url, options);
  await migrateToLatest(store.db as never);
  return { store, database, close: async () => { await store.close(); await database.drop(); } };
}
