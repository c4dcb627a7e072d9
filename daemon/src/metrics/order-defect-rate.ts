/**
 * Amazon's Order Defect Rate (marketplaces.md 1.8): orders with negative feedback, an A-to-z
 * claim not denied, or a service chargeback, over all orders in 60 days; target below 1%. An order
 * with several defects is one defective order. Shelfguard records none of these defects (they
 * live in Amazon's feedback, claims and chargeback systems), so the live figure comes from the
 * official report; this formula checks that report and lets the operator ask "what if".
 */
import { AMAZON_ORDER_DEFECT_LIMIT_BASIS_POINTS } from './marketplace-rules.js';
import { headroom, meetsLimit, rateBasisPoints, type RateLimit } from './rate-math.js';

export const ORDER_DEFECT_LIMIT: RateLimit = { limitBasisPoints: AMAZON_ORDER_DEFECT_LIMIT_BASIS_POINTS, comparison: 'below' };

export interface OrderDefects {
  orderId: string;
  hasNegativeFeedback: boolean;
  hasClaim: boolean;
  hasChargeback: boolean;
}

export interface OrderDefectRate {
  orders: number;
  defectiveOrders: number;
  rateBasisPoints: number | null;
  meets: boolean;
  headroom: number;
}

export function orderDefectRate(orders: number, defects: readonly OrderDefects[]): OrderDefectRate {
  const defective = new Set(defects.filter((order) => order.hasNegativeFeedback || order.hasClaim || order.hasChargeback).map((order) => order.orderId)).size;
  return {
    orders, defectiveOrders: defective, rateBasisPoints: rateBasisPoints(defective, orders),
    meets: meetsLimit(defective, orders, ORDER_DEFECT_LIMIT), headroom: headroom(defective, orders, ORDER_DEFECT_LIMIT),
  };
}
