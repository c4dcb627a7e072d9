/**
 * TikTok Shop (202309) connector: signed calls, token refresh, per-product inventory updates with
 * per-SKU, per-warehouse quantities, product and order search, and HMAC-verified webhooks.
 * ListingRef.identifiers = { productId, skuId, warehouseId }. See README.md beside this file.
 */
import { channelError, fail, ok, type Channel, type ChannelConnection, type ChannelError, type ChannelOrder, type PushPath, type PushResult, type QuantityUpdate } from '../channel.js';
import { limits, TIKTOK_PAGE_SIZE_MAX, TIKTOK_QUANTITY_MAX } from './limits.js';
import { TiktokClient } from './tiktok-client.js';
import { advanceTiktokCursor, decodeTiktokCursor, encodeTiktokCursor, inventoryUpdateBody, mapTiktokOrder, parseProductsPage } from './tiktok-payloads.js';
import { parseTiktokEvents, verifyTiktokWebhook } from './tiktok-webhook.js';

export { limits };

export function createChannel(connection: ChannelConnection): Channel {
  const { app_key: appKey, app_secret: appSecret, auth_code: authCode, refresh_token: refreshToken, shop_cipher: shopCipher } = connection.credentials;
  const missing = [!appKey && 'app_key', !appSecret && 'app_secret', !authCode && !refreshToken && 'auth_code or refresh_token'].filter(Boolean);
  const configError = missing.length ? channelError('invalid_request', `TikTok Shop credentials are missing: ${missing.join(', ')}`) : undefined;
  const client = new TiktokClient(connection, { appKey: appKey ?? '', appSecret: appSecret ?? '', ...(authCode ? { authCode } : {}), ...(refreshToken ? { refreshToken } : {}), ...(shopCipher ? { shopCipher } : {}) }, connection.credentials.auth_base_url || connection.baseUrl);
  const failed = (update: QuantityUpdate, error: ChannelError): PushResult => ({ sku: update.listing.sku, version: update.version, status: 'failed', error });

  /** One inventory/update call for SKUs of one product; data.errors fail only the SKUs they name. */
  async function pushProduct(productId: string, updates: QuantityUpdate[]): Promise<PushResult[]> {
    const sent = await client.call('POST', `/product/202309/products/${encodeURIComponent(productId)}/inventory/update`, {}, JSON.parse(inventoryUpdateBody(updates)));
    if (!sent.ok) return updates.map((update) => failed(update, sent.error));
    const errors = ((sent.value as { errors?: Array<{ code?: number; message?: string; detail?: { sku_id?: string } }> } | null)?.errors) ?? [];
    return updates.map((update) => {
      const error = errors.find((entry) => entry.detail?.sku_id === update.listing.identifiers.skuId);
      return error ? failed(update, channelError('invalid_request', `TikTok refused SKU ${update.listing.sku}: ${error.message ?? ''}`, { marketplaceCode: String(error.code ?? '') })) : { sku: update.listing.sku, version: update.version, status: 'applied' };
    });
  }

  async function getOrders(ids: string[]): Promise<ChannelOrder[] | ChannelError> {
    const sent = await client.call('GET', '/order/202309/orders', { ids: ids.join(',') });
    if (!sent.ok) return sent.error;
    const orders = (sent.value as { orders?: unknown[] } | null)?.orders ?? [];
    const mapped: ChannelOrder[] = [];
    for (const raw of orders) {
      const order = mapTiktokOrder(raw);
      if (!order.ok) return order.error;
      mapped.push(order.value);
    }
    return mapped;
  }

  return {
    name: 'tiktok',
    limits,
    authenticate: () => (configError ? Promise.resolve(fail(configError)) : client.authenticate()),

    async pushQuantities(updates: QuantityUpdate[], path: PushPath) {
      if (configError) return updates.map((update) => failed(update, configError));
      if (path === 'feed') return updates.map((update) => failed(update, channelError('unsupported', 'TikTok Shop has no feed path')));
      const results = new Map<QuantityUpdate, PushResult>();
      const groups = new Map<string, QuantityUpdate[]>();
      for (const update of updates) {
        const { productId, skuId, warehouseId } = update.listing.identifiers;
        if (!productId || !skuId || !warehouseId) results.set(update, failed(update, channelError('invalid_request', `listing ${update.listing.sku} lacks TikTok productId, skuId or warehouseId`)));
        else if (!Number.isInteger(update.quantity) || update.quantity < 0 || update.quantity > TIKTOK_QUANTITY_MAX) results.set(update, failed(update, channelError('invalid_request', `quantity ${update.quantity} for ${update.listing.sku} is outside 0..${TIKTOK_QUANTITY_MAX}`)));
        else groups.set(path === 'single' ? `${productId}\u0000${update.listing.sku}` : productId, [...(groups.get(path === 'single' ? `${productId}\u0000${update.listing.sku}` : productId) ?? []), update]);
      }
      for (const group of groups.values()) {
        const outcome = await pushProduct(group[0]!.listing.identifiers.productId!, group);
        group.forEach((update, index) => results.set(update, outcome[index]!));
      }
      return updates.map((update) => results.get(update)!);
    },

    getFeedStatus: async () => fail(channelError('unsupported', 'TikTok Shop has no feed path')),

    async readQuantities(cursor?: string) {
      if (configError) return fail(configError);
      const sent = await client.call('POST', '/product/202309/products/search', { page_size: String(TIKTOK_PAGE_SIZE_MAX), ...(cursor ? { page_token: cursor } : {}) }, { status: 'ACTIVATE' });
      return sent.ok ? parseProductsPage(sent.value) : sent;
    },

    async readOrders(cursorText: string) {
      if (configError) return fail(configError);
      const cursor = decodeTiktokCursor(cursorText);
      if (!cursor.ok) return cursor;
      const querySinceS = cursor.value.querySinceS ?? cursor.value.sinceS;
      const sent = await client.call('POST', '/order/202309/orders/search', { page_size: String(TIKTOK_PAGE_SIZE_MAX), sort_field: 'update_time', ...(cursor.value.page ? { page_token: cursor.value.page } : {}) }, { update_time_ge: querySinceS });
      if (!sent.ok) return sent;
      const data = sent.value as { orders?: unknown; next_page_token?: unknown } | null;
      if (!Array.isArray(data?.orders ?? [])) return fail(channelError('invalid_response', 'orders/search answered data.orders that is not an array'));
      const orders: ChannelOrder[] = [];
      for (const raw of (data?.orders ?? []) as unknown[]) {
        const mapped = mapTiktokOrder(raw);
        if (!mapped.ok) return mapped;
        orders.push(mapped.value);
      }
      const nextPage = typeof data?.next_page_token === 'string' && data.next_page_token && orders.length > 0 ? data.next_page_token : undefined;
      const { fresh, next } = advanceTiktokCursor(cursor.value, orders, nextPage);
      return ok({ orders: fresh, cursor: encodeTiktokCursor(next), hasMore: nextPage !== undefined });
    },

    async getOrder(orderId: string) {
      if (configError) return fail(configError);
      const orders = await getOrders([orderId]);
      if (!Array.isArray(orders)) return fail(orders);
      const order = orders.find((candidate) => candidate.orderId === orderId);
      return order ? ok(order) : fail(channelError('not_found', `TikTok has no order ${orderId}`));
    },

    async handleNotification(notification) {
      if (configError) return fail(configError);
      if (!verifyTiktokWebhook(appKey!, appSecret!, notification.headers, notification.rawBody)) return fail(channelError('invalid_signature', 'TikTok notification failed Authorization HMAC verification'));
      const events = parseTiktokEvents(notification.rawBody);
      return events.ok ? ok({ kind: 'events', events: events.value }) : events;
    },
  };
}
