/**
 * The eBay Analytics API's getCustomerServiceMetric
 * (`GET /sell/analytics/v1/customer_service_metric/{type}/{evaluation_type}?evaluation_marketplace_id=…`,
 * sell_analytics_v1_oas3.json; marketplaces.md §2.8): the seller's item-not-received and
 * item-not-as-described rates against their peers. These are not cancellations, but a store that
 * oversells and ships late feeds them, and eBay's service-metrics policy acts on them. Tokens and
 * the one refresh after a 401 come from analyticsTransport (seller-standards.ts); failures are values.
 */
import { channelError, fail, type RateLimit, type Result } from '../channels/channel.js';
import type { EbayTransport } from '../channels/ebay/ebay-transport.js';
import { analyticsTransport, type AnalyticsClientOptions } from '../channels/ebay/seller-standards.js';

export const CUSTOMER_SERVICE_METRIC_PATH = '/sell/analytics/v1/customer_service_metric';
export const CUSTOMER_SERVICE_METRIC_TYPES = ['ITEM_NOT_AS_DESCRIBED', 'ITEM_NOT_RECEIVED'] as const;
export const EVALUATION_TYPES = ['CURRENT', 'PROJECTED'] as const;
export type CustomerServiceMetricType = (typeof CUSTOMER_SERVICE_METRIC_TYPES)[number];
export type EvaluationType = (typeof EVALUATION_TYPES)[number];

/** customer_service_metric is allowed 400 calls a day (marketplaces.md §2.4). */
export const CUSTOMER_SERVICE_METRIC_CALLS_PER_DAY = 400;
const SECONDS_PER_DAY = 86_400;
const CUSTOMER_SERVICE_METRIC_BURST = 5;

export const CUSTOMER_SERVICE_OPERATION_NAMES = { getCustomerServiceMetric: 'getCustomerServiceMetric' } as const;

/** The operation's rate, for the sandbox's bucket and any scheduler alike. */
export const CUSTOMER_SERVICE_OPERATIONS: Record<string, RateLimit> = {
  [CUSTOMER_SERVICE_OPERATION_NAMES.getCustomerServiceMetric]: { ratePerSecond: CUSTOMER_SERVICE_METRIC_CALLS_PER_DAY / SECONDS_PER_DAY, burst: CUSTOMER_SERVICE_METRIC_BURST },
};

/** The marketplace (marketplaceId, EBAY_US by default) is also the one evaluated (evaluation_marketplace_id). */
export type CustomerServiceClientOptions = AnalyticsClientOptions;

export class CustomerServiceMetricClient {
  private readonly transport: EbayTransport;
  readonly marketplaceId: string;

  constructor(options: CustomerServiceClientOptions) {
    this.marketplaceId = options.marketplaceId ?? 'EBAY_US';
    this.transport = analyticsTransport(options);
  }

  /** One GetCustomerServiceMetricResponse as eBay sent it (mapping is official-figures.ts's job). */
  async getMetric(type: CustomerServiceMetricType, evaluation: EvaluationType): Promise<Result<unknown>> {
    const query = new URLSearchParams({ evaluation_marketplace_id: this.marketplaceId });
    const sent = await this.transport.rest({
      operation: CUSTOMER_SERVICE_OPERATION_NAMES.getCustomerServiceMetric, method: 'GET', path: `${CUSTOMER_SERVICE_METRIC_PATH}/${type}/${evaluation}?${query.toString()}`,
    });
    if (!sent.ok) return sent;
    // 204: eBay has no rating for this seller yet (too few transactions in the peer group).
    if (sent.value.status === 204) return fail(channelError('not_found', `eBay has no ${evaluation} ${type} customer service metric for ${this.marketplaceId}`, { retryable: false }));
    return { ok: true, value: sent.value.body };
  }
}
