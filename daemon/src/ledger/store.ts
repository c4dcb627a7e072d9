/**
 * The only place that imports database drivers. A Store is a kysely instance over MySQL/MariaDB
 * (mysql2 pool) or SQLite (better-sqlite3, WAL), plus a transaction runner that retries what the
 * database asks to be retried (deadlocks, lock waits, snapshot conflicts, a busy SQLite file) and
 * a classification of errors that mean "the database is unavailable" (answer 503, not 500).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver, type Transaction } from 'kysely';
import { createPool } from 'mysql2';
import { announceCommitted } from './outbox-notes.js';
import type { Database } from './schema.js';

export type StoreDialect = 'mysql' | 'sqlite';

export interface StoreOptions {
  /** MySQL pool size. */
  connectionsMax?: number;
  /** Attempts for a transaction the database asked to retry (deadlock, lock wait, busy). */
  transactionAttemptsMax?: number;
  /** Transaction isolation on MySQL; the ledger is correct under both (tests run both). */
  isolation?: 'REPEATABLE READ' | 'READ COMMITTED';
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** The URL without its password, for logs and status output. */
  readonly description: string;
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store seen from inside one of its transactions, so that a function taking a store (such as
 * requeueListings) joins the transaction instead of opening its own. */
export function storeWithin(store: Store, trx: Transaction<Database>): Store {
  return {
    db: trx, dialect: store.dialect, description: store.description,
    transaction: (work) => work(trx),
    ping: () => store.ping(),
    close: () => Promise.reject(new Error('a transaction cannot close its store')),
  };
}

const CONNECTIONS_MAX_DEFAULT = 20;
const TRANSACTION_ATTEMPTS_MAX_DEFAULT = 8;
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const RETRY_BASE_DELAY_MS = 5;

/** SQLite's driver opens transactions with BEGIN IMMEDIATE: the write lock is taken up front, so
 * several processes on one file wait on busy_timeout instead of failing on a lock upgrade. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly databaseConfig: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(databaseConfig);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.databaseConfig);
  }
}

/** Prepared statements kept per SQLite database, by SQL text (least recently used goes first). */
const STATEMENT_CACHE_MAX = 500;

/** kysely's SQLite driver prepares every query anew; the engine's hot path runs the same few dozen
 * statements thousands of times a second, and preparing them was a tenth of its CPU. A statement
 * still running (a streamed query iterating it) is never handed out twice: then a fresh one is. */
function withStatementCache(database: BetterSqlite3.Database, beforeClose: () => void): { close(): void; prepare(sql: string): BetterSqlite3.Statement } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => { cache.clear(); beforeClose(); database.close(); },
    prepare(sqlText: string) {
      const cached = cache.get(sqlText);
      if (cached && !cached.busy) {
        cache.delete(sqlText);
        cache.set(sqlText, cached);
        return cached;
      }
      const statement = database.prepare(sqlText);
      if (cached) return statement;
      cache.set(sqlText, statement);
      if (cache.size > STATEMENT_CACHE_MAX) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/** How often the background thread moves the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 200;
/** Pages the log may reach before a commit checkpoints on the event loop after all: the net under
 * the background thread (about 80 MB), not the usual path. SQLite's own default is 1,000. */
const WAL_AUTOCHECKPOINT_PAGES_FALLBACK = 20_000;
const WAL_BYTES_KEPT_MAX = 16 * 1024 * 1024;

/**
 * SQLite in WAL mode copies the log into the database file every 1,000 pages, inside whichever
 * commit crosses the mark, and with synchronous = NORMAL that copy ends with an fsync: the event
 * loop stood still for it, once every few hundred ledger writes at a high rate (in bench
 * propagation --unlimited it was about 60% of the time spent committing). A worker thread with
 * its own connection checkpoints instead (PASSIVE: never waits for, nor blocks, a writer), so
 * commits only append to the log. If the thread cannot run, commits checkpoint as SQLite's default.
 */
function startCheckpointer(database: BetterSqlite3.Database, path: string): { stop(): void } {
  database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES_FALLBACK}`);
  // The log a burst grew is cut back to this once a checkpoint lets it start over.
  database.pragma(`journal_size_limit = ${WAL_BYTES_KEPT_MAX}`);
  const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driver: requireHere.resolve('better-sqlite3'), path, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  let stopped = false;
  worker.on('error', () => {
    if (stopped) return;
    stopped = true;
    try {
      database.pragma('wal_autocheckpoint = 1000');
    } catch {
      // Closed meanwhile: nothing left to checkpoint from here.
    }
  });
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('close');
    },
  };
}

const requireHere = createRequire(import.meta.url);

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
// Never wait on a lock: a checkpoint that cannot run now runs at the next tick.
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.startsWith('sqlite:') ? url : '(unparseable database url)';
  }
}

export function sqlitePathOf(url: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === '' ? ':memory:' : path;
}

export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) return openSqlite(url, options);
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) return openMysql(url, options);
  throw new Error(`SHELFGUARD_DATABASE_URL must start with mysql:// or sqlite:, got ${describeDatabaseUrl(url)}`);
}

function openSqlite(url: string, options: StoreOptions): Store {
  const path = sqlitePathOf(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('synchronous = NORMAL');
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(database, path);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database, () => checkpointer?.stop()) }) });
  return makeStore(db, 'sqlite', url, options);
}

function openMysql(url: string, options: StoreOptions): Store {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const pool = createPool({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, ''),
    connectionLimit: options.connectionsMax ?? CONNECTIONS_MAX_DEFAULT,
    waitForConnections: true,
    queueLimit: 0,
    decimalNumbers: true,
    supportBigNumbers: true,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    charset: 'utf8mb4',
  });
  const isolation = options.isolation ?? 'REPEATABLE READ';
  pool.on('connection', (connection) => {
    connection.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${isolation}`);
    connection.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  return makeStore(db, 'mysql', url, options);
}

function makeStore(db: Kysely<Database>, dialect: StoreDialect, url: string, options: StoreOptions): Store {
  const attemptsMax = options.transactionAttemptsMax ?? TRANSACTION_ATTEMPTS_MAX_DEFAULT;
  return {
    db,
    dialect,
    description: describeDatabaseUrl(url),
    async transaction(work) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          let committed: Transaction<Database> | undefined;
          const result = await db.transaction().execute(async (trx) => {
            committed = trx;
            return work(trx);
          });
          announceCommitted(db, committed!);
          return result;
        } catch (error) {
          if (attempt >= attemptsMax || !isRetryableTransactionError(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_DELAY_MS * attempt + Math.random() * RETRY_BASE_DELAY_MS * attempt));
        }
      }
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

function errorCode(error: unknown): { code?: string; errno?: number } {
  if (typeof error !== 'object' || error === null) return {};
  const record = error as { code?: unknown; errno?: unknown };
  return { code: typeof record.code === 'string' ? record.code : undefined, errno: typeof record.errno === 'number' ? record.errno : undefined };
}

/** Deadlock (1213), lock wait timeout (1205), snapshot-isolation conflict (1020), SQLite busy. */
export function isRetryableTransactionError(error: unknown): boolean {
  const { code, errno } = errorCode(error);
  return errno === 1213 || errno === 1205 || errno === 1020 || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export function isUniqueViolation(error: unknown): boolean {
  const { code, errno } = errorCode(error);
  return errno === 1062 || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function isCheckViolation(error: unknown): boolean {
  const { code, errno } = errorCode(error);
  return errno === 4025 || errno === 3819 || code === 'SQLITE_CONSTRAINT_CHECK';
}

/** Errors that mean the database cannot be reached or cannot commit right now. */
export function isStoreUnavailable(error: unknown): boolean {
  const { code, errno } = errorCode(error);
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ENOTFOUND', 'EHOSTUNREACH', 'POOL_CLOSED'].includes(code)) return true;
  if (errno !== undefined && [1040, 1053, 1205, 1213, 2002, 2003, 2006, 2013].includes(errno)) return true;
  if (code && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)/.test(code)) return true;
  return error instanceof Error && /Pool is closed|connect ETIMEDOUT|Connection lost|closed state/.test(error.message);
}
