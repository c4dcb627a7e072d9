/**
 * The Analytics API's getCustomerServiceMetric in the GetCustomerServiceMetricResponse model of
 * sell_analytics_v1_oas3.json (dimensionMetrics[].dimension/metrics[], evaluationCycle,
 * marketplaceId), rate-limited at eBay's 400 calls a day. The sandbox has no buyer cases (INR,
 * INAD), so their counts come from PUT /_sandbox/ebay/customer-service (0 until set); the
 * transaction count is the sandbox's orders in the look-back. The model says only that ratings
 * run from LOW to VERY_HIGH and compare the seller's RATE with the peer average; the cut-offs
 * below (1×, 1.5×, 2× the average) are this sandbox's own, not eBay's.
 */
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { CUSTOMER_SERVICE_METRIC_PATH, CUSTOMER_SERVICE_METRIC_TYPES, CUSTOMER_SERVICE_OPERATION_NAMES, EVALUATION_TYPES, type CustomerServiceMetricType } from '../../metrics/ebay-customer-service-client.js';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { EbayAuth } from './ebay-auth.js';
import { sendErrors, type EbayError } from './ebay-errors.js';

/** The service-metrics look-back: the last 12 months (eBay's service metrics policy). */
const LOOKBACK_DAYS = 365;
const DAY_MS = 86_400_000;
const SUPPORTED_MARKETPLACES = ['EBAY_US', 'EBAY_GB', 'EBAY_DE', 'EBAY_AU', 'EBAY_CA'] as const;
const DIMENSIONS: Record<CustomerServiceMetricType, { dimensionKey: string; name: string; value: string }> = {
  ITEM_NOT_RECEIVED: { dimensionKey: 'SHIPPING_REGION', name: 'Domestic', value: 'DOMESTIC' },
  ITEM_NOT_AS_DESCRIBED: { dimensionKey: 'LISTING_CATEGORY', name: 'Home & Garden', value: '11700' },
};

const caseKnob = z.object({ cases: z.number().int().min(0).max(1_000_000).optional(), peerAveragePercent: z.number().min(0).max(100).optional() }).strict();
const knobSchema = z.object({ ITEM_NOT_RECEIVED: caseKnob.optional(), ITEM_NOT_AS_DESCRIBED: caseKnob.optional() }).strict();

interface CaseSetting { cases: number; peerAveragePercent: number }

/** eBay documents no error ids for these refusals in the saved model; 5410x is this sandbox's choice. */
function analyticsError(errorId: number, message: string): EbayError {
  return { errorId, domain: 'API_ANALYTICS', category: 'REQUEST', message };
}

function ratingOf(ratePercent: number, averagePercent: number): string {
  if (ratePercent <= averagePercent) return 'LOW';
  if (ratePercent <= averagePercent * 1.5) return 'AVERAGE';
  return ratePercent <= averagePercent * 2 ? 'HIGH' : 'VERY_HIGH';
}

export function customerServiceBody(context: SandboxContext, type: CustomerServiceMetricType, evaluation: string, marketplaceId: string, setting: CaseSetting) {
  const nowMs = context.nowMs();
  const startMs = nowMs - LOOKBACK_DAYS * DAY_MS;
  const transactions = [...context.state.orders.values()].filter((order) => order.createdAtMs > startMs && order.createdAtMs <= nowMs && order.fulfillment === 'merchant').length;
  const cases = Math.min(setting.cases, transactions);
  const ratePercent = transactions === 0 ? 0 : Math.round((cases / transactions) * 100 * 100) / 100;
  return {
    dimensionMetrics: [{
      dimension: DIMENSIONS[type],
      metrics: [
        { metricKey: 'COUNT', value: String(cases), distributions: [{ basis: 'SELLER', data: [{ name: DIMENSIONS[type].name, value: String(cases) }] }] },
        { metricKey: 'TRANSACTION_COUNT', value: String(transactions) },
        { metricKey: 'RATE', value: ratePercent.toFixed(2), benchmark: { basis: 'PEER_BENCHMARK', rating: ratingOf(ratePercent, setting.peerAveragePercent), metadata: { average: setting.peerAveragePercent.toFixed(2) } } },
      ],
    }],
    evaluationCycle: { startDate: new Date(startMs).toISOString(), endDate: new Date(nowMs).toISOString(), evaluationDate: new Date(nowMs).toISOString(), evaluationType: evaluation },
    marketplaceId,
  };
}

export function installCustomerServiceRoutes(app: Express, context: SandboxContext, auth: EbayAuth): void {
  const settings: Record<CustomerServiceMetricType, CaseSetting> = {
    ITEM_NOT_RECEIVED: { cases: 0, peerAveragePercent: 1 },
    ITEM_NOT_AS_DESCRIBED: { cases: 0, peerAveragePercent: 0.5 },
  };

  app.get(`${CUSTOMER_SERVICE_METRIC_PATH}/:type/:evaluation`, (req: Request, res: Response) => {
    if (!context.admit(CUSTOMER_SERVICE_OPERATION_NAMES.getCustomerServiceMetric, res) || !auth.requireBearer(req, res, ['user'])) return;
    const type = String(req.params.type);
    const evaluation = String(req.params.evaluation);
    const marketplaceId = req.query.evaluation_marketplace_id;
    if (!(CUSTOMER_SERVICE_METRIC_TYPES as readonly string[]).includes(type)) return sendErrors(res, 400, [analyticsError(54100, `Invalid customer_service_metric_type ${type}`)]);
    if (!(EVALUATION_TYPES as readonly string[]).includes(evaluation)) return sendErrors(res, 400, [analyticsError(54101, `Invalid evaluation_type ${evaluation}`)]);
    if (typeof marketplaceId !== 'string' || marketplaceId === '') return sendErrors(res, 400, [analyticsError(54102, 'evaluation_marketplace_id is required')]);
    if (!(SUPPORTED_MARKETPLACES as readonly string[]).includes(marketplaceId)) return sendErrors(res, 400, [analyticsError(54103, `Marketplace ${marketplaceId} is not supported for customer service metrics`)]);
    res.json(customerServiceBody(context, type as CustomerServiceMetricType, evaluation, marketplaceId, settings[type as CustomerServiceMetricType]));
  });

  app.put('/_sandbox/ebay/customer-service', express.json({ limit: '16kb' }), (req: Request, res: Response) => {
    const body = knobSchema.safeParse(req.body ?? {});
    if (!body.success) { res.status(400).json({ error: 'invalid_request', issues: body.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) }); return; }
    for (const type of CUSTOMER_SERVICE_METRIC_TYPES) Object.assign(settings[type], body.data[type] ?? {});
    res.json(settings);
  });
}
