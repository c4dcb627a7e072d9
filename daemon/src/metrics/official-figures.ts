/**
 * The marketplaces' own figures turned into OfficialFigure values: pure. Amazon's
 * GET_V2_SELLER_PERFORMANCE_REPORT document (schema accountHealthReport-2020-11-18.json: rates as
 * fractions, `targetValue`, `targetCondition`, `reportingDateRange`) and eBay Analytics'
 * getSellerStandardsProfile (`standardsLevel`, `metrics[]`, `cycle`), eBay getCustomerServiceMetric
 * and Walmart's Seller Performance cancellations summary. Fields that are missing or
 * of the wrong type give null, never a guess.
 */
import type { OfficialFigure } from './metrics-report.js';

const AMAZON_RATE_FIELDS = ['preFulfillmentCancellationRate', 'orderDefectRate', 'lateShipmentRate', 'validTrackingRate'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const fractionToBasisPoints = (value: number | null): number | null => (value === null ? null : Math.round(value * 10_000 * 100) / 100);

function amazonFigure(name: string, metric: Json, readAtMs: number): OfficialFigure {
  const range = isObject(metric.reportingDateRange) ? metric.reportingDateRange : {};
  return {
    channel: 'amazon', name, rateBasisPoints: fractionToBasisPoints(numberOrNull(metric.rate)), targetBasisPoints: fractionToBasisPoints(numberOrNull(metric.targetValue)),
    status: stringOrNull(metric.status), windowFrom: stringOrNull(range.reportingDateFrom), windowTo: stringOrNull(range.reportingDateTo), readAtMs,
  };
}

/** Figures for one marketplace id from an Amazon seller performance report document. */
export function amazonOfficialFigures(report: unknown, marketplaceId: string, readAtMs: number): OfficialFigure[] {
  if (!isObject(report) || !Array.isArray(report.performanceMetrics)) return [];
  const entry = report.performanceMetrics.find((item): item is Json => isObject(item) && item.marketplaceId === marketplaceId);
  if (!entry) return [];
  const figures: OfficialFigure[] = [];
  for (const field of AMAZON_RATE_FIELDS) {
    const metric = entry[field];
    if (!isObject(metric)) continue;
    // Order Defect Rate is split by fulfilment; the seller's own (MFN) is the one overselling touches.
    if (field === 'orderDefectRate') { if (isObject(metric.mfn)) figures.push(amazonFigure('orderDefectRate.mfn', metric.mfn, readAtMs)); continue; }
    figures.push(amazonFigure(field, metric, readAtMs));
  }
  return figures;
}

/** Figures from eBay getSellerStandardsProfile (one profile): the level, and each metric's value. */
export function ebayOfficialFigures(profile: unknown, readAtMs: number): OfficialFigure[] {
  if (!isObject(profile)) return [];
  const cycle = isObject(profile.cycle) ? profile.cycle : {};
  const base = { channel: 'ebay', targetBasisPoints: null, windowFrom: null, windowTo: stringOrNull(cycle.evaluationDate), readAtMs };
  const figures: OfficialFigure[] = [{ ...base, name: `standardsLevel.${stringOrNull(cycle.cycleType) ?? 'UNKNOWN'}`, rateBasisPoints: null, status: stringOrNull(profile.standardsLevel) }];
  for (const metric of Array.isArray(profile.metrics) ? profile.metrics : []) {
    if (!isObject(metric) || typeof metric.metricKey !== 'string') continue;
    // eBay gives rates as percent values (0.45 means 0.45%) inside `value`, sometimes wrapped.
    const raw = isObject(metric.value) ? metric.value.value : metric.value;
    const percent = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null;
    figures.push({ ...base, name: metric.metricKey, rateBasisPoints: percent === null ? null : percent * 100, status: stringOrNull(metric.level) });
  }
  return figures;
}

const percentOrNull = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
};
const percentToBasisPoints = (percent: number | null): number | null => (percent === null ? null : Math.round(percent * 100 * 100) / 100);

/**
 * Figures from eBay getCustomerServiceMetric (one type): each dimension's RATE, a percent in a
 * string, beside the peer average (benchmark.metadata.average) as the target and the benchmark
 * rating (LOW … VERY_HIGH) as the status. Named `<type>.<dimension value>`.
 */
export function ebayCustomerServiceFigures(response: unknown, type: string, readAtMs: number): OfficialFigure[] {
  if (!isObject(response) || !Array.isArray(response.dimensionMetrics)) return [];
  const cycle = isObject(response.evaluationCycle) ? response.evaluationCycle : {};
  const figures: OfficialFigure[] = [];
  for (const entry of response.dimensionMetrics) {
    if (!isObject(entry) || !Array.isArray(entry.metrics)) continue;
    const dimension = isObject(entry.dimension) ? entry.dimension : {};
    const rate = entry.metrics.find((metric): metric is Json => isObject(metric) && metric.metricKey === 'RATE');
    if (!rate) continue;
    const benchmark = isObject(rate.benchmark) ? rate.benchmark : {};
    const metadata = isObject(benchmark.metadata) ? benchmark.metadata : {};
    figures.push({
      channel: 'ebay', name: `${type}.${stringOrNull(dimension.value) ?? stringOrNull(dimension.name) ?? 'ALL'}`,
      rateBasisPoints: percentToBasisPoints(percentOrNull(rate.value)), targetBasisPoints: percentToBasisPoints(percentOrNull(metadata.average)),
      status: stringOrNull(benchmark.rating), windowFrom: stringOrNull(cycle.startDate), windowTo: stringOrNull(cycle.endDate), readAtMs,
    });
  }
  return figures;
}

/** Walmart's limit for the cancellation rate: at most 2% (marketplaces.md §3.8). */
export const WALMART_CANCELLATION_TARGET_BASIS_POINTS = 200;

/**
 * The figure from Walmart's Seller Performance cancellations summary: `payload.cumulativeRate`
 * (a percent) and `payload.cumulativeRateTrend` as the status. The body's shape is not in a saved
 * model (walmart-performance-client.ts); a body without a numeric rate gives no figure.
 */
export function walmartCancellationFigures(summary: unknown, readAtMs: number): OfficialFigure[] {
  const payload = isObject(summary) && isObject(summary.payload) ? summary.payload : isObject(summary) ? summary : {};
  const rate = percentOrNull(payload.cumulativeRate);
  if (rate === null) return [];
  const duration = typeof payload.reportDuration === 'number' ? payload.reportDuration : null;
  return [{
    channel: 'walmart', name: `cancellationRate${duration === null ? '' : `.${duration}d`}`, rateBasisPoints: percentToBasisPoints(rate),
    targetBasisPoints: WALMART_CANCELLATION_TARGET_BASIS_POINTS, status: stringOrNull(payload.cumulativeRateTrend),
    windowFrom: stringOrNull(payload.startDate), windowTo: stringOrNull(payload.endDate), readAtMs,
  }];
}
