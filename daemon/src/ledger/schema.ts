/**
 * The ledger's tables as kysely sees them. Quantities are integers; times are milliseconds since
 * the Unix epoch in BIGINT columns named `created_at` / `updated_at` (one representation on both
 * stores). Movements are never updated or deleted.
 */
import type { ColumnType, Generated } from 'kysely';

export const MOVEMENT_REASONS = [
  'received', // stock arrived
  'sold', // a sale took stock from on hand (WooCommerce orders, shipped marketplace orders)
  'cancelled', // a sale or reservation was undone
  'returned', // a return came back sellable
  'damaged', // a return or count moved units to the damaged state
  'correction', // an operator's fix
  'cycle_count', // a counted level (WooCommerce "set stock") turned into a delta
  'reconcile', // reconciliation repaired drift
  'transfer', // moved between locations
  'reserved', // a marketplace order took stock into committed
  'released', // a reservation went back to available
  'committed', // a reservation turned into a shipped sale
  'expired', // a reservation timed out
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export const SKU_KINDS = ['simple', 'variable', 'variation', 'kit'] as const;
export type SkuKind = (typeof SKU_KINDS)[number];

export const CHANNEL_MODES = ['shadow', 'live', 'paused'] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export const RESERVATION_STATES = ['open', 'committed', 'released', 'expired'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

export interface SkuTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: SkuKind;
  parent_id: number | null;
  /** A variation whose stock its parent manages points here: one pool, never one per variation. */
  stock_pool_id: number | null;
  /** 0 when stock management is switched off (WooCommerce stock null): nothing is published. */
  tracks_stock: number;
  allows_backorders: number;
  attributes: string;
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface KitComponentTable {
  kit_id: number;
  component_id: number;
  quantity: number;
}

export interface LocationTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** `warehouse`, or `marketplace` for stock the marketplace holds and ships (Amazon FBA). */
  kind: 'warehouse' | 'marketplace';
  created_at: number;
}

export interface ChannelTable {
  id: Generated<number>;
  code: string;
  name: string;
  mode: ChannelMode;
  buffer: number;
  /** Largest quantity any listing on the channel is shown; null for none. */
  cap: number | null;
  /** Subtract WooCommerce's checkout holds from what this channel is shown. */
  subtracts_held: number;
  created_at: number;
  updated_at: number;
}

export interface ChannelLocationTable {
  channel_id: number;
  location_id: number;
  /** Lower first: where the channel's orders draw stock from. */
  priority: number;
}

export interface ListingTable {
  id: Generated<number>;
  channel_id: number;
  sku_id: number;
  /** The SKU as the channel knows it (may differ from the ledger's code). */
  channel_sku: string;
  identifiers: string;
  buffer: number | null;
  cap: number | null;
  /** 0 pauses pushes for this listing (protection or an operator). */
  active: number;
  created_at: number;
  updated_at: number;
}

export interface StockTable {
  sku_id: number;
  location_id: number;
  on_hand: number;
  committed: number;
  damaged: number;
  /** Copied from the SKU so the CHECK constraint can enforce "never below zero" in the row. */
  allows_backorders: number;
  version: number;
  updated_at: number;
}

export interface MovementTable {
  id: string;
  /** The idempotency key of the intent that wrote it; one intent may write several movements. */
  intent_key: string;
  sku_id: number;
  location_id: number;
  delta_on_hand: number;
  delta_committed: number;
  delta_damaged: number;
  reason: MovementReason;
  channel: string | null;
  reference: string | null;
  actor: string;
  created_at: number;
}

export interface IntentTable {
  key: string;
  request_hash: string;
  outcome: string;
  created_at: number;
}

export interface ReservationTable {
  id: string;
  intent_key: string;
  channel: string;
  order_ref: string;
  line_ref: string;
  sku_id: number;
  location_id: number;
  quantity: number;
  state: ReservationState;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OversellTable {
  id: string;
  intent_key: string;
  channel: string;
  reference: string | null;
  sku_id: number;
  requested: number;
  available: number;
  resolution: string | null;
  created_at: number;
}

export interface HeldStockTable {
  sku_id: number;
  quantity: number;
  observed_at: number;
  updated_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  listing_id: number;
  created_at: number;
}

export interface ListingSyncTable {
  listing_id: number;
  /** Raised by every claim: the fencing version a completion must still hold. Also the push version. */
  fence: number;
  lease_owner: string | null;
  lease_until: number | null;
  /** No claim before this time (backoff after a retryable failure). */
  retry_at: number | null;
  attempts: number;
  last_quantity: number | null;
  last_version: number | null;
  last_status: string | null;
  last_pushed_at: number | null;
  updated_at: number;
}

export interface PushTable {
  id: string;
  listing_id: number;
  channel: string;
  sku: string;
  quantity: number;
  version: number;
  /** applied | accepted | shadow | failed | dead | skipped */
  status: string;
  path: string | null;
  attempts: number;
  latency_ms: number;
  error: string | null;
  created_at: number;
}

export interface DeadLetterTable {
  id: string;
  kind: 'push' | 'inbox';
  channel: string;
  reference: string;
  payload: string;
  error: string;
  attempts: number;
  resolved_at: number | null;
  created_at: number;
}

/** A dead-lettered listing's re-drives since it last succeeded (added by 0011). The row goes when
 * a push of the listing succeeds; the dead letters it answered are then resolved. */
export interface ListingRedriveTable {
  listing_id: number;
  channel: string;
  /** Times the listing was queued again since its last success; its cool-down doubles with each. */
  redrives: number;
  /** created_at of the newest dead letter the last re-drive answered (one re-drive per death). */
  died_at: number;
  requeued_at: number;
  created_at: number;
  updated_at: number;
}

export interface InboxEventTable {
  /** `${channel}:${eventId}`: the dedup authority for marketplace notifications. */
  id: string;
  channel: string;
  event_id: string;
  type: string;
  order_id: string | null;
  payload: string;
  /** pending | done | failed */
  state: string;
  attempts: number;
  error: string | null;
  /** After a retryable failure, not before this time (ms); null = at once. Added by 0005. */
  next_attempt_at: number | null;
  received_at: number;
  processed_at: number | null;
}

export interface OrderLineTable {
  channel: string;
  order_id: string;
  line_id: string;
  sku: string;
  quantity: number;
  fulfillment: string;
  /** The newest marketplace status seen for the line. */
  status: string;
  /** The marketplace's update time of that status (ms): older events never win. */
  source_updated_at: number;
  /** What the ledger holds for it: none | reserved | committed | released | oversold | returned */
  stock_state: string;
  /** Who cancelled the line, from the marketplace's cancel payload (buyer | seller_out_of_stock |
   * seller_other | marketplace | unknown); null while it is not cancelled, and on lines stored
   * before migration 0008. */
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the marketplace says the order was placed (ms); null on lines stored before 0008. */
  placed_at: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: number;
  updated_at: number;
}

export interface ChannelCursorTable {
  channel: string;
  cursor: string;
  updated_at: number;
}

export interface MetricAlertTable {
  id: string;
  channel: string;
  /** A MetricId from metrics/marketplace-rules.ts. */
  metric: string;
  /** ok (recovered) | warning | critical | breached */
  level: string;
  rate_basis_points: number | null;
  headroom: number | null;
  message: string;
  /** none (no webhook configured) | pending | delivered | failed */
  webhook_state: string;
  webhook_attempts: number;
  webhook_error: string | null;
  /** Set when an operator dismissed the wp-admin notice. */
  acknowledged_at: number | null;
  created_at: number;
}

export interface ProtectionActionTable {
  id: string;
  /** raise_buffer | pause_listing */
  kind: string;
  channel: string;
  sku: string;
  /** JSON {buffer, active}: the listing's settings before the action, written back on revert. */
  before_settings: string;
  after_settings: string;
  reason: string;
  actor: string;
  reverted_at: number | null;
  reverted_by: string | null;
  created_at: number;
}

/** A marketplace connected from the admin UI; credentials sealed (AES-256-GCM), never in clear. */
export interface ChannelConnectionTable {
  channel: string;
  base_url: string;
  credentials_sealed: string;
  key_id: string;
  request_timeout_ms: number;
  created_at: number;
  updated_at: number;
}

/** One reconciliation run (migration 0006); `channels` and `channel_reports` are JSON text. */
export interface ReconcileRunTable {
  id: string;
  /** schedule | cli | admin */
  trigger_kind: string;
  fix: number;
  channels: string;
  /** running | finished | failed */
  status: string;
  /** 1 while running (unique: one run at a time), null after. */
  running_slot: number | null;
  listings_checked: number;
  drift_found: number;
  drift_fixed: number;
  drift_stored: number;
  progress_done: number;
  progress_total: number;
  channel_reports: string | null;
  error: string | null;
  started_at: number;
  /** Written while the run makes progress; a running row long silent was left by a dead process. */
  heartbeat_at: number;
  finished_at: number | null;
  created_at: number;
}

/** One listing that differed in a reconciliation run (migration 0006). */
export interface ReconcileDriftTable {
  id: Generated<number>;
  run_id: string;
  channel: string;
  listing_id: number | null;
  sku: string;
  expected: number | null;
  shown: number | null;
  cause: string;
  fixed: number;
  created_at: number;
}

export interface Database {
  sku: SkuTable;
  kit_component: KitComponentTable;
  location: LocationTable;
  channel: ChannelTable;
  channel_location: ChannelLocationTable;
  listing: ListingTable;
  stock: StockTable;
  movement: MovementTable;
  intent: IntentTable;
  reservation: ReservationTable;
  oversell: OversellTable;
  held_stock: HeldStockTable;
  outbox: OutboxTable;
  listing_sync: ListingSyncTable;
  push: PushTable;
  dead_letter: DeadLetterTable;
  listing_redrive: ListingRedriveTable;
  inbox_event: InboxEventTable;
  order_line: OrderLineTable;
  channel_cursor: ChannelCursorTable;
  metric_alert: MetricAlertTable;
  protection_action: ProtectionActionTable;
  channel_connection: ChannelConnectionTable;
  reconcile_run: ReconcileRunTable;
  reconcile_drift: ReconcileDriftTable;
}
