/** The kit's orders as Etsy ShopReceipt objects (official model names and shapes). */
import type { SandboxOrder, SandboxState } from '../kit/sandbox-state.js';
import { money } from './sandbox-catalog.js';

const BUYER_USER_ID = 700_000_001;

function receiptStatus(order: SandboxOrder): { status: string; isShipped: boolean } {
  switch (order.status) {
    case 'cancelled':
      return { status: 'canceled', isShipped: false };
    case 'shipped':
    case 'delivered':
    case 'return_requested': // Etsy models no return requests; the receipt stays completed
      return { status: 'completed', isShipped: true };
    case 'return_received':
      return { status: 'fully refunded', isShipped: true };
    default:
      return { status: 'paid', isShipped: false };
  }
}

export function receiptOf(order: SandboxOrder, state: SandboxState, sellerUserId: number) {
  const { status, isShipped } = receiptStatus(order);
  const created = Math.floor(order.createdAtMs / 1000);
  const updated = Math.floor(order.updatedAtMs / 1000);
  const receiptId = Number(order.orderId);
  const transactions = order.lines.map((line, index) => {
    const listing = state.listings.get(line.sku);
    return {
      transaction_id: receiptId * 100 + index + 1,
      title: `Sandbox listing ${line.sku}`,
      seller_user_id: sellerUserId,
      buyer_user_id: BUYER_USER_ID,
      create_timestamp: created,
      created_timestamp: created,
      paid_timestamp: created,
      shipped_timestamp: isShipped ? updated : null,
      quantity: line.quantity,
      receipt_id: receiptId,
      is_digital: false,
      listing_id: listing ? Number(listing.identifiers.listingId) : null,
      transaction_type: 'listing',
      product_id: listing?.identifiers.productId ? Number(listing.identifiers.productId) : null,
      sku: line.sku,
      price: money(listing?.price ?? '0'),
    };
  });
  const total = order.lines.reduce((sum, line) => sum + line.quantity * Number(state.listings.get(line.sku)?.price ?? 0), 0);
  return {
    receipt_id: receiptId,
    receipt_type: 0,
    seller_user_id: sellerUserId,
    buyer_user_id: BUYER_USER_ID,
    name: 'Sandbox Buyer',
    status,
    is_paid: true,
    is_shipped: isShipped,
    create_timestamp: created,
    created_timestamp: created,
    update_timestamp: updated,
    updated_timestamp: updated,
    grandtotal: money(total.toFixed(2)),
    transactions,
    refunds: status === 'fully refunded' ? [{ amount: money(total.toFixed(2)), created_timestamp: updated, reason: 'return', note_from_issuer: null, status: 'refunded' }] : [],
    shipments: [],
  };
}
