/**
 * Turns validated WooCommerce events (contracts/events.schema.json) into ledger intents. Each
 * event's `id` is its idempotency key; every event either becomes movements, a catalogue change
 * recorded under its key, or a rejection naming the problem. Nothing is applied twice.
 */
import type { Catalogue } from '../ledger/catalogue.js';
import type { IntentReply } from '../ledger/intents.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerResult } from '../ledger/ledger-types.js';
import type { Store } from '../ledger/store.js';
import type { OrderLineEvent, OrderLineRefundedEvent, ProductRef, ProductUpsertedEvent, StockSetEvent, WooEvent } from './woo-event-types.js';

export const WOO_CHANNEL = 'woocommerce';

export type EventStatus = { id: string; status: 'applied' | 'duplicate' } | { id: string; status: 'rejected'; code: string; message: string };

export class WooEventIngest {
  constructor(private readonly store: Store, private readonly ledger: Ledger, private readonly catalogue: Catalogue) {}

  async apply(site: string, event: WooEvent): Promise<EventStatus> {
    const reply = await this.dispatch(site, event);
    if (reply.ok) return { id: event.id, status: reply.value.status };
    return { id: event.id, status: 'rejected', code: reply.error.code, message: reply.error.message };
  }

  private dispatch(site: string, event: WooEvent): Promise<LedgerResult<IntentReply>> {
    switch (event.type) {
      case 'stock.set': return this.stockSet(event);
      case 'order.line.reduced': return this.lineReduced(event);
      case 'order.line.restored': return this.lineRestored(site, event);
      case 'order.line.refunded': return this.lineRefunded(event);
      case 'stock.held': return this.withSku(event.product, (sku) => this.ledger.setHeld({ key: event.id, channel: WOO_CHANNEL, actor: 'woocommerce', sku, quantity: event.held_quantity, observedAtMs: Date.parse(event.occurred_at) }));
      case 'product.upserted': return this.productUpserted(event);
      case 'product.deleted': return this.productDeleted(event);
    }
  }

  private async wooLocations(): Promise<string[]> {
    const rows = await this.store.db.selectFrom('channel_location').innerJoin('channel', 'channel.id', 'channel_location.channel_id').innerJoin('location', 'location.id', 'channel_location.location_id')
      .select('location.code').where('channel.code', '=', WOO_CHANNEL).orderBy('channel_location.priority').execute();
    return rows.map((row) => row.code);
  }

  /** The ledger SKU of a WooCommerce product, found by product id (the identity: SKU strings
   * change); a product first seen in an order is added to the catalogue rather than lost. */
  private async skuFor(product: ProductRef): Promise<string> {
    const holderId = product.manages_stock_id ?? product.id;
    const known = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').innerJoin('sku', 'sku.id', 'listing.sku_id')
      .select('sku.code').where('channel.code', '=', WOO_CHANNEL).where('listing.channel_sku', '=', String(holderId)).where('sku.deleted_at', 'is', null).executeTakeFirst();
    if (known) return known.code;
    const code = holderId === product.id && product.sku ? product.sku : `woo-${holderId}`;
    const created = await this.catalogue.upsertSku({ code, kind: holderId === product.id && product.parent_id ? 'variation' : 'simple' });
    if (!created.ok) throw new Error(`cannot add product ${holderId} to the catalogue: ${created.error.message}`);
    await this.catalogue.upsertListing({ channel: WOO_CHANNEL, sku: code, channelSku: String(holderId), identifiers: { productId: String(holderId) } });
    return code;
  }

  private async withSku(product: ProductRef, work: (sku: string) => Promise<LedgerResult<IntentReply>>): Promise<LedgerResult<IntentReply>> {
    return work(await this.skuFor(product));
  }

  private async stockSet(event: StockSetEvent): Promise<LedgerResult<IntentReply>> {
    const sku = await this.skuFor(event.product);
    if (event.quantity === null) {
      const existing = await this.store.db.selectFrom('sku').select(['kind', 'allows_backorders']).where('code', '=', sku).executeTakeFirstOrThrow();
      const replay = await this.ledger.intentOutcome(event.id);
      if (!replay) await this.catalogue.upsertSku({ code: sku, kind: existing.kind, tracksStock: false, allowsBackorders: existing.allows_backorders === 1 });
      return this.ledger.recordIntent(event.id, event, { result: 'applied', movements: 0, detail: { sku, tracksStock: false } });
    }
    const [location] = await this.wooLocations();
    return this.ledger.count({ key: event.id, sku, location: location ?? 'main', available: event.quantity, channel: WOO_CHANNEL, reference: `woo://product/${event.product.id}`, actor: `woocommerce:${event.source ?? 'other'}` });
  }

  private async lineReduced(event: OrderLineEvent): Promise<LedgerResult<IntentReply>> {
    const sku = await this.skuFor(event.product);
    return this.ledger.sell({ key: event.id, sku, quantity: event.quantity, locations: await this.wooLocations(), channel: WOO_CHANNEL, reference: `woo://order/${event.order_id}/item/${event.order_item_id}`, actor: 'woocommerce' });
  }

  /** A restore gives back what the matching reduce took. When that reduce was recorded as an
   * oversell (it took nothing), the restore resolves the oversell instead of adding stock. */
  private async lineRestored(site: string, event: OrderLineEvent): Promise<LedgerResult<IntentReply>> {
    const sku = await this.skuFor(event.product);
    const reduceKey = `wc:${site}:${event.order_item_id}:reduce:${event.seq}`;
    const reduced = await this.ledger.intentOutcome(reduceKey);
    if (reduced?.result === 'oversold') {
      const reply = await this.ledger.recordIntent(event.id, event, { result: 'noop', movements: 0, detail: { resolvedOversellOf: reduceKey } });
      if (reply.ok && reply.value.status === 'applied') await this.ledger.resolveOversell(reduceKey, 'order_restored');
      return reply;
    }
    const [location] = await this.wooLocations();
    return this.ledger.adjust({ key: event.id, sku, location: location ?? 'main', delta: event.quantity, reason: 'cancelled', channel: WOO_CHANNEL, reference: `woo://order/${event.order_id}/item/${event.order_item_id}`, actor: 'woocommerce' });
  }

  private async lineRefunded(event: OrderLineRefundedEvent): Promise<LedgerResult<IntentReply>> {
    const sku = await this.skuFor(event.product);
    const [location] = await this.wooLocations();
    return this.ledger.restock({ key: event.id, sku, location: location ?? 'main', quantity: event.quantity, condition: 'sellable', channel: WOO_CHANNEL, reference: `woo://order/${event.order_id}/refund/${event.refund_id}`, actor: 'woocommerce' });
  }

  private async productUpserted(event: ProductUpsertedEvent): Promise<LedgerResult<IntentReply>> {
    const replay = await this.ledger.intentOutcome(event.id);
    if (replay) return this.ledger.recordIntent(event.id, event, replay);
    const product = event.product;
    const listing = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').innerJoin('sku', 'sku.id', 'listing.sku_id')
      .select('sku.code').where('channel.code', '=', WOO_CHANNEL).where('listing.channel_sku', '=', String(product.id)).executeTakeFirst();
    if (listing && listing.code !== product.sku) {
      const renamed = await this.catalogue.renameSku(listing.code, product.sku);
      if (!renamed.ok) return renamed;
    }
    const parent = product.parent_id ? await this.skuFor({ id: product.parent_id }) : undefined;
    const isNew = !listing;
    const upserted = await this.catalogue.upsertSku({
      code: product.sku, name: product.name, kind: product.kind === 'bundle' ? 'simple' : product.kind,
      ...(parent ? { parent } : {}), usesParentStock: product.manage_stock === 'parent',
      tracksStock: product.manage_stock !== false, allowsBackorders: product.backorders !== 'no', attributes: product.attributes ?? {},
    });
    if (!upserted.ok) return upserted;
    await this.catalogue.upsertListing({ channel: WOO_CHANNEL, sku: product.sku, channelSku: String(product.id), identifiers: { productId: String(product.id) } });
    // A new product's stock level is its opening count; later levels arrive as stock.set events.
    if (isNew && product.manage_stock === true && product.stock_quantity !== null && product.stock_quantity !== 0) {
      const [location] = await this.wooLocations();
      const opening = await this.ledger.count({ key: `${event.id}:opening`, sku: product.sku, location: location ?? 'main', available: product.stock_quantity, channel: WOO_CHANNEL, reference: `woo://product/${product.id}`, actor: 'woocommerce' });
      if (!opening.ok) return opening;
    }
    return this.ledger.recordIntent(event.id, event, { result: 'applied', movements: 0, detail: { sku: product.sku, created: isNew } });
  }

  private async productDeleted(event: { id: string; product: ProductRef }): Promise<LedgerResult<IntentReply>> {
    const replay = await this.ledger.intentOutcome(event.id);
    if (!replay) {
      const sku = await this.skuFor(event.product);
      await this.catalogue.deleteSku(sku);
    }
    return this.ledger.recordIntent(event.id, event, { result: 'applied', movements: 0, detail: { productId: event.product.id } });
  }
}
