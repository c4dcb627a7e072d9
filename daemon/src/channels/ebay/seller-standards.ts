/**
 * The eBay Analytics API's getSellerStandardsProfile
 * (`GET /sell/analytics/v1/seller_standards_profile/{program}/{cycle}`, sell_analytics_v1_oas3.json;
 * marketplaces.md §2.8): the seller's own standards level and metrics as eBay computed them.
 * Tokens and the one refresh after a 401 come from the connector's TokenKeeper and EbayTransport,
 * unchanged; this client only asks for the analytics scope as well. Failures are values.
 */
import { channelError, fail, type RateLimit, type Result } from '../channel.js';
import { HTTP_TIMEOUT_MS_DEFAULT } from '../http.js';
import { EbayTransport } from './ebay-transport.js';
import { SELL_SCOPES, TokenKeeper } from './token-keeper.js';

export const ANALYTICS_SCOPE = 'https://api.ebay.com/oauth/api_scope/sell.analytics.readonly';
export const SELLER_STANDARDS_PATH = '/sell/analytics/v1/seller_standards_profile';
export const STANDARDS_PROGRAMS = ['PROGRAM_US', 'PROGRAM_UK', 'PROGRAM_DE', 'PROGRAM_GLOBAL'] as const;
export const STANDARDS_CYCLES = ['CURRENT', 'PROJECTED'] as const;
export type StandardsProgram = (typeof STANDARDS_PROGRAMS)[number];
export type StandardsCycle = (typeof STANDARDS_CYCLES)[number];

/** seller_standards_profile is allowed 100 calls a day (marketplaces.md §2.4); the metrics check reads it a few times a day. */
export const SELLER_STANDARDS_CALLS_PER_DAY = 100;
const SECONDS_PER_DAY = 86_400;
/** A small burst, as for the connector's other daily quotas (limits.ts). */
const SELLER_STANDARDS_BURST = 5;

export const ANALYTICS_OPERATION_NAMES = { getSellerStandardsProfile: 'getSellerStandardsProfile' } as const;

/** The analytics operations' rates, for the sandbox's buckets and any scheduler alike. */
export const ANALYTICS_OPERATIONS: Record<string, RateLimit> = {
  [ANALYTICS_OPERATION_NAMES.getSellerStandardsProfile]: { ratePerSecond: SELLER_STANDARDS_CALLS_PER_DAY / SECONDS_PER_DAY, burst: SELLER_STANDARDS_BURST },
};

/** What every Analytics API client needs: the connector's credentials, and the marketplace. */
export interface AnalyticsClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Sent as X-EBAY-C-MARKETPLACE-ID; defaults to EBAY_US. */
  marketplaceId?: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

export type SellerStandardsOptions = AnalyticsClientOptions;

/** The connector's TokenKeeper and EbayTransport, asking for the analytics scope as well. */
export function analyticsTransport(options: AnalyticsClientOptions): EbayTransport {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? HTTP_TIMEOUT_MS_DEFAULT;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const tokens = new TokenKeeper({
    baseUrl, clientId: options.clientId, clientSecret: options.clientSecret, refreshToken: options.refreshToken,
    scopes: [...SELL_SCOPES, ANALYTICS_SCOPE], fetch: fetchImpl, now: options.now ?? Date.now, timeoutMs,
  });
  return new EbayTransport({ baseUrl, fetch: fetchImpl, timeoutMs, marketplaceId: options.marketplaceId ?? 'EBAY_US' }, tokens);
}

export class SellerStandardsClient {
  private readonly transport: EbayTransport;

  constructor(options: SellerStandardsOptions) {
    this.transport = analyticsTransport(options);
  }

  /** One StandardsProfile as eBay sent it (mapping is official-figures.ts's job). */
  async getProfile(program: StandardsProgram, cycle: StandardsCycle): Promise<Result<unknown>> {
    const sent = await this.transport.rest({
      operation: ANALYTICS_OPERATION_NAMES.getSellerStandardsProfile, method: 'GET', path: `${SELLER_STANDARDS_PATH}/${program}/${cycle}`,
    });
    if (!sent.ok) return sent;
    // 204 means eBay has no profile for this program and cycle yet.
    if (sent.value.status === 204) return fail(channelError('not_found', `eBay has no ${cycle} seller standards profile for ${program}`, { retryable: false }));
    return { ok: true, value: sent.value.body };
  }
}
