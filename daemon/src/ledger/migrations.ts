/**
 * Schema migrations, one code path for MySQL/MariaDB and SQLite. Each migration is append-only:
 * a change to the schema is a new entry, never an edit of a shipped one.
 */
import { Migrator, MysqlAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const KEY_LENGTH = 190; // utf8mb4 unique indexes stay under InnoDB's 767-byte prefix limit.

const createLedger: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('sku')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('code', sql`varchar(100)`, (c) => c.notNull().unique())
      .addColumn('name', sql`varchar(400)`, (c) => c.notNull().defaultTo(''))
      .addColumn('kind', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('parent_id', 'integer')
      .addColumn('stock_pool_id', 'integer')
      .addColumn('tracks_stock', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('allows_backorders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('sku_kind_check', sql`kind in ('simple', 'variable', 'variation', 'kit')`)
      .execute();

    await db.schema.createTable('kit_component')
      .addColumn('kit_id', 'integer', (c) => c.notNull())
      .addColumn('component_id', 'integer', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('kit_component_pk', ['kit_id', 'component_id'])
      .addCheckConstraint('kit_component_quantity_check', sql`quantity >= 1`)
      .execute();

    await db.schema.createTable('location')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('code', sql`varchar(64)`, (c) => c.notNull().unique())
      .addColumn('name', sql`varchar(200)`, (c) => c.notNull())
      .addColumn('kind', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('channel')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('code', sql`varchar(32)`, (c) => c.notNull().unique())
      .addColumn('name', sql`varchar(200)`, (c) => c.notNull())
      .addColumn('mode', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('buffer', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cap', 'integer')
      .addColumn('subtracts_held', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('channel_mode_check', sql`mode in ('shadow', 'live', 'paused')`)
      .addCheckConstraint('channel_buffer_check', sql`buffer >= 0`)
      .execute();

    await db.schema.createTable('channel_location')
      .addColumn('channel_id', 'integer', (c) => c.notNull())
      .addColumn('location_id', 'integer', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_location_pk', ['channel_id', 'location_id'])
      .execute();

    await db.schema.createTable('listing')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('channel_id', 'integer', (c) => c.notNull())
      .addColumn('sku_id', 'integer', (c) => c.notNull())
      .addColumn('channel_sku', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('identifiers', 'text', (c) => c.notNull())
      .addColumn('buffer', 'integer')
      .addColumn('cap', 'integer')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('listing_channel_sku_unique', ['channel_id', 'sku_id'])
      .addUniqueConstraint('listing_channel_channel_sku_unique', ['channel_id', 'channel_sku'])
      .execute();

    await db.schema.createTable('stock')
      .addColumn('sku_id', 'integer', (c) => c.notNull())
      .addColumn('location_id', 'integer', (c) => c.notNull())
      .addColumn('on_hand', 'integer', (c) => c.notNull())
      .addColumn('committed', 'integer', (c) => c.notNull())
      .addColumn('damaged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('allows_backorders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('stock_pk', ['sku_id', 'location_id'])
      // I2 lives in the row: available (on hand − committed) never below zero without backorders.
      .addCheckConstraint('stock_available_check', sql`committed >= 0 and damaged >= 0 and (allows_backorders = 1 or on_hand - committed >= 0)`)
      .execute();

    await db.schema.createTable('intent')
      .addColumn('key', sql`varchar(${sql.raw(String(KEY_LENGTH))})`, (c) => c.primaryKey())
      .addColumn('request_hash', sql`char(64)`, (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('intent_created_at_index').on('intent').column('created_at').execute();

    await db.schema.createTable('movement')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('intent_key', sql`varchar(${sql.raw(String(KEY_LENGTH))})`, (c) => c.notNull())
      .addColumn('sku_id', 'integer', (c) => c.notNull())
      .addColumn('location_id', 'integer', (c) => c.notNull())
      .addColumn('delta_on_hand', 'integer', (c) => c.notNull())
      .addColumn('delta_committed', 'integer', (c) => c.notNull())
      .addColumn('delta_damaged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reason', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`)
      .addColumn('reference', sql`varchar(300)`)
      .addColumn('actor', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('movement_sku_index').on('movement').columns(['sku_id', 'id']).execute();
    await db.schema.createIndex('movement_intent_index').on('movement').column('intent_key').execute();

    await db.schema.createTable('reservation')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('intent_key', sql`varchar(${sql.raw(String(KEY_LENGTH))})`, (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('order_ref', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('line_ref', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('sku_id', 'integer', (c) => c.notNull())
      .addColumn('location_id', 'integer', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('state', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('reservation_state_check', sql`state in ('open', 'committed', 'released', 'expired')`)
      .execute();
    await db.schema.createIndex('reservation_order_index').on('reservation').columns(['channel', 'order_ref', 'line_ref']).execute();

    await db.schema.createTable('oversell')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('intent_key', sql`varchar(${sql.raw(String(KEY_LENGTH))})`, (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('reference', sql`varchar(300)`)
      .addColumn('sku_id', 'integer', (c) => c.notNull())
      .addColumn('requested', 'integer', (c) => c.notNull())
      .addColumn('available', 'integer', (c) => c.notNull())
      .addColumn('resolution', sql`varchar(64)`)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oversell_created_index').on('oversell').column('created_at').execute();

    await db.schema.createTable('held_stock')
      .addColumn('sku_id', 'integer', (c) => c.primaryKey())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('observed_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('outbox')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('listing_id', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outbox_listing_index').on('outbox').column('listing_id').execute();
  },
};

/** The sync engine's tables: per-listing push state with its lease and fencing version, push
 * records, dead letters, the marketplace inbox, order-line states, and polling cursors. */
const createSync: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('listing_sync')
      .addColumn('listing_id', 'integer', (c) => c.primaryKey())
      .addColumn('fence', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_owner', sql`varchar(64)`)
      .addColumn('lease_until', 'bigint')
      .addColumn('retry_at', 'bigint')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_quantity', 'integer')
      .addColumn('last_version', 'bigint')
      .addColumn('last_status', sql`varchar(16)`)
      .addColumn('last_pushed_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('push')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('listing_id', 'integer', (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('sku', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('status', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('path', sql`varchar(8)`)
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('error', sql`varchar(400)`)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('push_listing_index').on('push').columns(['listing_id', 'created_at']).execute();
    await db.schema.createIndex('push_channel_index').on('push').columns(['channel', 'created_at']).execute();

    await db.schema.createTable('dead_letter')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('kind', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('reference', sql`varchar(300)`, (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('error', sql`varchar(400)`, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('resolved_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dead_letter_channel_index').on('dead_letter').columns(['channel', 'created_at']).execute();

    await db.schema.createTable('inbox_event')
      .addColumn('id', sql`varchar(${sql.raw(String(KEY_LENGTH))})`, (c) => c.primaryKey())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('event_id', sql`varchar(150)`, (c) => c.notNull())
      .addColumn('type', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('order_id', sql`varchar(100)`)
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', sql`varchar(400)`)
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('processed_at', 'bigint')
      .execute();
    await db.schema.createIndex('inbox_event_state_index').on('inbox_event').columns(['state', 'received_at']).execute();

    await db.schema.createTable('order_line')
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('order_id', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('line_id', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('sku', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('fulfillment', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('status', sql`varchar(24)`, (c) => c.notNull())
      .addColumn('source_updated_at', 'bigint', (c) => c.notNull())
      .addColumn('stock_state', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('order_line_pk', ['channel', 'order_id', 'line_id'])
      .execute();

    await db.schema.createTable('channel_cursor')
      .addColumn('channel', sql`varchar(32)`, (c) => c.primaryKey())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/** Idempotency keys are external identities (webhook ids, marketplace event ids) compared byte for
 * byte, so the dedup authority must not fold case, accents or trailing spaces: under MySQL's
 * default `_ci` collations `msg_AbC` and `msg_abc` were one key, and the second event was refused
 * as an idempotency conflict. SQLite already compares text as bytes. */
const exactIntentKeys: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof MysqlAdapter)) return;
    const available = await sql<{ name: string }>`select collation_name as name from information_schema.collations where collation_name in ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')`.execute(db);
    const names = available.rows.map((row) => row.name);
    // A NO PAD binary collation where the server has one (MariaDB, MySQL 8); utf8mb4_bin folds only trailing spaces.
    const collation = names.includes('utf8mb4_nopad_bin') ? 'utf8mb4_nopad_bin' : names.includes('utf8mb4_0900_bin') ? 'utf8mb4_0900_bin' : 'utf8mb4_bin';
    for (const [table, column] of [['intent', 'key'], ['movement', 'intent_key'], ['reservation', 'intent_key'], ['oversell', 'intent_key']] as const) {
      await sql`alter table ${sql.table(table)} modify ${sql.ref(column)} varchar(${sql.raw(String(KEY_LENGTH))}) character set utf8mb4 collate ${sql.raw(collation)} not null`.execute(db);
    }
  },
};

/** Seller-standing protection (issue 7): alerts raised on a metric's level, and every protection
 * action with the listing settings it replaced, so each can be reverted exactly. */
const createMetrics: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('metric_alert')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('metric', sql`varchar(64)`, (c) => c.notNull())
      .addColumn('level', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('rate_basis_points', 'integer')
      .addColumn('headroom', 'integer')
      .addColumn('message', sql`varchar(400)`, (c) => c.notNull())
      .addColumn('webhook_state', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('webhook_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('webhook_error', sql`varchar(400)`)
      .addColumn('acknowledged_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('metric_alert_metric_index').on('metric_alert').columns(['channel', 'metric', 'created_at']).execute();
    await db.schema.createIndex('metric_alert_created_index').on('metric_alert').columns(['created_at']).execute();

    await db.schema.createTable('protection_action')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('kind', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('sku', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('before_settings', sql`varchar(200)`, (c) => c.notNull())
      .addColumn('after_settings', sql`varchar(200)`, (c) => c.notNull())
      .addColumn('reason', sql`varchar(400)`, (c) => c.notNull())
      .addColumn('actor', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('reverted_at', 'bigint')
      .addColumn('reverted_by', sql`varchar(100)`)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('protection_action_listing_index').on('protection_action').columns(['channel', 'sku', 'created_at']).execute();
  },
};

/** Marketplace event ids are compared byte for byte, as 0003 did for intent keys: under a `_ci`
 * collation `evt_AbC` and `evt_abc` were one inbox row and the second event was dropped as a
 * duplicate. Also gives each inbox event its own retry time, so one event that keeps failing
 * (its order cannot be fetched yet) waits alone instead of stalling the inbox behind it. */
const exactInboxKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('inbox_event').addColumn('next_attempt_at', 'bigint').execute();
    if (!(db.getExecutor().adapter instanceof MysqlAdapter)) return;
    const available = await sql<{ name: string }>`select collation_name as name from information_schema.collations where collation_name in ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')`.execute(db);
    const names = available.rows.map((row) => row.name);
    const collation = names.includes('utf8mb4_nopad_bin') ? 'utf8mb4_nopad_bin' : names.includes('utf8mb4_0900_bin') ? 'utf8mb4_0900_bin' : 'utf8mb4_bin';
    await sql`alter table inbox_event modify id varchar(${sql.raw(String(KEY_LENGTH))}) character set utf8mb4 collate ${sql.raw(collation)} not null`.execute(db);
    await sql`alter table inbox_event modify event_id varchar(150) character set utf8mb4 collate ${sql.raw(collation)} not null`.execute(db);
  },
};

/** Marketplace connections made from the admin UI (issue 6): the base URL in clear, the
 * credentials sealed with AES-256-GCM under SHELFGUARD_CREDENTIALS_KEY, a key that is never
 * stored here (`key_id` is a one-way fingerprint of it, so a changed key is named, not guessed). */
const createChannelConnections: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('channel_connection')
      .addColumn('channel', sql`varchar(32)`, (c) => c.primaryKey())
      .addColumn('base_url', sql`varchar(400)`, (c) => c.notNull())
      .addColumn('credentials_sealed', 'text', (c) => c.notNull())
      .addColumn('key_id', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('request_timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/** Each order line keeps who cancelled it and when the marketplace says the order was placed
 * (issue 7), as the connector mapped them from the marketplace's own order, so the seller metrics
 * read them here instead of re-parsing notification payloads, which for eBay and Etsy name only
 * the order. Lines stored before this migration have neither (null): a cancelled one reads as
 * cause unknown unless the ledger recorded it oversold. */
const orderLineCancelReason: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('order_line').addColumn('cancel_reason', sql`varchar(24)`).execute();
    await db.schema.alterTable('order_line').addColumn('placed_at', 'bigint').execute();
  },
};

/** Reconciliation history (issue 4): one row per run — scheduled, CLI or admin — with its
 * progress while it runs and its counts when it ends, and the drift each run found per listing.
 * `running_slot` is 1 only while a run is running and unique, so a second concurrent start fails
 * on the index (one run at a time, across daemon processes sharing the ledger); it is null after.
 * Retention (reconcile/reconcile-runs.ts): the newest 200 runs, at most 10,000 drift rows each. */
const createReconcileHistory: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('reconcile_run')
      .addColumn('id', sql`varchar(40)`, (c) => c.primaryKey())
      .addColumn('trigger_kind', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('fix', 'integer', (c) => c.notNull())
      .addColumn('channels', sql`varchar(400)`, (c) => c.notNull())
      .addColumn('status', sql`varchar(16)`, (c) => c.notNull())
      .addColumn('running_slot', 'integer', (c) => c.unique())
      .addColumn('listings_checked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('drift_found', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('drift_fixed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('drift_stored', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('progress_total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('channel_reports', 'text')
      .addColumn('error', sql`varchar(1000)`)
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('reconcile_run_trigger_check', sql`trigger_kind in ('schedule', 'cli', 'admin')`)
      .addCheckConstraint('reconcile_run_status_check', sql`status in ('running', 'finished', 'failed')`)
      .execute();
    await db.schema.createIndex('reconcile_run_status_index').on('reconcile_run').columns(['status', 'id']).execute();

    await db.schema.createTable('reconcile_drift')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('run_id', sql`varchar(40)`, (c) => c.notNull())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('listing_id', 'integer')
      .addColumn('sku', sql`varchar(100)`, (c) => c.notNull())
      .addColumn('expected', 'integer')
      .addColumn('shown', 'integer')
      .addColumn('cause', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('fixed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('reconcile_drift_run_index').on('reconcile_drift').columns(['run_id', 'channel', 'sku']).execute();
  },
};

/**
 * The lookups every movement makes to find the listings it changes (stock-writes.ts
 * enqueueAffectedListings): listings by SKU, SKUs by pool, kits by component. Without these each
 * movement scanned every listing — about 1 ms a movement with 12,500 listings.
 */
const syncLookupIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('listing_sku_index').on('listing').column('sku_id').execute();
    await db.schema.createIndex('sku_stock_pool_index').on('sku').column('stock_pool_id').execute();
    await db.schema.createIndex('kit_component_component_index').on('kit_component').column('component_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('kit_component_component_index').on('kit_component').execute();
    await db.schema.dropIndex('sku_stock_pool_index').on('sku').execute();
    await db.schema.dropIndex('listing_sku_index').on('listing').execute();
  },
};

/**
 * Re-driving dead-lettered pushes across restarts (sync/sync-engine.ts, ledger/redrive-store.ts).
 * The dead letters themselves say which listings wait and when they died; `listing_redrive` keeps
 * what memory alone used to: how many times a listing was queued again since it last succeeded
 * (its cool-down doubles with each) and the death its last re-drive answered, so a restarted
 * daemon neither forgets a listing nor re-drives one that keeps dying every few seconds, and two
 * daemons on one ledger re-drive one death once. The index finds the unresolved dead letters a
 * starting engine loads without reading every resolved one kept for history.
 */
const createListingRedrive: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('listing_redrive')
      .addColumn('listing_id', 'integer', (c) => c.primaryKey())
      .addColumn('channel', sql`varchar(32)`, (c) => c.notNull())
      .addColumn('redrives', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('died_at', 'bigint', (c) => c.notNull())
      .addColumn('requeued_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('listing_redrive_redrives_check', sql`redrives >= 0`)
      .execute();
    await db.schema.createIndex('dead_letter_unresolved_index').on('dead_letter').columns(['kind', 'resolved_at', 'channel']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('dead_letter_unresolved_index').on('dead_letter').execute();
    await db.schema.dropTable('listing_redrive').execute();
  },
};

export const LEDGER_MIGRATIONS: Record<string, Migration> = {
  '0001_create_ledger': createLedger,
  '0002_create_sync': createSync,
  '0003_exact_intent_keys': exactIntentKeys,
  '0004_create_metrics': createMetrics,
  '0005_exact_inbox_keys': exactInboxKeys,
  '0006_create_reconcile_history': createReconcileHistory,
  '0007_create_channel_connections': createChannelConnections,
  '0008_order_line_cancel_reason': orderLineCancelReason,
  '0010_sync_lookup_indexes': syncLookupIndexes,
  '0011_listing_redrive': createListingRedrive,
};

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

export function createMigrator(db: Kysely<unknown>, migrations: Record<string, Migration> = LEDGER_MIGRATIONS): Migrator {
  // Migration numbers are handed out in advance and land in any order (0007 and 0008 shipped
  // before 0006): a ledger that already ran a later number still runs an earlier one it lacks.
  return new Migrator({ db, provider: new InCodeMigrationProvider(migrations), allowUnorderedMigrations: true });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** True when every known migration has been applied (readiness). */
export async function isMigrated(db: Kysely<unknown>): Promise<boolean> {
  const migrations = await createMigrator(db).getMigrations();
  return migrations.every((migration) => migration.executedAt !== undefined);
}
