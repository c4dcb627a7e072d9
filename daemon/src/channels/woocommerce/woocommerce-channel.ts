/**
 * The WooCommerce channel, through the Shelfguard plugin: quantities are published as signed,
 * relative, idempotent adjustments (POST /wp-json/shelfguard/v1/adjustments), and read back in
 * bulk from the WooCommerce REST API with a WordPress application password (Basic auth).
 * WooCommerce orders and stock events reach the daemon through the plugin's own events endpoint,
 * so this interface polls no orders and receives no notifications.
 */
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { channelError, fail, ok, type Channel, type ChannelConnection, type ChannelLimits, type ChannelOrder, type ChannelQuantity, type FeedStatus, type InboundNotification, type NotificationOutcome, type OrderPage, type PushPath, type PushResult, type QuantityPage, type QuantityUpdate, type Result } from '../channel.js';
import { httpFailure, parseJson, sendHttp, type HttpResponse } from '../http.js';
import { ADJUSTMENTS_PER_REQUEST_MAX, ADJUSTMENT_DELTA_MAX, messageIdFor, planAdjustment, rejectionError, type Adjustment } from './adjustments.js';
import { productSchema, quantityOf, type WooProduct } from './products.js';

/** WooCommerce REST pages hold at most 100 items (per_page maximum). */
export const WOO_PAGE_SIZE_MAX = 100;

export const limits: ChannelLimits = {
  // Neither WooCommerce nor the plugin throttles; these are our own courtesy limits for a shop's
  // web server, not documented marketplace rates.
  operations: { adjustments: { ratePerSecond: 5, burst: 5 }, listProducts: { ratePerSecond: 5, burst: 5 } },
  pushOperation: { single: 'adjustments', bulk: 'adjustments' },
  bulkBatchMax: ADJUSTMENTS_PER_REQUEST_MAX,
  feedBatchMax: 0,
  pageSizeMax: WOO_PAGE_SIZE_MAX,
  requestBodyBytesMax: 1_000_000,
  quantityMax: ADJUSTMENT_DELTA_MAX,
};

const resultsSchema = z.object({ results: z.array(z.object({ key: z.string(), status: z.enum(['applied', 'duplicate', 'rejected']), stock_after: z.number().int().nullable().optional(), code: z.string().optional(), message: z.string().optional() }).passthrough()) }).passthrough();

export class WooCommerceChannel implements Channel {
  readonly name = 'woocommerce' as const;
  readonly limits = limits;
  /** What WooCommerce was last seen holding per SKU: the base every delta is computed from. */
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly connection: ChannelConnection) {
    this.baseUrl = connection.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = connection.fetch ?? fetch;
    this.now = connection.now ?? Date.now;
  }

  private credentialProblem(): string | undefined {
    const missing = ['username', 'applicationPassword', 'webhookSecret'].filter((name) => !this.connection.credentials[name]);
    return missing.length > 0 ? `WooCommerce credentials lack ${missing.join(', ')}` : undefined;
  }

  private async rest(path: string, operation: string): Promise<Result<HttpResponse>> {
    const { username, applicationPassword } = this.connection.credentials;
    const sent = await sendHttp(this.fetchImpl, {
      method: 'GET',
      url: `${this.baseUrl}${path}`,
      headers: { authorization: `Basic ${Buffer.from(`${username}:${applicationPassword}`).toString('base64')}`, accept: 'application/json' },
      ...(this.connection.requestTimeoutMs ? { timeoutMs: this.connection.requestTimeoutMs } : {}),
    });
    if (!sent.ok) return sent;
    return sent.value.status === 200 ? sent : fail(this.failure(sent.value, operation));
  }

  /** WordPress errors are `{code, message, data: {status}}`. */
  private failure(response: HttpResponse, operation: string) {
    try {
      const body = JSON.parse(response.text) as { code?: unknown; message?: unknown };
      return httpFailure(response, operation, { ...(typeof body.message === 'string' ? { message: body.message.slice(0, 300) } : {}), ...(typeof body.code === 'string' ? { marketplaceCode: body.code } : {}) });
    } catch {
      return httpFailure(response, operation);
    }
  }

  async authenticate(): Promise<Result<{ expiresAt: number }>> {
    const problem = this.credentialProblem();
    if (problem) return fail(channelError('unauthorized', problem));
    const probe = await this.rest('/wp-json/wc/v3/products?per_page=1', 'WooCommerce list products');
    // Application passwords do not expire; the probe only proves they are accepted.
    return probe.ok ? ok({ expiresAt: Number.MAX_SAFE_INTEGER }) : probe;
  }

  async pushQuantities(updates: QuantityUpdate[], path: PushPath): Promise<PushResult[]> {
    if (path === 'feed') return updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('unsupported', 'WooCommerce has no feed path; use bulk') }));
    const batchSize = path === 'single' ? 1 : ADJUSTMENTS_PER_REQUEST_MAX;
    const results: PushResult[] = [];
    for (let start = 0; start < updates.length; start += batchSize) results.push(...await this.pushBatch(updates.slice(start, start + batchSize)));
    return results;
  }

  private async pushBatch(updates: QuantityUpdate[]): Promise<PushResult[]> {
    const results = new Map<QuantityUpdate, PushResult>();
    const planned: Array<{ update: QuantityUpdate; adjustment: Adjustment }> = [];
    const problem = this.credentialProblem();
    for (const update of updates) {
      const failed = (error: PushResult['error']) => results.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error });
      const productId = Number(update.listing.identifiers.productId);
      if (problem) { failed(channelError('unauthorized', problem)); continue; }
      if (!Number.isInteger(productId) || productId < 1) { failed(channelError('not_found', `SKU ${update.listing.sku} has no WooCommerce productId`)); continue; }
      const seen = await this.currentLevel(update.listing.sku, productId);
      if (!seen.ok) { failed(seen.error); continue; }
      const adjustment = planAdjustment(update.listing.sku, productId, update.version, update.quantity, seen.value);
      if (adjustment) planned.push({ update, adjustment });
      else results.set(update, { sku: update.listing.sku, version: update.version, status: 'applied' });
    }
    if (planned.length > 0) for (const [update, result] of await this.send(planned)) results.set(update, result);
    return updates.map((update) => results.get(update)!);
  }

  /** The level a delta is computed against, read from WooCommerce right before the write.
   * A remembered level goes stale the moment WooCommerce sells on its own: the sale lowers its
   * stock and reaches the ledger as an event, and a delta against the remembered level would
   * take the same unit off a second time. Reading first makes the push converge: a sale that
   * lands between this read and the write reaches the ledger, whose next target corrects it. */
  private async currentLevel(sku: string, productId: number): Promise<Result<number>> {
    const response = await this.rest(`/wp-json/wc/v3/products/${productId}`, 'WooCommerce get product');
    if (!response.ok) return response;
    const json = parseJson(response.value, 'WooCommerce get product');
    if (!json.ok) return json;
    const product = productSchema.safeParse(json.value);
    if (!product.success) return fail(channelError('invalid_response', `WooCommerce product ${productId} is not a WooCommerce product`));
    if (product.data.manage_stock !== true || product.data.stock_quantity === null) return fail(channelError('invalid_request', `WooCommerce product ${productId} (SKU ${sku}) does not manage its own stock`));
    return ok(product.data.stock_quantity);
  }

  private async send(planned: Array<{ update: QuantityUpdate; adjustment: Adjustment }>): Promise<Map<QuantityUpdate, PushResult>> {
    const outcome = new Map<QuantityUpdate, PushResult>();
    const body = JSON.stringify({ adjustments: planned.map((entry) => entry.adjustment) });
    const messageId = messageIdFor(planned.map((entry) => entry.adjustment.key));
    const sentAt = new Date(this.now());
    const signature = new Webhook(this.connection.credentials.webhookSecret!).sign(messageId, sentAt, body);
    const sent = await sendHttp(this.fetchImpl, {
      method: 'POST',
      url: `${this.baseUrl}/wp-json/shelfguard/v1/adjustments`,
      headers: { 'content-type': 'application/json', 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)), 'webhook-signature': signature },
      body,
      ...(this.connection.requestTimeoutMs ? { timeoutMs: this.connection.requestTimeoutMs } : {}),
    });
    const failAll = (error: PushResult['error']) => { for (const { update } of planned) outcome.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error }); return outcome; };
    if (!sent.ok) return failAll(sent.error);
    if (sent.value.status !== 200) return failAll(this.failure(sent.value, 'Shelfguard plugin adjustments'));
    const json = parseJson(sent.value, 'Shelfguard plugin adjustments');
    const parsed = json.ok ? resultsSchema.safeParse(json.value) : undefined;
    if (!parsed?.success) return failAll(channelError('invalid_response', 'Shelfguard plugin adjustments answered without {results:[{key,status}]}'));
    const byKey = new Map(parsed.data.results.map((result) => [result.key, result]));
    for (const { update, adjustment } of planned) {
      const result = byKey.get(adjustment.key);
      if (!result) { outcome.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('invalid_response', `the plugin gave no result for ${update.listing.sku}`) }); continue; }
      if (result.status === 'rejected') {
        outcome.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error: rejectionError(result.code, result.message) });
      } else outcome.set(update, { sku: update.listing.sku, version: update.version, status: 'applied' });
    }
    return outcome;
  }

  async getFeedStatus(): Promise<Result<FeedStatus>> {
    return fail(channelError('unsupported', 'WooCommerce has no feeds'));
  }

  async readQuantities(cursor?: string): Promise<Result<QuantityPage>> {
    const page = cursor === undefined ? 1 : Number(cursor);
    if (!Number.isInteger(page) || page < 1) return fail(channelError('invalid_request', `WooCommerce products cursor must be a page number ≥ 1, got ${JSON.stringify(String(cursor).slice(0, 40))}`));
    const response = await this.rest(`/wp-json/wc/v3/products?per_page=${WOO_PAGE_SIZE_MAX}&page=${page}&orderby=id&order=asc`, 'WooCommerce list products');
    if (!response.ok) return response;
    const products = this.decodeList(response.value, 'WooCommerce list products');
    if (!products.ok) return products;
    const items: ChannelQuantity[] = [];
    for (const product of products.value) {
      const own = quantityOf(product);
      if (own) items.push(own); // a simple product, or a variable parent whose variations share its pool
      if (product.type !== 'variable' || (product.variations ?? []).length === 0) continue;
      const variations = await this.readVariations(product);
      if (!variations.ok) return variations;
      items.push(...variations.value);
    }
    const totalPages = Number(response.value.headers.get('x-wp-totalpages') ?? '1');
    return ok(page < totalPages ? { items, nextCursor: String(page + 1) } : { items });
  }

  private async readVariations(parent: WooProduct): Promise<Result<ChannelQuantity[]>> {
    const items: ChannelQuantity[] = [];
    for (let page = 1; ; page += 1) {
      const response = await this.rest(`/wp-json/wc/v3/products/${parent.id}/variations?per_page=${WOO_PAGE_SIZE_MAX}&page=${page}`, 'WooCommerce list variations');
      if (!response.ok) return response;
      const variations = this.decodeList(response.value, 'WooCommerce list variations');
      if (!variations.ok) return variations;
      // Variations with manage_stock "parent" draw on the parent's pool, already reported once.
      for (const variation of variations.value) { const quantity = quantityOf(variation, parent); if (quantity) items.push(quantity); }
      if (page >= Number(response.value.headers.get('x-wp-totalpages') ?? '1')) return ok(items);
    }
  }

  private decodeList(response: HttpResponse, operation: string): Result<WooProduct[]> {
    const json = parseJson(response, operation);
    if (!json.ok) return json;
    const parsed = z.array(productSchema).safeParse(json.value);
    if (parsed.success) return ok(parsed.data);
    const issue = parsed.error.issues[0];
    return fail(channelError('invalid_response', `${operation} answered products not in WooCommerce's shape: ${issue?.path.join('.')} ${issue?.message}`));
  }

  async readOrders(cursor: string): Promise<Result<OrderPage>> {
    // WooCommerce orders reach the daemon as plugin events (POST /v1/events), never by polling here.
    return ok({ orders: [], cursor, hasMore: false });
  }

  async getOrder(orderId: string): Promise<Result<ChannelOrder>> {
    return fail(channelError('unsupported', `WooCommerce orders arrive as plugin events; order ${orderId.slice(0, 40)} is not read through this channel`));
  }

  async handleNotification(_notification: InboundNotification): Promise<Result<NotificationOutcome>> {
    return fail(channelError('unsupported', 'WooCommerce sends no notifications to this channel; the plugin posts its events to /v1/events'));
  }
}
