/** Etsy receipts (ShopReceipt) in Shelfguard's order vocabulary. Pure. */
import { z } from 'zod';
import type { ChannelOrder, ChannelOrderStatus } from '../channel.js';

const transactionSchema = z.object({
  transaction_id: z.number().int(),
  sku: z.string().nullable().optional(),
  quantity: z.number().int().min(0),
  listing_id: z.number().int().nullable().optional(),
  product_id: z.number().int().nullable().optional(),
}).passthrough();

export const receiptSchema = z.object({
  receipt_id: z.number().int().min(1),
  status: z.enum(['paid', 'completed', 'open', 'payment processing', 'canceled', 'fully refunded', 'partially refunded']),
  is_paid: z.boolean().optional(),
  is_shipped: z.boolean().optional(),
  create_timestamp: z.number().int(),
  update_timestamp: z.number().int(),
  transactions: z.array(transactionSchema).default([]),
}).passthrough();
export type EtsyReceipt = z.infer<typeof receiptSchema>;

export const receiptsPageSchema = z.object({ count: z.number().int().min(0), results: z.array(receiptSchema) }).passthrough();

/**
 * Etsy has no return objects and no cancel reason in the API: a cancelled receipt is
 * `canceled`; a full refund after shipping is the nearest thing to a received return, and the
 * engine decides whether the units go back on sale (condition unknown).
 */
export function orderStatusOf(receipt: EtsyReceipt): ChannelOrderStatus {
  switch (receipt.status) {
    case 'canceled':
      return 'cancelled';
    case 'fully refunded':
      return receipt.is_shipped ? 'return_received' : 'cancelled';
    case 'completed':
      return 'shipped';
    default:
      return receipt.is_shipped ? 'shipped' : 'created';
  }
}

export function receiptToOrder(receipt: EtsyReceipt): ChannelOrder {
  const status = orderStatusOf(receipt);
  return {
    orderId: String(receipt.receipt_id),
    status,
    lines: receipt.transactions.map((transaction) => ({
      lineId: String(transaction.transaction_id),
      sku: transaction.sku ?? '',
      quantity: transaction.quantity,
      ...(status === 'cancelled' ? { cancelReason: 'unknown' as const } : {}),
    })),
    fulfillment: 'merchant',
    createdAt: new Date(receipt.create_timestamp * 1000).toISOString(),
    updatedAt: new Date(receipt.update_timestamp * 1000).toISOString(),
  };
}
