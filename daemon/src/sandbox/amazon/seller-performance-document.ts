/**
 * The GET_V2_SELLER_PERFORMANCE_REPORT document (schema accountHealthReport-2020-11-18.json) for
 * the sandbox's one marketplace, computed from its own orders: the pre-fulfilment cancel rate
 * counts seller cancellations (out of stock or otherwise) over the last 7 days; the sandbox has no
 * claims, chargebacks, feedback or late shipments, so those counts are 0. Targets are the current
 * ones in marketplaces.md §1, not the schema's illustrative values.
 */
import type { SandboxState } from '../kit/sandbox-state.js';

const DAY_MS = 86_400_000;
const CANCEL_WINDOW_DAYS = 7;
const ORDER_DEFECT_WINDOW_DAYS = 60;
const TRACKING_WINDOW_DAYS = 30;
const CANCEL_TARGET = 0.025;
const ORDER_DEFECT_TARGET = 0.01;
const LATE_SHIPMENT_TARGET = 0.04;
const VALID_TRACKING_TARGET = 0.95;
const ON_TIME_DELIVERY_TARGET = 0.9;
const INVOICE_DEFECT_TARGET = 0.05;
const POLICY_VIOLATION_FIELDS = [
  'listingPolicyViolations', 'productAuthenticityCustomerComplaints', 'productConditionCustomerComplaints', 'productSafetyCustomerComplaints',
  'receivedIntellectualPropertyComplaints', 'restrictedProductPolicyViolations', 'suspectedIntellectualPropertyViolations', 'foodAndProductSafetyIssues',
  'otherPolicyViolations', 'documentRequests',
] as const;

type Condition = 'LESS_THAN' | 'GREATER_THAN';

/** Amazon writes report dates to the minute: 2020-10-21T00:00Z. */
function minuteIso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function range(nowMs: number, days: number): { reportingDateFrom: string; reportingDateTo: string } {
  return { reportingDateFrom: minuteIso(nowMs - days * DAY_MS), reportingDateTo: minuteIso(nowMs) };
}

function judged(rate: number, targetValue: number, targetCondition: Condition) {
  const good = targetCondition === 'LESS_THAN' ? rate < targetValue : rate > targetValue;
  return { status: good ? 'GOOD' : 'BAD', rate, targetValue, targetCondition };
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const noCount = { count: 0, status: 'NONE' };

function orderDefectRate(nowMs: number, orderCount: number, fulfillmentType: 'mfn' | 'afn') {
  return { reportingDateRange: range(nowMs, ORDER_DEFECT_WINDOW_DAYS), orderCount, orderWithDefects: noCount, claims: noCount, chargebacks: noCount, negativeFeedback: noCount, fulfillmentType, ...judged(0, ORDER_DEFECT_TARGET, 'LESS_THAN') };
}

/** The report document, as JSON text, for one marketplace. */
export function sellerPerformanceDocument(state: SandboxState, marketplaceId: string, nowMs: number): string {
  const orders = [...state.orders.values()];
  const since = (days: number) => orders.filter((order) => order.createdAtMs >= nowMs - days * DAY_MS);
  const merchant = (days: number) => since(days).filter((order) => order.fulfillment === 'merchant');
  const recent = merchant(CANCEL_WINDOW_DAYS);
  const cancellationCount = recent.filter((order) => order.status === 'cancelled' && order.lines.some((line) => line.cancelReason === 'seller_out_of_stock' || line.cancelReason === 'seller_other')).length;
  const shipped = merchant(TRACKING_WINDOW_DAYS).filter((order) => order.status !== 'created' && order.status !== 'cancelled').length;
  const policy = Object.fromEntries(POLICY_VIOLATION_FIELDS.map((field) => [field, { reportingDateRange: range(nowMs, 180), defectsCount: 0, status: 'GOOD', targetValue: 0, targetCondition: 'EQUALS' }]));
  const cancelRate = judged(ratio(cancellationCount, recent.length), CANCEL_TARGET, 'LESS_THAN');
  return JSON.stringify({
    accountStatuses: [{ marketplaceId, status: cancelRate.status === 'GOOD' ? 'NORMAL' : 'AT_RISK' }],
    performanceMetrics: [{
      marketplaceId,
      preFulfillmentCancellationRate: { reportingDateRange: range(nowMs, CANCEL_WINDOW_DAYS), orderCount: recent.length, cancellationCount, ...cancelRate },
      orderDefectRate: { mfn: orderDefectRate(nowMs, merchant(ORDER_DEFECT_WINDOW_DAYS).length, 'mfn'), afn: orderDefectRate(nowMs, since(ORDER_DEFECT_WINDOW_DAYS).length - merchant(ORDER_DEFECT_WINDOW_DAYS).length, 'afn') },
      lateShipmentRate: { reportingDateRange: range(nowMs, TRACKING_WINDOW_DAYS), orderCount: shipped, lateShipmentCount: 0, ...judged(0, LATE_SHIPMENT_TARGET, 'LESS_THAN') },
      validTrackingRate: { reportingDateRange: range(nowMs, TRACKING_WINDOW_DAYS), shipmentCount: shipped, validTrackingCount: shipped, ...judged(1, VALID_TRACKING_TARGET, 'GREATER_THAN') },
      onTimeDeliveryRate: { reportingDateRange: range(nowMs, TRACKING_WINDOW_DAYS), shipmentCountWithValidTracking: shipped, onTimeDeliveryCount: shipped, ...judged(1, ON_TIME_DELIVERY_TARGET, 'GREATER_THAN') },
      unitOnTimeDeliveryRate: { reportingDateRange: range(nowMs, TRACKING_WINDOW_DAYS), unitOnTimeDeliveryCount: shipped, totalUnitCount: shipped, ...judged(1, ON_TIME_DELIVERY_TARGET, 'GREATER_THAN') },
      invoiceDefectRate: { reportingDateRange: range(nowMs, CANCEL_WINDOW_DAYS), orderCount: recent.length, invoiceDefect: noCount, missingInvoice: noCount, lateInvoice: noCount, ...judged(0, INVOICE_DEFECT_TARGET, 'LESS_THAN') },
      warningStates: [],
      // The schema requires ahrStatus yet declares accountHealthRatingStatus; both are sent.
      accountHealthRating: { ahrStatus: cancelRate.status === 'GOOD' ? 'GREAT' : 'WARNED', accountHealthRatingStatus: cancelRate.status === 'GOOD' ? 'GREAT' : 'WARNED', reportingDateRange: range(nowMs, 180) },
      ...policy,
    }],
  });
}
