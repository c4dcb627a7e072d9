/**
 * Walmart's Seller Performance API (Insights), the cancellations summary:
 * `GET /v3/insights/performance/cancellations/summary?reportDuration=14|30|60|90`, Walmart's own
 * cancellation rate for seller-fulfilled orders (marketplaces.md §3.8). These endpoints are not
 * in the saved 2023 spec files (specs/walmart/insights.json has no /performance path); the path,
 * the reportDuration values, the one-call-a-minute limit and the field names cumulativeRate,
 * cumulativeRateTrend and impacted orders come from Walmart's developer guide pages, and the
 * exact body is an assumption the mapping in official-figures.ts reads defensively. Tokens and the
 * WM_* headers are the Walmart connector's client; failures are values.
 */
import { channelError, fail, ok, type ChannelConnection, type RateLimit, type Result } from '../channels/channel.js';
import { WalmartClient } from '../channels/walmart/walmart-client.js';

export const WALMART_CANCELLATIONS_SUMMARY_PATH = '/v3/insights/performance/cancellations/summary';
export const WALMART_REPORT_DURATIONS_DAYS = [14, 30, 60, 90] as const;
/** Walmart's standard looks at the last 30 days (marketplaces.md §3.8). */
export const WALMART_REPORT_DURATION_DAYS_DEFAULT = 30;

export const PERFORMANCE_OPERATION_NAMES = { getCancellationsSummary: 'getCancellationsSummary' } as const;

/** "One call per minute per seller" (Walmart's performance summary guides). */
export const PERFORMANCE_OPERATIONS: Record<string, RateLimit> = {
  [PERFORMANCE_OPERATION_NAMES.getCancellationsSummary]: { ratePerSecond: 1 / 60, burst: 1 },
};

export class WalmartPerformanceClient {
  private constructor(private readonly client: WalmartClient) {}

  /** A client for a Walmart connection, or why its credentials cannot make one (no secret named). */
  static create(connection: ChannelConnection): Result<WalmartPerformanceClient> {
    const { clientId, clientSecret } = connection.credentials;
    if (!clientId || !clientSecret) return fail(channelError('invalid_request', 'Walmart credentials need clientId and clientSecret to read seller performance'));
    return ok(new WalmartPerformanceClient(new WalmartClient(connection, clientId, clientSecret)));
  }

  /** The cancellations summary as Walmart sent it (mapping is official-figures.ts's job). */
  async cancellationsSummary(reportDurationDays: (typeof WALMART_REPORT_DURATIONS_DAYS)[number] = WALMART_REPORT_DURATION_DAYS_DEFAULT): Promise<Result<unknown>> {
    const sent = await this.client.call({ operation: PERFORMANCE_OPERATION_NAMES.getCancellationsSummary, method: 'GET', path: `${WALMART_CANCELLATIONS_SUMMARY_PATH}?reportDuration=${reportDurationDays}` });
    if (!sent.ok) return sent;
    try {
      return ok(JSON.parse(sent.value.text) as unknown);
    } catch {
      return fail(channelError('invalid_response', `GET ${WALMART_CANCELLATIONS_SUMMARY_PATH} answered ${sent.value.status} with a body that is not JSON`));
    }
  }
}
