/**
 * The sandbox's orders in Amazon's shapes: the Orders API 2026-01-01 `Order` and the
 * ORDER_CHANGE notification document (schemas/OrderChangeNotification.json) that goes to SQS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SandboxOrder, SandboxState } from '../kit/sandbox-state.js';

/** Amazon's 14-digit OrderItemId, derived so that it is stable across reads. */
export function orderItemId(orderId: string, lineId: string): string {
  return BigInt(`0x${createHash('sha256').update(`${orderId}:${lineId}`).digest('hex').slice(0, 15)}`).toString().padStart(14, '0').slice(-14);
}

export function fulfillmentStatusOf(order: SandboxOrder): string {
  if (order.status === 'cancelled') return 'CANCELLED';
  if (order.status === 'created') return 'UNSHIPPED';
  return 'SHIPPED';
}

const REQUESTER_BY_REASON: Record<string, string> = { buyer: 'BUYER', seller_out_of_stock: 'SELLER', seller_other: 'SELLER', marketplace: 'AMAZON', unknown: 'SELLER' };

export function apiOrder(order: SandboxOrder, state: SandboxState, marketplaceId: string, included: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {
    orderId: order.orderId,
    createdTime: new Date(order.createdAtMs).toISOString(),
    lastUpdatedTime: new Date(order.updatedAtMs).toISOString(),
    salesChannel: { channelName: 'AMAZON', marketplaceId, marketplaceName: 'Amazon.com' },
    orderItems: order.lines.map((line) => {
      const item: Record<string, unknown> = {
        orderItemId: orderItemId(order.orderId, line.lineId),
        quantityOrdered: line.quantity,
        product: { asin: state.listings.get(line.sku)?.identifiers.asin ?? 'B000000000', sellerSku: line.sku, title: state.listings.get(line.sku)?.attributes.title ?? line.sku },
      };
      if (included.includes('CANCELLATION') && order.status === 'cancelled') item.cancellation = { cancellationRequest: { requester: REQUESTER_BY_REASON[line.cancelReason ?? 'unknown'], cancelReason: line.cancelReason ?? 'unknown' } };
      if (included.includes('FULFILLMENT')) item.fulfillment = { quantityFulfilled: order.status === 'created' || order.status === 'cancelled' ? 0 : line.quantity, quantityUnfulfilled: order.status === 'created' ? line.quantity : 0 };
      return item;
    }),
  };
  if (included.includes('FULFILLMENT')) result.fulfillment = { fulfillmentStatus: fulfillmentStatusOf(order), fulfilledBy: order.fulfillment === 'marketplace' ? 'AMAZON' : 'MERCHANT', fulfillmentServiceLevel: 'STANDARD' };
  return result;
}

const NOTIFICATION_STATUS: Record<string, string> = { created: 'Unshipped', cancelled: 'Canceled', shipped: 'Shipped', delivered: 'Shipped', return_requested: 'Shipped', return_received: 'Shipped' };

/** The ORDER_CHANGE document Amazon puts in the SQS message body, as is. */
export function orderChangeNotification(order: SandboxOrder, state: SandboxState, credentials: Record<string, string>, applicationId: string, subscriptionId: string, nowMs: number): Record<string, unknown> {
  const now = new Date(nowMs).toISOString();
  return {
    NotificationVersion: '1.0',
    NotificationType: 'ORDER_CHANGE',
    PayloadVersion: '1.0',
    EventTime: now,
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: 'OrderLevel',
        SellerId: credentials.seller_id,
        AmazonOrderId: order.orderId,
        OrderChangeType: 'OrderStatusChange',
        OrderChangeTrigger: { TimeOfOrderChange: new Date(order.updatedAtMs).toISOString(), ChangeReason: order.status === 'cancelled' ? 'CancellationRequest' : 'OrderStatusChange' },
        Summary: {
          MarketplaceId: credentials.marketplace_id,
          OrderStatus: NOTIFICATION_STATUS[order.status],
          PurchaseDate: new Date(order.createdAtMs).toISOString(),
          DestinationPostalCode: null,
          FulfillmentType: order.fulfillment === 'marketplace' ? 'AFN' : 'MFN',
          OrderType: 'StandardOrder',
          NumberOfItemsShipped: order.status === 'created' || order.status === 'cancelled' ? 0 : order.lines.reduce((sum, line) => sum + line.quantity, 0),
          NumberOfItemsUnshipped: order.status === 'created' ? order.lines.reduce((sum, line) => sum + line.quantity, 0) : 0,
          OrderItems: order.lines.map((line) => ({
            OrderItemId: orderItemId(order.orderId, line.lineId),
            SellerSKU: line.sku,
            SupplySourceId: null,
            OrderItemStatus: order.status === 'created' || order.status === 'cancelled' ? 'Unshipped' : 'Shipped',
            Quantity: line.quantity,
            QuantityShipped: order.status === 'created' || order.status === 'cancelled' ? 0 : line.quantity,
            IsBuyerRequestedCancel: order.status === 'cancelled' && line.cancelReason === 'buyer',
          })),
        },
      },
    },
    NotificationMetadata: { ApplicationId: applicationId, SubscriptionId: subscriptionId, PublishTime: now, NotificationId: randomUUID() },
  };
}
