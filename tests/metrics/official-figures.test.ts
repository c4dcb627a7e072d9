import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { amazonOfficialFigures, ebayOfficialFigures } from '../../daemon/src/metrics/official-figures.js';

const schema = JSON.parse(readFileSync(new URL('../../../shared/specs/amazon/schemas/accountHealthReport-2020-11-18.json', import.meta.url), 'utf8')) as { definitions: { OrderDefectRate: { examples: unknown[] } } };

describe('official figures', () => {
  test("Amazon's report gives the cancel rate and the seller's own ODR as basis points with Amazon's targets and dates", () => {
    const odrExample = schema.definitions.OrderDefectRate.examples[0];
    const report = { performanceMetrics: [{ marketplaceId: 'ATVPDKIKX0DER', preFulfillmentCancellationRate: { reportingDateRange: { reportingDateFrom: '2020-11-12T00:00Z', reportingDateTo: '2020-11-18T23:59Z' }, orderCount: 17197, cancellationCount: 551, status: 'GOOD', rate: 0.005, targetValue: 0.025, targetCondition: 'LESS_THAN' }, orderDefectRate: { mfn: odrExample } }] };
    expect(amazonOfficialFigures(report, 'ATVPDKIKX0DER', 1).map((figure) => [figure.name, figure.rateBasisPoints, figure.targetBasisPoints, figure.status, figure.windowFrom])).toEqual([
      ['preFulfillmentCancellationRate', 50, 250, 'GOOD', '2020-11-12T00:00Z'],
      ['orderDefectRate.mfn', 90, 100, 'GOOD', '2020-09-06T00:00Z'],
    ]);
  });

  test('a report without the requested marketplace gives no figures rather than another marketplace’s', () => {
    expect(amazonOfficialFigures({ performanceMetrics: [{ marketplaceId: 'A1F83G8C2ARO7P' }] }, 'ATVPDKIKX0DER', 1)).toEqual([]);
  });

  test("eBay's standards profile gives the level of the cycle and each metric's percent as basis points", () => {
    const profile = { standardsLevel: 'ABOVE_STANDARD', program: 'PROGRAM_US', cycle: { cycleType: 'PROJECTED', evaluationDate: '2026-06-15T07:09:00.000Z', evaluationMonth: '2026-07' }, metrics: [{ metricKey: 'DEFECTIVE_TRANSACTION_RATE', value: { value: 0.75 }, level: 'ABOVE_STANDARD' }] };
    expect(ebayOfficialFigures(profile, 1).map((figure) => [figure.name, figure.rateBasisPoints, figure.status])).toEqual([
      ['standardsLevel.PROJECTED', null, 'ABOVE_STANDARD'], ['DEFECTIVE_TRANSACTION_RATE', 75, 'ABOVE_STANDARD'],
    ]);
  });
});
