/**
 * Pure mapping of Amazon orders into Shelfguard's vocabulary: the Orders API 2026-01-01 `Order`
 * (searchOrders, getOrder) and the ORDER_CHANGE notification document delivered through SQS
 * (schemas/OrderChangeNotification.json). Orders fulfilled by Amazon (AFN) are Amazon's stock:
 * they map to fulfillment 'marketplace' so the engine never takes them from the ledger.
 */
import { z } from 'zod';
import type { ChannelEvent, ChannelEventType, ChannelOrder, ChannelOrderLine, ChannelOrderStatus } from '../channel.js';

const orderSchema = z.object({
  orderId: z.string().min(1),
  createdTime: z.string(),
  lastUpdatedTime: z.string(),
  fulfillment: z.object({ fulfillmentStatus: z.string(), fulfilledBy: z.string().optional() }).passthrough().optional(),
  orderItems: z.array(z.object({
    orderItemId: z.string(),
    quantityOrdered: z.number().int(),
    product: z.object({ sellerSku: z.string().optional() }).passthrough(),
    cancellation: z.object({ cancellationRequest: z.object({ requester: z.string().optional(), cancelReason: z.string().optional() }).passthrough().optional() }).passthrough().optional(),
  }).passthrough()),
}).passthrough();

export type ParsedResult<T> = { ok: true; value: T } | { ok: false; message: string };

function issues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** Orders API 2026-01-01 fulfillmentStatus → Shelfguard order status. */
export function statusFromFulfillment(fulfillmentStatus: string): ChannelOrderStatus {
  if (fulfillmentStatus === 'CANCELLED' || fulfillmentStatus === 'UNFULFILLABLE') return 'cancelled';
  if (fulfillmentStatus === 'SHIPPED') return 'shipped';
  return 'created';
}

function cancelReasonFrom(requester: string | undefined): ChannelOrderLine['cancelReason'] {
  if (requester === 'BUYER') return 'buyer';
  if (requester === 'SELLER') return 'seller_other';
  if (requester === 'AMAZON' || requester === 'SYSTEM') return 'marketplace';
  return undefined;
}

export function orderFromApi(raw: unknown): ParsedResult<ChannelOrder> {
  const parsed = orderSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `order is not an Orders API 2026-01-01 Order: ${issues(parsed.error)}` };
  const order = parsed.data;
  const status = statusFromFulfillment(order.fulfillment?.fulfillmentStatus ?? 'PENDING');
  const lines: ChannelOrderLine[] = order.orderItems.map((item) => {
    const reason = status === 'cancelled' ? cancelReasonFrom(item.cancellation?.cancellationRequest?.requester) ?? 'unknown' : undefined;
    return { lineId: item.orderItemId, sku: item.product.sellerSku ?? '', quantity: item.quantityOrdered, ...(reason ? { cancelReason: reason } : {}) };
  });
  return {
    ok: true,
    value: {
      orderId: order.orderId,
      status,
      lines,
      fulfillment: order.fulfillment?.fulfilledBy === 'AMAZON' ? 'marketplace' : 'merchant',
      updatedAt: new Date(order.lastUpdatedTime).toISOString(),
      createdAt: new Date(order.createdTime).toISOString(),
    },
  };
}

const notificationSchema = z.object({
  NotificationVersion: z.string(),
  NotificationType: z.string(),
  PayloadVersion: z.string(),
  EventTime: z.string(),
  Payload: z.object({
    OrderChangeNotification: z.object({
      AmazonOrderId: z.string().min(1),
      OrderChangeType: z.string(),
      OrderChangeTrigger: z.object({ TimeOfOrderChange: z.string().nullable(), ChangeReason: z.string() }).passthrough(),
      Summary: z.object({
        OrderStatus: z.string(),
        FulfillmentType: z.enum(['AFN', 'MFN']),
        PurchaseDate: z.string().nullable(),
        OrderItems: z.array(z.object({ OrderItemId: z.string(), SellerSKU: z.string(), Quantity: z.number().int(), IsBuyerRequestedCancel: z.boolean().optional() }).passthrough()),
      }).passthrough(),
    }).passthrough(),
  }).passthrough(),
  NotificationMetadata: z.object({ NotificationId: z.string().min(1) }).passthrough(),
}).passthrough();

/** ORDER_CHANGE OrderStatus → Shelfguard status (OrderChangeNotification.json enum). */
export function statusFromNotification(orderStatus: string): ChannelOrderStatus {
  if (orderStatus === 'Canceled' || orderStatus === 'Unfulfillable') return 'cancelled';
  if (orderStatus === 'Shipped') return 'shipped';
  return 'created';
}

const EVENT_TYPE_BY_STATUS: Record<ChannelOrderStatus, ChannelEventType> = {
  created: 'order.created',
  cancelled: 'order.cancelled',
  shipped: 'order.shipped',
  delivered: 'order.updated',
  return_requested: 'return.requested',
  return_received: 'return.received',
};

/**
 * One SQS message body (the notification document itself, marketplaces.md "Amazon SP-API
 * notifications") as a channel event. Other notification types are answered with undefined so
 * the caller can acknowledge and drop them.
 */
export function eventFromNotification(body: string): ParsedResult<ChannelEvent | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, message: 'SQS message body is not JSON' };
  }
  if (typeof raw === 'object' && raw !== null && (raw as { NotificationType?: unknown }).NotificationType !== 'ORDER_CHANGE') return { ok: true, value: undefined };
  const parsed = notificationSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `ORDER_CHANGE notification is malformed: ${issues(parsed.error)}` };
  const notification = parsed.data;
  const change = notification.Payload.OrderChangeNotification;
  const status = statusFromNotification(change.Summary.OrderStatus);
  const buyerCancelRequest = change.OrderChangeType === 'BuyerRequestedChange' && change.Summary.OrderItems.some((item) => item.IsBuyerRequestedCancel === true);
  const occurredAt = new Date(change.OrderChangeTrigger.TimeOfOrderChange ?? notification.EventTime).toISOString();
  const order: ChannelOrder = {
    orderId: change.AmazonOrderId,
    status,
    lines: change.Summary.OrderItems.map((item) => ({ lineId: item.OrderItemId, sku: item.SellerSKU, quantity: item.Quantity, ...(status === 'cancelled' ? { cancelReason: 'unknown' as const } : {}) })),
    fulfillment: change.Summary.FulfillmentType === 'AFN' ? 'marketplace' : 'merchant',
    updatedAt: occurredAt,
    createdAt: new Date(change.Summary.PurchaseDate ?? notification.EventTime).toISOString(),
  };
  return {
    ok: true,
    value: {
      eventId: notification.NotificationMetadata.NotificationId,
      // A buyer's cancel request is not yet a cancellation: the order is re-read until Amazon cancels it.
      type: buyerCancelRequest ? 'order.updated' : EVENT_TYPE_BY_STATUS[status],
      occurredAt,
      order,
      orderId: change.AmazonOrderId,
    },
  };
}
