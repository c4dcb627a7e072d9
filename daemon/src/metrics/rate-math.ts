/**
 * Integer arithmetic for "k of n" rates against a limit in basis points (1% = 100), so that a
 * threshold such as "below 2.5%" is decided exactly, never by a rounded float.
 */

export const BASIS_POINTS_PER_WHOLE = 10_000;

export type Comparison = 'below' | 'at_most';

export interface RateLimit {
  limitBasisPoints: number;
  comparison: Comparison;
  /** eBay: the level is kept while the defect count is at most this, whatever the rate. */
  allowanceCount?: number;
}

/** The rate in basis points (fractional), or null when there are no orders. */
export function rateBasisPoints(count: number, total: number): number | null {
  return total === 0 ? null : (count * BASIS_POINTS_PER_WHOLE) / total;
}

function isRateWithin(count: number, total: number, limit: RateLimit): boolean {
  if (total === 0) return true;
  const scaled = count * BASIS_POINTS_PER_WHOLE;
  const bound = limit.limitBasisPoints * total;
  return limit.comparison === 'below' ? scaled < bound : scaled <= bound;
}

/** Whether `count` seller-caused cancellations among `total` orders meet the limit. */
export function meetsLimit(count: number, total: number, limit: RateLimit): boolean {
  if (limit.allowanceCount !== undefined && count <= limit.allowanceCount) return true;
  return isRateWithin(count, total, limit);
}

/**
 * How many more seller-caused cancellations the window absorbs and still meets the limit. Each
 * one is counted as a new order that gets cancelled (numerator and denominator both grow), and no
 * other order is assumed to arrive: the figure never relies on future good orders. 0 when the
 * limit is already missed or the next cancellation would miss it.
 */
export function headroom(count: number, total: number, limit: RateLimit): number {
  if (limit.limitBasisPoints >= BASIS_POINTS_PER_WHOLE) throw new Error(`a limit of ${limit.limitBasisPoints} basis points is not a rate limit`);
  if (!meetsLimit(count, total, limit)) return 0;
  const byAllowance = limit.allowanceCount !== undefined ? limit.allowanceCount - count : -1;
  const room = limit.limitBasisPoints * total - count * BASIS_POINTS_PER_WHOLE;
  const perCancellation = BASIS_POINTS_PER_WHOLE - limit.limitBasisPoints;
  let byRate = limit.comparison === 'at_most' ? Math.floor(room / perCancellation) : Math.ceil(room / perCancellation) - 1;
  // Guard the division against floating error at the boundary: confirm exactly, step back if needed.
  while (byRate >= 0 && !isRateWithin(count + byRate, total + byRate, limit)) byRate -= 1;
  while (isRateWithin(count + byRate + 1, total + byRate + 1, limit)) byRate += 1;
  return Math.max(0, byRate, byAllowance);
}

/** Percent with two decimals for people (2.5 for 250 basis points). */
export function percentOf(basisPoints: number | null): number | null {
  return basisPoints === null ? null : Math.round(basisPoints) / 100;
}
