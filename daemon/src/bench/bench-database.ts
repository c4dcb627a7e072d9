/**
 * A throwaway ledger for a benchmark: an SQLite file in a temp folder, or a fresh database on the
 * MySQL server named by SHELFGUARD_DATABASE_URL (the bench never writes into the real ledger).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { migrateToLatest } from '../ledger/migrations.js';
import { openStore, type Store } from '../ledger/store.js';
import { percentile as nearestRankPercentile } from '../sync/latency-window.js';

export interface BenchDatabase {
  store: Store;
  url: string;
  dispose(): Promise<void>;
}

export async function openBenchDatabase(kind: 'sqlite' | 'mysql', mysqlUrl: string | undefined, connectionsMax = 20): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'shelfguard-bench-'));
    const url = `sqlite:${join(folder, 'bench.sqlite')}`;
    const store = await openStore(url);
    await migrateToLatest(store.db as never);
    return { store, url, dispose: async () => { await store.close(); rmSync(folder, { recursive: true, force: true }); } };
  }
  if (!mysqlUrl || !/^(mysql|mariadb):/.test(mysqlUrl)) throw new Error('--store mysql takes its server from SHELFGUARD_DATABASE_URL (mysql://user:password@host:port/database)');
  const server = new URL(mysqlUrl.replace(/^mariadb:/, 'mysql:'));
  const name = `shelfguard_bench_${Date.now().toString(36)}_${process.pid}`;
  server.pathname = '/';
  const admin = await createConnection(server.toString());
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  server.pathname = `/${name}`;
  const url = server.toString();
  const store = await openStore(url, { connectionsMax });
  await migrateToLatest(store.db as never);
  return {
    store, url,
    dispose: async () => {
      await store.close();
      server.pathname = '/';
      const connection = await createConnection(server.toString());
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** The sync engine's nearest-rank percentile, with 0 for no samples (benches always print a number). */
export function percentile(values: readonly number[], fraction: number): number {
  return nearestRankPercentile(values, fraction) ?? 0;
}
