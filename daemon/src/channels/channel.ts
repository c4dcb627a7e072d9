/**
 * The one interface every sales channel implements: each marketplace, and WooCommerce itself
 * through the plugin bridge. The sync engine, reconciliation and the order inbox speak only to
 * this interface; adding a marketplace adds a folder under channels/ and changes nothing else.
 *
 * A channel knows nothing of the ledger. It maps between Shelfguard's vocabulary (SKU, quantity,
 * order line) and its marketplace's protocol, and reports expected failures as values.
 */

/** A channel's code, as the ledger and every API and command name it: up to 32 lower-case letters,
 * digits, '_' and '-' (the marketplaces' names and woocommerce among them). */
export const CHANNEL_CODE_PATTERN = /^[a-z0-9_-]{1,32}$/;

export const CHANNEL_NAMES = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy', 'woocommerce'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Closed list of failure codes a channel may report; the scheduler decides retries from them. */
export const CHANNEL_ERROR_CODES = [
  'rate_limited', // 429: wait retryAfterMs, then retry
  'unauthorized', // token refused or expired and could not be refreshed
  'forbidden', // credentials valid but not allowed (scope, seller id)
  'invalid_request', // the marketplace rejected the payload: retrying the same payload is useless
  'not_found', // listing, SKU or order unknown to the marketplace
  'conflict', // concurrent modification or a limit such as eBay's daily revisions
  'server_error', // 5xx
  'timeout', // no answer within the configured timeout
  'network', // connection refused or reset
  'invalid_response', // the marketplace answered with something that is not its documented shape
  'invalid_signature', // a notification failed verification
  'unsupported', // the channel has no such operation
] as const;
export type ChannelErrorCode = (typeof CHANNEL_ERROR_CODES)[number];

export interface ChannelError {
  code: ChannelErrorCode;
  message: string;
  /** Whether the same request may succeed later (429, 5xx, timeouts, network). */
  retryable: boolean;
  /** From Retry-After or the marketplace's own replenish headers; no request before it. */
  retryAfterMs?: number;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The marketplace's own error code (e.g. Amazon `QuotaExceeded`, TikTok `106001`). */
  marketplaceCode?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ChannelError };

/** A SKU on a channel, with that channel's identifiers (ASIN, listing id, product id, ...). */
export interface ListingRef {
  sku: string;
  /** Channel identifiers, by the channel's own names: e.g. { listingId: '123' } on Etsy,
   * { productId, skuId } on TikTok, { offerId, listingId } on eBay. */
  identifiers: Record<string, string>;
  /** The variation parent's SKU where the channel groups variations. Quantity never goes to it. */
  parentSku?: string;
  /** Warehouse or location id on the channel when quantities are per warehouse (TikTok, eBay). */
  channelLocationId?: string;
}

/** One quantity to publish: the absolute number the listing should show. */
export interface QuantityUpdate {
  listing: ListingRef;
  quantity: number;
  /** Monotonic per (channel, SKU); lets the engine discard stale results. */
  version: number;
}

export type PushStatus =
  | 'applied' // the marketplace says the quantity is live
  | 'accepted' // accepted for asynchronous processing (Amazon patches and feeds, Walmart feeds)
  | 'failed';

export interface PushResult {
  sku: string;
  version: number;
  status: PushStatus;
  error?: ChannelError;
  /** Feed or submission id for accepted asynchronous work. */
  submissionId?: string;
}

export type PushPath = 'single' | 'bulk' | 'feed';

export interface FeedStatus {
  feedId: string;
  state: 'in_progress' | 'done' | 'failed';
  /** Per-SKU outcomes once done. */
  results: PushResult[];
}

export interface ChannelQuantity {
  listing: ListingRef;
  quantity: number;
  /** Fulfilled by the marketplace (Amazon AFN / FBA): never pushed by Shelfguard. */
  fulfilledByMarketplace?: boolean;
}

export interface QuantityPage {
  items: ChannelQuantity[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export type ChannelOrderStatus = 'created' | 'cancelled' | 'shipped' | 'delivered' | 'return_requested' | 'return_received';

export interface ChannelOrderLine {
  /** The marketplace's identity of the line (order item id, line number). */
  lineId: string;
  sku: string;
  quantity: number;
  /** For returns: whether the returned unit can be sold again. */
  condition?: 'sellable' | 'damaged';
  /** For cancellations: who caused it, which decides whether it counts against the seller. */
  cancelReason?: 'buyer' | 'seller_out_of_stock' | 'seller_other' | 'marketplace' | 'unknown';
}

export interface ChannelOrder {
  orderId: string;
  status: ChannelOrderStatus;
  lines: ChannelOrderLine[];
  /** Merchant-fulfilled, or fulfilled by the marketplace from its own stock (Amazon AFN). */
  fulfillment: 'merchant' | 'marketplace';
  /** ISO-8601; the marketplace's last-update time, used to converge out-of-order events. */
  updatedAt: string;
  createdAt: string;
}

export interface OrderPage {
  orders: ChannelOrder[];
  /** Pass back to readOrders to continue; always present so polling can resume. */
  cursor: string;
  hasMore: boolean;
}

export type ChannelEventType =
  | 'order.created'
  | 'order.cancelled'
  | 'order.shipped'
  | 'order.updated'
  | 'return.requested'
  | 'return.received'
  | 'listing.quantity_changed';

/** A verified notification turned into Shelfguard's vocabulary. */
export interface ChannelEvent {
  /** The marketplace's notification/event id; the dedup key is `${channel}:${eventId}`. */
  eventId: string;
  type: ChannelEventType;
  occurredAt: string;
  /** Present for order and return events. Some notifications carry only ids: the engine then
   * fetches the order with getOrder. */
  order?: ChannelOrder;
  orderId?: string;
  /** For listing.quantity_changed. */
  quantity?: ChannelQuantity;
}

export interface InboundNotification {
  method: string;
  /** Path and query as received, e.g. `/v1/webhooks/ebay?challenge_code=...`. */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** The raw body bytes exactly as received: signatures cover bytes, not parsed JSON. */
  rawBody: Buffer;
}

export type NotificationOutcome =
  /** A handshake the marketplace expects answered (eBay challenge_code, Etsy/TikTok verification). */
  | { kind: 'challenge'; status: number; contentType: string; body: string }
  | { kind: 'events'; events: ChannelEvent[] };

export interface RateLimit {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Bucket size. */
  burst: number;
}

/** Told by a connector whose push makes several requests (limits.requestsPerPush) as each is
 * answered, with the error if it failed: the scheduler stops counting a request as on its way the
 * moment it is answered, so one hung request does not hold the tokens of those already answered,
 * and a 429 blocks the operation at once instead of when the whole push returns. Requests charged
 * but never made (a write after a failed read) need no report: the push's end settles them. */
export interface PushProgress {
  answered(requests: number, error?: ChannelError): void;
  /** Charged requests that will not leave soon (writes waiting for a read that hangs): they stop
   * counting as on their way, so the bucket refills meanwhile. Their tokens are spent, not given
   * back; before sending them the connector acquires tokens again. */
  release(requests: number): void;
  /** Waits for `requests` tokens of the push's operation (after a release): false when the
   * scheduler stopped first, and nothing may be sent. */
  acquire(requests: number): Promise<boolean>;
}

/** What the marketplace allows, declared once, used by the scheduler and the sandbox alike. */
export interface ChannelLimits {
  /** Rate per operation name (the channel's own operation names). */
  operations: Record<string, RateLimit>;
  /** Operation used for each push path. */
  pushOperation: Partial<Record<PushPath, string>>;
  /** SKUs per bulk call (eBay 25); 1 when the channel has no bulk path. */
  bulkBatchMax: number;
  /** Messages per feed (Amazon 25,000); 0 when the channel has no feed path. */
  feedBatchMax: number;
  /** Items per page of bulk reads. */
  pageSizeMax: number;
  /** Largest request body the marketplace takes. */
  requestBodyBytesMax: number;
  /** Largest quantity the marketplace takes (TikTok 99,999). */
  quantityMax: number;
  /** Revisions per listing per day (eBay 250), when the marketplace has such a limit. */
  revisionsPerListingPerDayMax?: number;
  /** Requests a single or bulk push makes on its operation's bucket, where that is not one per
   * call: Etsy reads the listings' inventory (one read for every listing of the call) and then
   * writes each listing (one write per listing). Absent: one request per call. */
  requestsPerPush?: { perCall: number; perSku: number };
}

/** Requests (tokens of the operation's bucket) a push of `skus` listings on `path` costs. A feed
 * is one submission whatever it carries. Counted per SKU, so variations of one listing, which
 * share a write, are over-counted, never under-counted. */
export function pushRequests(limits: ChannelLimits, path: PushPath, skus: number): number {
  const cost = limits.requestsPerPush;
  if (!cost || path === 'feed') return 1;
  return cost.perCall + cost.perSku * skus;
}

export interface Channel {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** Obtains or refreshes the access token. Calls refresh by themselves when a token expires. */
  authenticate(): Promise<Result<{ expiresAt: number }>>;
  /** Publishes absolute quantities. One result per update, in order; partial failures per SKU.
   * `single` sends one update per call; `bulk` up to bulkBatchMax per call; `feed` submits one
   * asynchronous feed whose per-SKU outcome comes from getFeedStatus. */
  pushQuantities(updates: QuantityUpdate[], path: PushPath, progress?: PushProgress): Promise<PushResult[]>;
  /** Outcome of a feed submitted by pushQuantities(…, 'feed'). */
  getFeedStatus(feedId: string): Promise<Result<FeedStatus>>;
  /** Reads every listing's quantity, page by page, through the channel's bulk read path. */
  readQuantities(cursor?: string): Promise<Result<QuantityPage>>;
  /** Orders updated since the cursor (an opaque string from the previous page, or an ISO time). */
  readOrders(cursor: string): Promise<Result<OrderPage>>;
  /** One order, for notifications that carry only its id. */
  getOrder(orderId: string): Promise<Result<ChannelOrder>>;
  /** Verifies a notification (signature, timestamp, subscription auth) and parses it. A failed
   * verification is an `invalid_signature` error and nothing is parsed. Never throws on input. */
  handleNotification(notification: InboundNotification): Promise<Result<NotificationOutcome>>;
  /** Pull-based notifications (Amazon ORDER_CHANGE through SQS): receives a few messages and
   * returns their events with an acknowledgement to call once they are stored durably, so a
   * crash before storing redelivers them instead of losing them. */
  receiveNotifications?(maxMessages: number): Promise<Result<{ events: ChannelEvent[]; acknowledge(): Promise<Result<void>> }>>;
  /** Listings as the channel structures them (parents and their sellable children). */
  readListingStructure?(cursor?: string): Promise<Result<{ listings: ListingRef[]; nextCursor?: string }>>;
}

/** Shared shape of a connector's configuration: the base URL is always configurable, so the
 * same connector talks to the marketplace or to its sandbox. */
export interface ChannelConnection {
  baseUrl: string;
  /** Credentials as the marketplace issues them; never logged. */
  credentials: Record<string, string>;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  /** Injected for tests and simulation; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Injected clock (ms since epoch); defaults to Date.now. */
  now?: () => number;
}

export function channelError(code: ChannelErrorCode, message: string, extra: Partial<ChannelError> = {}): ChannelError {
  const retryable = code === 'rate_limited' || code === 'server_error' || code === 'timeout' || code === 'network';
  return { code, message, retryable, ...extra };
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: ChannelError): Result<T> {
  return { ok: false, error };
}
