/**
 * WooCommerce REST products as quantities: only stock-managing products count, and a pool that
 * variations inherit from their parent (manage_stock "parent") is reported once, on the parent.
 */
import { z } from 'zod';
import type { ChannelQuantity } from '../channel.js';

export const productSchema = z.object({
  id: z.number().int().min(1),
  sku: z.string(),
  type: z.string().optional(),
  manage_stock: z.union([z.boolean(), z.literal('parent')]),
  stock_quantity: z.number().int().nullable(),
  parent_id: z.number().int().optional(),
  variations: z.array(z.number().int()).optional(),
}).passthrough();
export type WooProduct = z.infer<typeof productSchema>;

export function quantityOf(product: WooProduct, parent?: WooProduct): ChannelQuantity | undefined {
  if (product.manage_stock !== true || product.stock_quantity === null || product.sku === '') return undefined;
  return {
    listing: { sku: product.sku, identifiers: { productId: String(product.id) }, ...(parent?.sku ? { parentSku: parent.sku } : {}) },
    quantity: product.stock_quantity,
  };
}
