/**
 * The sandbox's orders as Walmart shows them (official model: GetOrderResponseRecord). Pure.
 */
import type { SandboxListing, SandboxOrder, SandboxOrderLine } from '../kit/sandbox-state.js';

const DAY_MS = 86_400_000;

const LINE_STATUS: Record<SandboxOrder['status'], string> = {
  created: 'Created',
  cancelled: 'Cancelled',
  shipped: 'Shipped',
  delivered: 'Delivered',
  // Returns live in Walmart's Returns API; the order itself stays delivered.
  return_requested: 'Delivered',
  return_received: 'Delivered',
};

const CANCELLATION_REASON: Partial<Record<NonNullable<SandboxOrderLine['cancelReason']>, string>> = {
  buyer: 'CUSTOMER_REQUESTED_SELLER_TO_CANCEL',
  seller_out_of_stock: 'SELLER_CANCEL_OUT_OF_STOCK',
  seller_other: 'SELLER_CANCEL_PRICING_ERROR',
};

export function walmartOrderView(order: SandboxOrder, listings: ReadonlyMap<string, SandboxListing>): Record<string, unknown> {
  const status = LINE_STATUS[order.status];
  const view: Record<string, unknown> = {
    purchaseOrderId: order.orderId,
    customerOrderId: `C${order.orderId}`,
    customerEmailId: `${order.orderId}@relay.walmart.com`,
    orderType: 'REGULAR',
    orderDate: order.createdAtMs,
    shippingInfo: {
      phone: '4795550100',
      estimatedDeliveryDate: order.createdAtMs + 5 * DAY_MS,
      estimatedShipDate: order.createdAtMs + DAY_MS,
      methodCode: 'Value',
      postalAddress: { name: 'Sandbox Buyer', address1: '702 SW 8th St', city: 'Bentonville', state: 'AR', postalCode: '72716', country: 'USA', addressType: 'RESIDENTIAL' },
    },
    orderLines: {
      orderLine: order.lines.map((line) => {
        const quantity = { unitOfMeasurement: 'EACH', amount: String(line.quantity) };
        const lineStatus: Record<string, unknown> = { status, statusQuantity: quantity };
        const reason = line.cancelReason ? CANCELLATION_REASON[line.cancelReason] : undefined;
        if (status === 'Cancelled' && reason) lineStatus.cancellationReason = reason;
        return {
          lineNumber: line.lineId,
          item: { productName: `Sandbox item ${line.sku}`, sku: line.sku },
          charges: { charge: [{ chargeType: 'PRODUCT', chargeName: 'ItemPrice', chargeAmount: { currency: 'USD', amount: Number(listings.get(line.sku)?.price ?? '0') } }] },
          orderLineQuantity: quantity,
          statusDate: order.updatedAtMs,
          orderLineStatuses: { orderLineStatus: [lineStatus] },
          fulfillment: { fulfillmentOption: 'S2H', shipMethod: 'VALUE' },
        };
      }),
    },
  };
  if (order.fulfillment === 'marketplace') view.shipNode = { type: 'WFSFulfilled' };
  return view;
}
