/**
 * The eBay connector: Inventory API bulkUpdatePriceQuantity for Inventory-managed listings,
 * Trading ReviseInventoryStatus for legacy listings, getInventoryItems for reconciliation,
 * Fulfillment getOrders for polling, and Notification API pushes verified with ECDSA.
 * This class owns control flow and I/O; the mapping it relies on is pure and tested alone.
 */
import {
  channelError, fail, ok,
  type Channel, type ChannelConnection, type ChannelOrder, type FeedStatus, type NotificationOutcome, type OrderPage,
  type PushPath, type PushResult, type QuantityPage, type QuantityUpdate, type Result, type InboundNotification,
} from '../channel.js';
import { HTTP_TIMEOUT_MS_DEFAULT } from '../http.js';
import { EbayTransport } from './ebay-transport.js';
import { checkQuantity, chunkBySku, decodePageCursor, readInventoryItemsPage, readPriceQuantityResponse, routeOf, toPriceQuantityRequest } from './inventory-mapping.js';
import { INVENTORY_BATCH_MAX, INVENTORY_PAGE_SIZE_MAX, limits, OPERATION_NAMES, ORDER_PAGE_SIZE_MAX, TRADING_BATCH_MAX } from './limits.js';
import { parseNotification } from './notification-mapping.js';
import { challengeResponse, decodeSignatureHeader, verifyNotificationSignature, type EbayPublicKey } from './notification-signature.js';
import { advanceOrderCursor, decodeOrderCursor, encodeOrderCursor, lastModifiedFilter, mapOrder } from './order-mapping.js';
import { SELL_SCOPES, TokenKeeper } from './token-keeper.js';
import { buildReviseInventoryStatus, readReviseInventoryStatus } from './trading-xml.js';

/** getPublicKey asks callers to cache keys "e.g. one hour" rather than fetch per message. */
export const PUBLIC_KEY_CACHE_MS = 60 * 60_000;
const PUBLIC_KEY_CACHE_ENTRIES_MAX = 32;

export class EbayChannel implements Channel {
  readonly name = 'ebay' as const;
  readonly limits = limits;
  private readonly tokens: TokenKeeper;
  private readonly transport: EbayTransport;
  private readonly now: () => number;
  private readonly publicKeys = new Map<string, { key: EbayPublicKey; fetchedAt: number }>();

  constructor(private readonly connection: ChannelConnection) {
    const credentials = connection.credentials;
    const fetchImpl = connection.fetch ?? fetch;
    const timeoutMs = connection.requestTimeoutMs ?? HTTP_TIMEOUT_MS_DEFAULT;
    const baseUrl = connection.baseUrl.replace(/\/+$/, '');
    this.now = connection.now ?? Date.now;
    this.tokens = new TokenKeeper({
      baseUrl,
      clientId: credentials.clientId ?? '',
      clientSecret: credentials.clientSecret ?? '',
      refreshToken: credentials.refreshToken ?? '',
      scopes: credentials.scopes ? credentials.scopes.split(/\s+/).filter(Boolean) : SELL_SCOPES,
      fetch: fetchImpl,
      now: this.now,
      timeoutMs,
    });
    this.transport = new EbayTransport({ baseUrl, fetch: fetchImpl, timeoutMs, marketplaceId: credentials.marketplaceId ?? 'EBAY_US' }, this.tokens);
  }

  async authenticate(): Promise<Result<{ expiresAt: number }>> {
    const token = await this.tokens.get('user');
    return token.ok ? ok({ expiresAt: token.value.expiresAt }) : token;
  }

  async pushQuantities(updates: QuantityUpdate[], path: PushPath): Promise<PushResult[]> {
    const results = new Map<QuantityUpdate, PushResult>();
    if (path === 'feed') {
      for (const update of updates) results.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('unsupported', 'the eBay connector has no feed path; use bulk (25 SKUs a call)') });
      return updates.map((update) => results.get(update)!);
    }
    const inventory: QuantityUpdate[] = [];
    const trading: QuantityUpdate[] = [];
    for (const update of updates) {
      const refused = checkQuantity(update);
      const route = routeOf(update.listing);
      if (refused) results.set(update, refused);
      else if (route === 'parent') results.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('invalid_request', `SKU ${update.listing.sku} is an inventory item group (a variation parent); quantity goes to its member SKUs`) });
      else (route === 'trading' ? trading : inventory).push(update);
    }
    for (const chunk of chunkBySku(inventory, path === 'single' ? 1 : INVENTORY_BATCH_MAX)) {
      for (const result of await this.pushInventory(chunk)) results.set(chunk[result.index]!, result.result);
    }
    for (const chunk of chunkBySku(trading, path === 'single' ? 1 : TRADING_BATCH_MAX)) {
      for (const result of await this.pushTrading(chunk)) results.set(chunk[result.index]!, result.result);
    }
    return updates.map((update) => results.get(update)!);
  }

  private async pushInventory(chunk: QuantityUpdate[]): Promise<Array<{ index: number; result: PushResult }>> {
    const sent = await this.transport.rest({
      operation: OPERATION_NAMES.bulkUpdatePriceQuantity,
      method: 'POST',
      path: '/sell/inventory/v1/bulk_update_price_quantity',
      body: { requests: chunk.map(toPriceQuantityRequest) },
    });
    const read = sent.ok ? readPriceQuantityResponse(sent.value.body, chunk) : sent;
    return chunk.map((update, index) => ({ index, result: read.ok ? read.value[index]! : { sku: update.listing.sku, version: update.version, status: 'failed', error: read.error } }));
  }

  private async pushTrading(chunk: QuantityUpdate[]): Promise<Array<{ index: number; result: PushResult }>> {
    const sent = await this.transport.trading(OPERATION_NAMES.reviseInventoryStatus, buildReviseInventoryStatus(chunk));
    const results = sent.ok ? readReviseInventoryStatus(sent.value, chunk) : undefined;
    return chunk.map((update, index) => ({ index, result: results ? results[index]! : { sku: update.listing.sku, version: update.version, status: 'failed', error: (sent as { ok: false; error: PushResult['error'] }).error! } }));
  }

  async getFeedStatus(_feedId: string): Promise<Result<FeedStatus>> {
    return fail(channelError('unsupported', 'the eBay connector submits no feeds'));
  }

  async readQuantities(cursor?: string): Promise<Result<QuantityPage>> {
    const page = decodePageCursor(cursor);
    if (!page.ok) return page;
    const sent = await this.transport.rest({ operation: OPERATION_NAMES.getInventoryItems, method: 'GET', path: `/sell/inventory/v1/inventory_item?limit=${INVENTORY_PAGE_SIZE_MAX}&offset=${page.value}` });
    return sent.ok ? readInventoryItemsPage(sent.value.body, page.value) : sent;
  }

  async readOrders(cursor: string): Promise<Result<OrderPage>> {
    const decoded = decodeOrderCursor(cursor);
    if (!decoded.ok) return decoded;
    const query = new URLSearchParams({ filter: lastModifiedFilter(decoded.value.since), limit: String(ORDER_PAGE_SIZE_MAX), offset: String(decoded.value.offset) });
    const sent = await this.transport.rest({ operation: OPERATION_NAMES.getOrders, method: 'GET', path: `/sell/fulfillment/v1/order?${query.toString()}` });
    if (!sent.ok) return sent;
    const body = sent.value.body as { orders?: unknown; total?: unknown } | null;
    if (!body || typeof body.total !== 'number') return fail(channelError('invalid_response', 'getOrders answered without a numeric total'));
    const rawOrders = Array.isArray(body.orders) ? body.orders : [];
    const orders: ChannelOrder[] = [];
    for (const raw of rawOrders) {
      const mapped = mapOrder(raw);
      if (!mapped.ok) return mapped;
      orders.push(mapped.value);
    }
    const advanced = advanceOrderCursor(decoded.value, orders, rawOrders.length, body.total);
    return ok({ orders: advanced.fresh, cursor: encodeOrderCursor(advanced.next), hasMore: advanced.hasMore });
  }

  async getOrder(orderId: string): Promise<Result<ChannelOrder>> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(orderId)) return fail(channelError('invalid_request', `an eBay order id is letters, digits and dashes, got ${JSON.stringify(orderId.slice(0, 70))}`));
    const sent = await this.transport.rest({ operation: OPERATION_NAMES.getOrder, method: 'GET', path: `/sell/fulfillment/v1/order/${encodeURIComponent(orderId)}` });
    return sent.ok ? mapOrder(sent.value.body) : sent;
  }

  async handleNotification(notification: InboundNotification): Promise<Result<NotificationOutcome>> {
    try {
      return await this.handleNotificationUnsafe(notification);
    } catch (error) {
      // Verification is written to be total; this guards the interface's promise never to throw.
      return fail(channelError('invalid_request', `the eBay notification could not be handled: ${error instanceof Error ? error.message : 'unknown error'}`));
    }
  }

  private async handleNotificationUnsafe(notification: InboundNotification): Promise<Result<NotificationOutcome>> {
    if (notification.method.toUpperCase() === 'GET') return this.answerChallenge(notification.url);
    const header = decodeSignatureHeader(notification.headers['x-ebay-signature']);
    if (!header.ok) return header;
    const key = await this.publicKey(header.value.kid);
    if (!key.ok) return key;
    if (!verifyNotificationSignature(notification.rawBody, header.value, key.value)) return fail(channelError('invalid_signature', 'X-EBAY-SIGNATURE does not match the notification body'));
    const events = parseNotification(notification.rawBody);
    return events.ok ? ok({ kind: 'events', events: events.value }) : events;
  }

  private answerChallenge(url: string): Result<NotificationOutcome> {
    const code = new URL(url, 'http://localhost').searchParams.get('challenge_code');
    if (!code) return fail(channelError('invalid_request', 'a GET notification must carry challenge_code'));
    const { verificationToken, notificationEndpoint } = this.connection.credentials;
    if (!verificationToken || !notificationEndpoint) return fail(channelError('invalid_request', 'the eBay connection lacks verificationToken or notificationEndpoint, needed to answer the endpoint challenge'));
    return ok({ kind: 'challenge', status: 200, contentType: 'application/json', body: JSON.stringify({ challengeResponse: challengeResponse(code, verificationToken, notificationEndpoint) }) });
  }

  /** getPublicKey, cached per kid; an unknown kid is a forged or foreign signature. */
  private async publicKey(kid: string): Promise<Result<EbayPublicKey>> {
    const cached = this.publicKeys.get(kid);
    if (cached && this.now() - cached.fetchedAt < PUBLIC_KEY_CACHE_MS) return ok(cached.key);
    const sent = await this.transport.rest({ operation: OPERATION_NAMES.getPublicKey, method: 'GET', path: `/commerce/notification/v1/public_key/${encodeURIComponent(kid)}`, token: 'application' });
    if (!sent.ok) return sent.error.code === 'not_found' ? fail(channelError('invalid_signature', 'X-EBAY-SIGNATURE names a key eBay does not know')) : sent;
    const body = sent.value.body as Partial<EbayPublicKey> | null;
    if (!body || typeof body.key !== 'string' || typeof body.algorithm !== 'string' || typeof body.digest !== 'string') return fail(channelError('invalid_response', 'getPublicKey answered without key, algorithm and digest'));
    if (this.publicKeys.size >= PUBLIC_KEY_CACHE_ENTRIES_MAX) this.publicKeys.delete(this.publicKeys.keys().next().value!);
    const key = { key: body.key, algorithm: body.algorithm, digest: body.digest };
    this.publicKeys.set(kid, { key, fetchedAt: this.now() });
    return ok(key);
  }
}
