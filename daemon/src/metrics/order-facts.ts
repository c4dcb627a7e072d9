/**
 * What the metrics are computed from: one fact per marketplace order, in Shelfguard's vocabulary.
 * The reader (`order-facts-reader.ts`) builds these from `order_line`; every formula in this
 * folder takes them as values.
 */

/** Who caused a cancellation, as the connectors report it (ChannelOrderLine.cancelReason). */
export const CANCEL_CAUSES = ['buyer', 'seller_out_of_stock', 'seller_other', 'marketplace', 'unknown'] as const;
export type CancelCause = (typeof CANCEL_CAUSES)[number];

export interface OrderFactLine {
  sku: string;
  quantity: number;
}

export interface OrderFact {
  channel: string;
  orderId: string;
  /** When the order was placed (ms since the epoch): what puts it in a metric's window. */
  placedAtMs: number;
  /** Marketplace-fulfilled orders (Amazon FBA, Walmart WFS) never count for or against the seller. */
  fulfillment: 'merchant' | 'marketplace';
  lines: OrderFactLine[];
  /** Present when the order (or any line of it) was cancelled. */
  cancellation?: { atMs: number; cause: CancelCause };
  /** True when the ledger recorded an oversell for any of its lines. */
  isOversold: boolean;
}

export const DAY_MS = 86_400_000;
