/**
 * eBay's seller level from the transaction defect rate (marketplaces.md 2.8): Top Rated at most
 * 0.5% (or at most 3 defects), Above Standard at most 2% (or at most 4 defects), Below Standard
 * otherwise. Defects are counted per transaction; the unique-buyer rule is approximated by the
 * defect count, which is never smaller than the number of unique buyers, so the level is never
 * reported better than eBay would. Pure.
 */
import type { MetricEvaluation } from './evaluate-metric.js';

export type EbayStandardsLevel = 'TOP_RATED' | 'ABOVE_STANDARD' | 'BELOW_STANDARD';

export function ebayStandardsLevel(evaluations: readonly MetricEvaluation[]): EbayStandardsLevel | null {
  const topRated = evaluations.find((evaluation) => evaluation.metric === 'ebay_defect_rate_top_rated');
  const aboveStandard = evaluations.find((evaluation) => evaluation.metric === 'ebay_defect_rate_above_standard');
  if (!topRated || !aboveStandard) return null;
  if (topRated.meets) return 'TOP_RATED';
  return aboveStandard.meets ? 'ABOVE_STANDARD' : 'BELOW_STANDARD';
}
