/**
 * Walmart Marketplace (US) connector: client-credentials token, PUT /v3/inventory for single
 * SKUs, the asynchronous inventory feed for bursts, GET /v3/inventories for reconciliation,
 * GET /v3/orders for polling and ORDER_UPDATES webhooks. See README.md beside this file.
 */
import { randomUUID } from 'node:crypto';
import { channelError, fail, ok, type Channel, type ChannelConnection, type ChannelError, type FeedStatus, type PushPath, type PushResult, type QuantityUpdate, type Result } from '../channel.js';
import { parseJson } from '../http.js';
import { limits, WALMART_FEED_BYTES_MAX, WALMART_FEED_STATUS_PAGE_SIZE_MAX, WALMART_INVENTORY_PAGE_SIZE_MAX, WALMART_ORDERS_PAGE_SIZE_MAX } from './limits.js';
import { WalmartClient } from './walmart-client.js';
import { parseWalmartEvents } from './walmart-events.js';
import { verifyWalmartWebhook, type WalmartWebhookAuth } from './walmart-notification.js';
import { advanceOrderCursor, decodeOrderCursor, encodeOrderCursor, mapWalmartOrder } from './walmart-orders.js';
import { inventoryBody, inventoryFeedFile, multipartFeedBody, parseFeedId, parseFeedStatusPage, parseInventoriesPage } from './walmart-payloads.js';
import { walmartWebhookAuthFrom } from './walmart-credentials.js';

export { limits };

/** Feeds whose versions we remember so getFeedStatus can report them; older ones report version 0. */
const FEED_VERSIONS_REMEMBERED_MAX = 200;
/** Feed-status pages read per getFeedStatus call before giving up on a runaway answer. */
const FEED_STATUS_PAGES_MAX = 20;

/** A Walmart channel also tells what x-current-token-count said after each answer. */
export type WalmartChannel = Channel & { observeTokenCounts(listener: (operation: string, tokens: number) => void): void };

export function createChannel(connection: ChannelConnection): WalmartChannel {
  const { clientId, clientSecret } = connection.credentials;
  const shipNode = connection.credentials.shipNode || undefined;
  const webhook = walmartWebhookAuthFrom(connection.credentials);
  const configError = !clientId || !clientSecret ? channelError('invalid_request', `Walmart credentials need clientId and clientSecret; missing: ${[!clientId && 'clientId', !clientSecret && 'clientSecret'].filter(Boolean).join(', ')}`) : undefined;
  const client = new WalmartClient(connection, clientId ?? '', clientSecret ?? '');
  const feedVersions = new Map<string, Map<string, number>>();
  const nodeQuery = shipNode ? `&shipNode=${encodeURIComponent(shipNode)}` : '';

  const failAll = (updates: QuantityUpdate[], error: ChannelError): PushResult[] => updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'failed', error }));

  async function pushSingle(update: QuantityUpdate): Promise<PushResult> {
    const base = { sku: update.listing.sku, version: update.version };
    const sent = await client.call({ operation: 'updateInventory', method: 'PUT', path: `/v3/inventory?sku=${encodeURIComponent(update.listing.sku)}${nodeQuery}`, body: inventoryBody(update), contentType: 'application/json' });
    return sent.ok ? { ...base, status: 'applied' } : { ...base, status: 'failed', error: sent.error };
  }

  async function pushFeed(updates: QuantityUpdate[]): Promise<PushResult[]> {
    if (updates.length > limits.feedBatchMax) return failAll(updates, channelError('invalid_request', `an inventory feed takes at most ${limits.feedBatchMax} SKUs, got ${updates.length}`));
    const multipart = multipartFeedBody(inventoryFeedFile(updates), `shelfguard-${randomUUID()}`);
    if (Buffer.byteLength(multipart.body) > WALMART_FEED_BYTES_MAX) return failAll(updates, channelError('invalid_request', `the inventory feed is ${Buffer.byteLength(multipart.body)} bytes, above Walmart's ${WALMART_FEED_BYTES_MAX}`));
    const sent = await client.call({ operation: 'inventoryFeed', method: 'POST', path: `/v3/feeds?feedType=inventory${nodeQuery}`, body: multipart.body, contentType: multipart.contentType });
    if (!sent.ok) return failAll(updates, sent.error);
    const json = parseJson(sent.value, 'POST /v3/feeds');
    const feedId = json.ok ? parseFeedId(json.value) : json;
    if (!feedId.ok) return failAll(updates, feedId.error);
    if (feedVersions.size >= FEED_VERSIONS_REMEMBERED_MAX) feedVersions.delete(feedVersions.keys().next().value as string);
    feedVersions.set(feedId.value, new Map(updates.map((update) => [update.listing.sku, update.version])));
    return updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'accepted', submissionId: feedId.value }));
  }

  return {
    name: 'walmart',
    limits,
    /** x-current-token-count of every answer, by operation (see ChannelScheduler: TokenCountSource). */
    observeTokenCounts: (listener: (operation: string, tokens: number) => void) => client.observeTokenCounts(listener),
    authenticate: () => (configError ? Promise.resolve(fail(configError)) : client.authenticate()),

    async pushQuantities(updates: QuantityUpdate[], path: PushPath): Promise<PushResult[]> {
      if (configError) return failAll(updates, configError);
      if (path === 'feed') return updates.length === 0 ? [] : pushFeed(updates);
      if (path === 'bulk') return failAll(updates, channelError('unsupported', 'Walmart has no synchronous multi-SKU inventory call; use the feed path'));
      const results: PushResult[] = [];
      // One call per SKU, in order, so a 429 stops nothing else and each SKU keeps its own result.
      for (const update of updates) results.push(await pushSingle(update));
      return results;
    },

    async getFeedStatus(feedId: string): Promise<Result<FeedStatus>> {
      if (configError) return fail(configError);
      const versions = feedVersions.get(feedId) ?? new Map<string, number>();
      const results: PushResult[] = [];
      let state: FeedStatus['state'] = 'in_progress';
      for (let page = 0, offset = 0; page < FEED_STATUS_PAGES_MAX; page += 1) {
        const sent = await client.call({ operation: 'getFeedStatus', method: 'GET', path: `/v3/feeds/${encodeURIComponent(feedId)}?includeDetails=true&offset=${offset}&limit=${WALMART_FEED_STATUS_PAGE_SIZE_MAX}` });
        if (!sent.ok) return sent;
        const json = parseJson(sent.value, 'GET /v3/feeds/{feedId}');
        if (!json.ok) return json;
        const parsed = parseFeedStatusPage(json.value, versions);
        if (!parsed.ok) return parsed;
        state = parsed.value.state;
        results.push(...parsed.value.results);
        offset += parsed.value.results.length;
        if (state !== 'done' || parsed.value.results.length === 0 || offset >= parsed.value.itemsReceived) break;
      }
      return ok({ feedId, state, results });
    },

    async readQuantities(cursor?: string) {
      if (configError) return fail(configError);
      const query = `limit=${WALMART_INVENTORY_PAGE_SIZE_MAX}${cursor ? `&nextCursor=${encodeURIComponent(cursor)}` : ''}`;
      const sent = await client.call({ operation: 'getInventories', method: 'GET', path: `/v3/inventories?${query}` });
      if (!sent.ok) return sent;
      const json = parseJson(sent.value, 'GET /v3/inventories');
      return json.ok ? parseInventoriesPage(json.value, shipNode) : json;
    },

    async readOrders(cursorText: string) {
      if (configError) return fail(configError);
      const cursor = decodeOrderCursor(cursorText);
      if (!cursor.ok) return cursor;
      const path = cursor.value.page
        ? `/v3/orders${cursor.value.page}`
        : `/v3/orders?lastModifiedStartDate=${encodeURIComponent(new Date(cursor.value.sinceMs).toISOString())}&limit=${WALMART_ORDERS_PAGE_SIZE_MAX}`;
      const sent = await client.call({ operation: 'getOrders', method: 'GET', path });
      if (!sent.ok) return sent;
      const json = parseJson(sent.value, 'GET /v3/orders');
      if (!json.ok) return json;
      const list = (json.value as { list?: { meta?: { nextCursor?: unknown }; elements?: { order?: unknown } } } | null)?.list;
      const rawOrders = list?.elements?.order ?? [];
      if (!Array.isArray(rawOrders)) return fail(channelError('invalid_response', 'GET /v3/orders answered list.elements.order that is not an array'));
      const orders = [];
      for (const raw of rawOrders) {
        const mapped = mapWalmartOrder(raw);
        if (!mapped.ok) return mapped;
        orders.push(mapped.value);
      }
      const nextPage = typeof list?.meta?.nextCursor === 'string' && list.meta.nextCursor.startsWith('?') && rawOrders.length > 0 ? list.meta.nextCursor : undefined;
      const { fresh, next } = advanceOrderCursor(cursor.value, orders, nextPage);
      return ok({ orders: fresh, cursor: encodeOrderCursor(next), hasMore: nextPage !== undefined });
    },

    async getOrder(orderId: string) {
      if (configError) return fail(configError);
      const sent = await client.call({ operation: 'getOrder', method: 'GET', path: `/v3/orders/${encodeURIComponent(orderId)}` });
      if (!sent.ok) return sent;
      const json = parseJson(sent.value, 'GET /v3/orders/{purchaseOrderId}');
      if (!json.ok) return json;
      return mapWalmartOrder((json.value as { order?: unknown } | null)?.order);
    },

    async handleNotification(notification) {
      const auth: WalmartWebhookAuth | undefined = webhook.ok ? webhook.value : undefined;
      if (!auth) return fail(webhook.ok ? channelError('invalid_signature', 'no webhook authentication is configured') : webhook.error);
      if (!verifyWalmartWebhook(auth, notification.headers, notification.rawBody)) {
        return fail(channelError('invalid_signature', `Walmart notification failed ${auth.method} verification of header ${auth.headerName}`));
      }
      const events = parseWalmartEvents(notification.rawBody);
      return events.ok ? ok({ kind: 'events', events: events.value }) : events;
    },
  };
}
