/**
 * Pure mapping between Shelfguard and TikTok Shop payloads: inventory updates grouped per
 * product, product-search pages, orders (one line item per unit, grouped by SKU) and the
 * order-polling cursor.
 */
import { z } from 'zod';
import { channelError, fail, ok, type ChannelOrder, type ChannelOrderLine, type ChannelOrderStatus, type ChannelQuantity, type QuantityUpdate, type Result } from '../channel.js';

export function inventoryUpdateBody(updates: QuantityUpdate[]): string {
  return JSON.stringify({ skus: updates.map((update) => ({ id: update.listing.identifiers.skuId, inventory: [{ warehouse_id: update.listing.identifiers.warehouseId, quantity: update.quantity }] })) });
}

const issues = (error: z.ZodError) => error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`).join('; ');

const productsPageSchema = z.object({
  products: z.array(z.object({
    id: z.string(),
    skus: z.array(z.object({ id: z.string(), seller_sku: z.string(), inventory: z.array(z.object({ warehouse_id: z.string(), quantity: z.number().int() })).default([]) })).default([]),
  })).default([]),
  next_page_token: z.string().optional(),
});

export function parseProductsPage(data: unknown): Result<{ items: ChannelQuantity[]; nextCursor?: string }> {
  const parsed = productsPageSchema.safeParse(data);
  if (!parsed.success) return fail(channelError('invalid_response', `products/search answered an unexpected shape: ${issues(parsed.error)}`));
  const items: ChannelQuantity[] = [];
  for (const product of parsed.data.products) {
    for (const sku of product.skus) {
      const warehouseId = sku.inventory[0]?.warehouse_id ?? '';
      items.push({ listing: { sku: sku.seller_sku, identifiers: { productId: product.id, skuId: sku.id, warehouseId }, channelLocationId: warehouseId }, quantity: sku.inventory.reduce((sum, entry) => sum + entry.quantity, 0) });
    }
  }
  const next = parsed.data.next_page_token;
  return ok(next ? { items, nextCursor: next } : { items });
}

export const tiktokOrderSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  create_time: z.number().int(),
  update_time: z.number().int(),
  fulfillment_type: z.string().optional(),
  line_items: z.array(z.object({ id: z.string(), seller_sku: z.string(), sku_id: z.string().optional(), display_status: z.string().optional(), cancel_user: z.string().optional(), cancel_reason: z.string().optional() })).min(1),
});

/**
 * Who cancelled a line: the order detail names the role in `cancel_user` (BUYER, SELLER, SYSTEM —
 * the same roles as the CANCELLATION_STATUS_CHANGE webhook's `cancellations_role`) and the
 * reason as text. TikTok's seller-fault rate counts the seller's cancellations; a system cancel
 * (an unpaid or expired order) is the marketplace's, a buyer's is the buyer's.
 */
export function tiktokCancelReason(user: string | undefined, reason: string | undefined): ChannelOrderLine['cancelReason'] {
  switch (user?.toUpperCase()) {
    case 'BUYER': return 'buyer';
    case 'SYSTEM': return 'marketplace';
    case 'SELLER': return /stock/i.test(reason ?? '') ? 'seller_out_of_stock' : 'seller_other';
    default: return 'unknown';
  }
}

function statusOf(status: string): ChannelOrderStatus {
  if (status === 'CANCELLED' || status === 'CANCEL') return 'cancelled';
  if (status === 'DELIVERED' || status === 'COMPLETED') return 'delivered';
  if (status === 'IN_TRANSIT' || status === 'AWAITING_COLLECTION' || status === 'PARTIALLY_SHIPPING') return 'shipped';
  return 'created';
}

export function mapTiktokOrder(body: unknown): Result<ChannelOrder> {
  const parsed = tiktokOrderSchema.safeParse(body);
  if (!parsed.success) return fail(channelError('invalid_response', `a TikTok order had an unexpected shape: ${issues(parsed.error)}`));
  const order = parsed.data;
  // TikTok lists one line item per unit; Shelfguard counts units per SKU.
  const status = statusOf(order.status);
  const bySku = new Map<string, ChannelOrderLine>();
  for (const item of order.line_items) {
    const line = bySku.get(item.seller_sku) ?? { lineId: item.id, sku: item.seller_sku, quantity: 0 };
    line.quantity += 1;
    if (status === 'cancelled' && (line.cancelReason === undefined || line.cancelReason === 'unknown')) line.cancelReason = tiktokCancelReason(item.cancel_user, item.cancel_reason);
    bySku.set(item.seller_sku, line);
  }
  return ok({
    orderId: order.id,
    status,
    lines: [...bySku.values()],
    fulfillment: order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK' ? 'marketplace' : 'merchant',
    createdAt: new Date(order.create_time * 1000).toISOString(),
    updatedAt: new Date(order.update_time * 1000).toISOString(),
  });
}

/** Polling position: orders updated at or after sinceS (TikTok times are seconds), minus those seen at sinceS. */
/** While paging, querySinceS keeps the filter the first page was asked with. */
export interface TiktokOrderCursor { sinceS: number; seen: string[]; page?: string; querySinceS?: number }
const PREFIX = 'tt1.';
const SEEN_MAX = 500;
const cursorSchema = z.object({ sinceS: z.number().int().nonnegative(), seen: z.array(z.string()).max(SEEN_MAX), page: z.string().min(1).optional(), querySinceS: z.number().int().nonnegative().optional() }).strict();

export function encodeTiktokCursor(cursor: TiktokOrderCursor): string {
  return PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeTiktokCursor(value: string): Result<TiktokOrderCursor> {
  if (!value.startsWith(PREFIX)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? fail(channelError('invalid_request', `order cursor must be an ISO-8601 time or a cursor from readOrders, got ${JSON.stringify(value.slice(0, 40))}`)) : ok({ sinceS: Math.floor(ms / 1000), seen: [] });
  }
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8')));
    if (!parsed.success) return fail(channelError('invalid_request', `order cursor is damaged: ${issues(parsed.error)}`));
    const { sinceS, seen, page, querySinceS } = parsed.data;
    return ok(page === undefined || querySinceS === undefined ? { sinceS, seen } : { sinceS, seen, page, querySinceS });
  } catch {
    return fail(channelError('invalid_request', 'order cursor is damaged: not base64url JSON'));
  }
}

export function advanceTiktokCursor(cursor: TiktokOrderCursor, orders: ChannelOrder[], nextPage: string | undefined): { fresh: ChannelOrder[]; next: TiktokOrderCursor } {
  const seconds = (order: ChannelOrder) => Math.floor(Date.parse(order.updatedAt) / 1000);
  const seen = new Set(cursor.seen);
  const fresh = orders.filter((order) => !(seconds(order) === cursor.sinceS && seen.has(order.orderId)));
  const sinceS = fresh.reduce((max, order) => Math.max(max, seconds(order)), cursor.sinceS);
  const atSince = fresh.filter((order) => seconds(order) === sinceS).map((order) => order.orderId);
  const next: TiktokOrderCursor = { sinceS, seen: (sinceS === cursor.sinceS ? [...cursor.seen, ...atSince] : atSince).slice(-SEEN_MAX) };
  if (nextPage) {
    next.page = nextPage;
    next.querySinceS = cursor.querySinceS ?? cursor.sinceS;
  }
  return { fresh, next };
}
