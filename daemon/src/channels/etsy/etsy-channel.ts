/**
 * The Etsy connector: read-before-write inventory pushes, paged listing reads across listing
 * states, receipt polling with a cursor, and Standard-Webhooks-signed order notifications.
 */
import { channelError, fail, ok, type ChannelError, type PushProgress, type Channel, type ChannelConnection, type ChannelEvent, type ChannelOrder, type InboundNotification, type NotificationOutcome, type OrderPage, type PushPath, type PushResult, type QuantityPage, type QuantityUpdate, type Result, type FeedStatus } from '../channel.js';
import { decodeOrderCursor, decodeQuantityCursor, encodeOrderCursor, encodeQuantityCursor, LISTING_STATES_READ, nextOrderCursor } from './cursors.js';
import { EtsyApi, readCredentials, type EtsyCredentials } from './etsy-api.js';
import type { EtsyInventory } from './inventory-types.js';
import { planInventoryUpdate, quantitiesOf } from './inventory-update.js';
import { ETSY_LISTING_IDS_PER_BATCH_MAX, ETSY_WRITES_HELD_MAX_MS, ETSY_PAGE_SIZE_MAX, ETSY_WEBHOOK_TOLERANCE_SECONDS, limits } from './limits.js';
import { receiptSchema, receiptsPageSchema, receiptToOrder } from './receipt-mapping.js';
import { inventorySchema, listingsPageSchema } from './response-schemas.js';
import { parseWebhook } from './webhook-events.js';
import { verifyStandardWebhook } from './webhook-signature.js';

export class EtsyChannel implements Channel {
  readonly name = 'etsy' as const;
  readonly limits = limits;
  private readonly api: EtsyApi | undefined;
  private readonly credentials: EtsyCredentials | undefined;
  private readonly credentialProblem: string | undefined;
  private readonly now: () => number;

  constructor(connection: ChannelConnection) {
    this.now = connection.now ?? Date.now;
    const credentials = readCredentials(connection.credentials);
    if (credentials.ok) {
      this.credentials = credentials.value;
      this.api = new EtsyApi(connection.baseUrl.replace(/\/+$/, ''), credentials.value, connection.fetch ?? fetch, this.now, connection.requestTimeoutMs);
    } else this.credentialProblem = credentials.message;
  }

  /** What Etsy says is left of the app's daily budget, after every answer (DailyBudgetSource). */
  observeDailyBudget(listener: (remaining: number, limit: number) => void): void {
    this.api?.observeDailyBudget(listener);
  }

  private ready(): Result<{ api: EtsyApi; credentials: EtsyCredentials }> {
    if (!this.api || !this.credentials) return fail(channelError('unauthorized', this.credentialProblem ?? 'Etsy credentials are missing'));
    return ok({ api: this.api, credentials: this.credentials });
  }

  async authenticate(): Promise<Result<{ expiresAt: number }>> {
    const ready = this.ready();
    if (!ready.ok) return ready;
    const token = await ready.value.api.accessToken(true);
    if (!token.ok) return token;
    // The token endpoint does not see the shared secret; openapi-ping proves the x-api-key too.
    const ping = await ready.value.api.callWithKeyOnly('/v3/application/openapi-ping', 'Etsy openapi-ping');
    if (!ping.ok) return ping;
    return ok({ expiresAt: token.value.expiresAtMs });
  }

  async pushQuantities(updates: QuantityUpdate[], path: PushPath, progress?: PushProgress): Promise<PushResult[]> {
    if (path === 'feed') {
      const error = channelError('unsupported', 'Etsy has no inventory feed; push on the single or bulk path');
      return updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'failed', error }));
    }
    // Bulk: the listings' reads start together and go in one getListingsByListingIds call, then a
    // write per listing. Variations of one listing share one inventory document: one write for all.
    const byListing = new Map<string, QuantityUpdate[]>();
    const results = new Map<QuantityUpdate, PushResult>();
    for (const update of updates) {
      const listingId = update.listing.identifiers.listingId;
      if (!listingId || !/^\d+$/.test(listingId)) {
        results.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('not_found', `SKU ${update.listing.sku} has no numeric Etsy listingId`) });
      } else byListing.set(listingId, [...(byListing.get(listingId) ?? []), update]);
    }
    // The scheduler charged one read for the call and a write per SKU (limits.requestsPerPush): the
    // read's token is settled once, when the first listing has its inventory; each listing's
    // writes when its write is answered or will not be made. Every failed read is told once (the
    // listings of one read, in this call or another, share its error object): a listing that
    // waited behind another push on it reads alone, uncharged, and its 429 must still block.
    let readSettled = false;
    // Each listing's charged writes (one per SKU): held while waiting or sending; released when
    // they have waited too long (a read hanging, or another push on the listing ahead of it), then
    // acquired again to send.
    const writes = new Map<string, 'waiting' | 'released' | 'sending' | 'done'>([...byListing.keys()].map((listingId) => [listingId, 'waiting']));
    const held = (listingId: string) => (writes.get(listingId) === 'waiting' || writes.get(listingId) === 'sending' ? byListing.get(listingId)!.length : 0);
    const report: ListingProgress = {
      read: (error) => {
        const tell = error !== undefined && !this.toldReadErrors.has(error);
        if (error) this.toldReadErrors.add(error);
        if (!readSettled) { readSettled = true; progress?.answered(1, tell ? error : undefined); } else if (tell) progress?.answered(0, error);
      },
      beforeWrite: async (listingId) => {
        if (writes.get(listingId) === 'released' && !(progress && await progress.acquire(byListing.get(listingId)!.length))) return false;
        writes.set(listingId, 'sending');
        return true;
      },
      written: (listingId, error) => {
        const settled = held(listingId);
        writes.set(listingId, 'done');
        progress?.answered(settled, error);
      },
    };
    // Charged writes still waiting after this long stop holding the bucket: a read hanging for
    // the request timeout would otherwise keep every token of the call (a bulk call's whole burst)
    // and stop the channel with it.
    const slow = progress ? setTimeout(() => {
      let released = 0;
      for (const [listingId, state] of writes) {
        if (state !== 'waiting') continue;
        released += held(listingId);
        writes.set(listingId, 'released');
      }
      if (released > 0) progress.release(released);
    }, ETSY_WRITES_HELD_MAX_MS) : undefined;
    try {
      await Promise.all([...byListing].map(async ([listingId, group]) => {
        for (const [update, result] of await this.pushListing(listingId, group, report)) results.set(update, result);
      }));
    } finally {
      clearTimeout(slow);
    }
    return updates.map((update) => results.get(update)!);
  }

  /** Etsy replaces a listing's whole inventory on every write, read just before: two pushes on
   * one listing at once (two variations) would each write back the other's old quantity. So the
   * pushes of one listing run one after another, each reading what the previous one wrote. */
  private pushListing(listingId: string, group: QuantityUpdate[], report: ListingProgress): Promise<Map<QuantityUpdate, PushResult>> {
    const previous = this.listingTurns.get(listingId) ?? Promise.resolve();
    const turn = previous.then(() => this.pushListingNow(listingId, group, report));
    const settled = turn.then(() => undefined, () => undefined);
    this.listingTurns.set(listingId, settled);
    void settled.then(() => { if (this.listingTurns.get(listingId) === settled) this.listingTurns.delete(listingId); });
    return turn;
  }

  private readonly listingTurns = new Map<string, Promise<void>>();
  /** Failed reads already told to a scheduler (PushProgress): one read serves several pushes. */
  private readonly toldReadErrors = new WeakSet<ChannelError>();
  /** Inventory reads asked for in one turn of the event loop, by listing: read together. */
  private readonly pendingReads = new Map<string, Array<(inventory: Result<EtsyInventory>) => void>>();
  private readsScheduled = false;

  /** A listing's inventory, read fresh. The reads of the pushes that start together (the
   * scheduler starts several in one turn when a backlog waits) go in one getListingsByListingIds
   * call of up to 100 listings with their inventory, instead of one getListingInventory each:
   * half the requests per push under load, from a budget of 10,000 a day. */
  private readInventory(api: EtsyApi, listingId: string): Promise<Result<EtsyInventory>> {
    return new Promise((resolve) => {
      const waiting = this.pendingReads.get(listingId);
      if (waiting) waiting.push(resolve);
      else this.pendingReads.set(listingId, [resolve]);
      if (this.readsScheduled) return;
      this.readsScheduled = true;
      setImmediate(() => {
        this.readsScheduled = false;
        const batch = [...this.pendingReads];
        this.pendingReads.clear();
        for (let start = 0; start < batch.length; start += ETSY_LISTING_IDS_PER_BATCH_MAX) void this.readBatch(api, batch.slice(start, start + ETSY_LISTING_IDS_PER_BATCH_MAX));
      });
    });
  }

  private async readBatch(api: EtsyApi, batch: Array<[string, Array<(inventory: Result<EtsyInventory>) => void>]>): Promise<void> {
    const answer = (waiting: Array<(inventory: Result<EtsyInventory>) => void>, inventory: Result<EtsyInventory>) => { for (const resolve of waiting) resolve(inventory); };
    if (batch.length === 1) {
      const [listingId, waiting] = batch[0]!;
      const read = await api.call({ method: 'GET', path: `/v3/application/listings/${listingId}/inventory` }, 'Etsy getListingInventory');
      return answer(waiting, read.ok ? EtsyApi.decode(read.value, 'Etsy getListingInventory', inventorySchema) : read);
    }
    const read = await api.call({ method: 'GET', path: '/v3/application/listings/batch', query: { listing_ids: batch.map(([listingId]) => listingId).join(','), includes: 'Inventory' } }, 'Etsy getListingsByListingIds');
    const page = read.ok ? EtsyApi.decode(read.value, 'Etsy getListingsByListingIds', listingsPageSchema) : read;
    if (!page.ok) { for (const [, waiting] of batch) answer(waiting, page); return; }
    const byId = new Map(page.value.results.map((listing) => [String(listing.listing_id), listing]));
    for (const [listingId, waiting] of batch) {
      const listing = byId.get(listingId);
      if (!listing) answer(waiting, fail(channelError('not_found', `Etsy listing ${listingId} was not found (getListingsByListingIds left it out)`)));
      else if (!listing.inventory) answer(waiting, fail(channelError('invalid_response', `Etsy getListingsByListingIds answered listing ${listingId} without the inventory it was asked to include`)));
      else answer(waiting, ok(listing.inventory));
    }
  }

  private async pushListingNow(listingId: string, group: QuantityUpdate[], report: ListingProgress): Promise<Map<QuantityUpdate, PushResult>> {
    const outcome = new Map<QuantityUpdate, PushResult>();
    // No write will be made for this listing: its charged writes are settled now.
    const failAll = (error: PushResult['error']) => { report.written(listingId); for (const update of group) outcome.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error }); return outcome; };
    const ready = this.ready();
    if (!ready.ok) return failAll(ready.error);
    const invalid = group.find((update) => !Number.isInteger(update.quantity) || update.quantity < 0 || update.quantity > limits.quantityMax);
    if (invalid) return failAll(channelError('invalid_request', `Etsy takes offering quantities 0..${limits.quantityMax}; SKU ${invalid.listing.sku} asked for ${invalid.quantity}`));
    const path = `/v3/application/listings/${listingId}/inventory`;
    const inventory = await this.readInventory(ready.value.api, listingId);
    report.read(inventory.ok ? undefined : inventory.error);
    if (!inventory.ok) return failAll(inventory.error);
    // The latest version wins when one SKU appears twice in a call.
    const quantities = new Map<string, number>();
    for (const update of [...group].sort((a, b) => a.version - b.version)) quantities.set(update.listing.sku, update.quantity);
    const plan = planInventoryUpdate(inventory.value, quantities);
    if (!plan.ok) return failAll(channelError('invalid_response', `Etsy listing ${listingId} inventory cannot be written back: ${plan.message}`));
    for (const update of group) {
      if (plan.missing.includes(update.listing.sku)) outcome.set(update, { sku: update.listing.sku, version: update.version, status: 'failed', error: channelError('not_found', `Etsy listing ${listingId} has no product with SKU ${update.listing.sku}`) });
    }
    if (plan.applied.length === 0) { report.written(listingId); return outcome; }
    if (!(await report.beforeWrite(listingId))) return failAll(channelError('network', `the scheduler stopped before listing ${listingId} could be written`));
    const written = await ready.value.api.call({ method: 'PUT', path, body: plan.body }, 'Etsy updateListingInventory');
    report.written(listingId, written.ok ? undefined : written.error);
    for (const update of group) {
      if (outcome.has(update)) continue;
      outcome.set(update, written.ok ? { sku: update.listing.sku, version: update.version, status: 'applied' } : { sku: update.listing.sku, version: update.version, status: 'failed', error: written.error });
    }
    return outcome;
  }

  async getFeedStatus(feedId: string): Promise<Result<FeedStatus>> {
    return fail(channelError('unsupported', `Etsy has no feeds; ${feedId.slice(0, 64)} is not an Etsy submission`));
  }

  async readQuantities(cursor?: string): Promise<Result<QuantityPage>> {
    const ready = this.ready();
    if (!ready.ok) return ready;
    const decoded = decodeQuantityCursor(cursor);
    if (!decoded.ok) return fail(channelError('invalid_request', decoded.message));
    const { stateIndex, offset } = decoded.value;
    const response = await ready.value.api.call({
      method: 'GET',
      path: `/v3/application/shops/${ready.value.credentials.shopId}/listings`,
      query: { state: LISTING_STATES_READ[stateIndex], limit: ETSY_PAGE_SIZE_MAX, offset, includes: 'Inventory' },
    }, 'Etsy getListingsByShop');
    if (!response.ok) return response;
    const page = EtsyApi.decode(response.value, 'Etsy getListingsByShop', listingsPageSchema);
    if (!page.ok) return page;
    const items = page.value.results.flatMap((listing) => quantitiesOf(listing.inventory ?? { products: [] }).map((product) => ({
      listing: { sku: product.sku, identifiers: { listingId: String(listing.listing_id), ...(product.productId ? { productId: String(product.productId) } : {}) } },
      quantity: product.quantity,
    })));
    const nextOffset = offset + page.value.results.length;
    let next: string | undefined;
    if (page.value.results.length > 0 && nextOffset < page.value.count) next = encodeQuantityCursor({ kind: 'etsy.listings', stateIndex, offset: nextOffset });
    else if (stateIndex + 1 < LISTING_STATES_READ.length) next = encodeQuantityCursor({ kind: 'etsy.listings', stateIndex: stateIndex + 1, offset: 0 });
    return ok(next ? { items, nextCursor: next } : { items });
  }

  async readOrders(cursor: string): Promise<Result<OrderPage>> {
    const ready = this.ready();
    if (!ready.ok) return ready;
    const decoded = decodeOrderCursor(cursor);
    if (!decoded.ok) return fail(channelError('invalid_request', decoded.message));
    const current = decoded.value;
    const response = await ready.value.api.call({
      method: 'GET',
      path: `/v3/application/shops/${ready.value.credentials.shopId}/receipts`,
      query: { min_last_modified: Math.max(current.sinceSeconds, 946_684_800), sort_on: 'updated', sort_order: 'asc', limit: ETSY_PAGE_SIZE_MAX, offset: current.offset },
    }, 'Etsy getShopReceipts');
    if (!response.ok) return response;
    const page = EtsyApi.decode(response.value, 'Etsy getShopReceipts', receiptsPageSchema);
    if (!page.ok) return page;
    // The status is part of the key: two changes of one receipt within a second are both news.
    const keyOf = (receipt: { receipt_id: number; update_timestamp: number; status: string }) => `${receipt.receipt_id}@${receipt.update_timestamp}:${receipt.status}`;
    const fresh = page.value.results.filter((receipt) => !(receipt.update_timestamp === current.sinceSeconds && current.seen.includes(keyOf(receipt))));
    const next = nextOrderCursor(current, page.value.results.map((receipt) => ({ key: keyOf(receipt), updatedSeconds: receipt.update_timestamp })));
    return ok({ orders: fresh.map(receiptToOrder), cursor: encodeOrderCursor(next), hasMore: page.value.results.length === ETSY_PAGE_SIZE_MAX });
  }

  async getOrder(orderId: string): Promise<Result<ChannelOrder>> {
    const ready = this.ready();
    if (!ready.ok) return ready;
    if (!/^\d{1,20}$/.test(orderId)) return fail(channelError('invalid_request', `Etsy receipt ids are numeric; got ${JSON.stringify(orderId.slice(0, 40))}`));
    const response = await ready.value.api.call({ method: 'GET', path: `/v3/application/shops/${ready.value.credentials.shopId}/receipts/${orderId}` }, 'Etsy getShopReceipt');
    if (!response.ok) return response;
    const receipt = EtsyApi.decode(response.value, 'Etsy getShopReceipt', receiptSchema);
    return receipt.ok ? ok(receiptToOrder(receipt.value)) : receipt;
  }

  async handleNotification(notification: InboundNotification): Promise<Result<NotificationOutcome>> {
    const secret = this.credentials?.webhookSigningSecret;
    if (!secret) return fail(channelError('invalid_signature', 'Etsy webhook refused: no webhookSigningSecret is configured for this connection'));
    const headers = notification.headers;
    const check = verifyStandardWebhook(secret, { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body: notification.rawBody }, Math.floor(this.now() / 1000), ETSY_WEBHOOK_TOLERANCE_SECONDS);
    if (!check.ok) return fail(channelError('invalid_signature', `Etsy webhook refused: ${check.reason.replaceAll('_', ' ')}`));
    const parsed = parseWebhook(notification.rawBody, headers['webhook-id']!, Number(headers['webhook-timestamp']));
    if (!parsed.ok) return fail(channelError('invalid_request', parsed.message));
    const events: ChannelEvent[] = parsed.events;
    return ok({ kind: 'events', events });
  }
}

/** What a listing's push tells the call it belongs to, which tells the scheduler (PushProgress). */
interface ListingProgress {
  read(error?: ChannelError): void;
  /** Just before the listing's write leaves: its tokens are there (acquired again if released);
   * false when the scheduler stopped and nothing may be sent. */
  beforeWrite(listingId: string): Promise<boolean>;
  /** The listing's write was answered (with its error), or will not be made. */
  written(listingId: string, error?: ChannelError): void;
}
