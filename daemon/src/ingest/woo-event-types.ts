/** TypeScript shapes of contracts/events.schema.json (the schema is the authority; validation
 * happens there before anything reaches these types). */

export interface ProductRef {
  id: number;
  sku?: string;
  parent_id?: number;
  manages_stock_id?: number;
}

interface EventBase {
  id: string;
  occurred_at: string;
}

export interface StockSetEvent extends EventBase {
  type: 'stock.set';
  product: ProductRef;
  quantity: number | null;
  source?: string;
}

export interface OrderLineEvent extends EventBase {
  type: 'order.line.reduced' | 'order.line.restored';
  order_id: number;
  order_item_id: number;
  seq: number;
  product: ProductRef;
  quantity: number;
  stock_after?: number | null;
}

export interface OrderLineRefundedEvent extends EventBase {
  type: 'order.line.refunded';
  order_id: number;
  refund_id: number;
  order_item_id: number;
  product: ProductRef;
  quantity: number;
  stock_after?: number | null;
}

export interface StockHeldEvent extends EventBase {
  type: 'stock.held';
  product: ProductRef;
  held_quantity: number;
}

export interface ProductUpsertedEvent extends EventBase {
  type: 'product.upserted';
  product: {
    id: number;
    sku: string;
    name: string;
    kind: 'simple' | 'variable' | 'variation' | 'bundle';
    parent_id?: number;
    manage_stock: boolean | 'parent';
    stock_quantity: number | null;
    backorders: 'no' | 'notify' | 'yes';
    status?: string;
    attributes?: Record<string, string>;
  };
}

export interface ProductDeletedEvent extends EventBase {
  type: 'product.deleted';
  product: ProductRef;
}

export type WooEvent = StockSetEvent | OrderLineEvent | OrderLineRefundedEvent | StockHeldEvent | ProductUpsertedEvent | ProductDeletedEvent;

export interface EventsBatch {
  site: string;
  events: unknown[];
}
