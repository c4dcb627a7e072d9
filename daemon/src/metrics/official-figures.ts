/**
 * The marketplaces' own figures turned into OfficialFigure values: pure. Amazon's
 * GET_V2_SELLER_PERFORMANCE_REPORT document (schema accountHealthReport-2020-11-18.json: rates as
 * fractions, `targetValue`, `targetCondition`, `reportingDateRange`) and eBay Analytics'
 * getSellerStandardsProfile (`standardsLevel`, `metrics[]`, `cycle`). Fields that are missing or
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
