/**
 * OfficialReaders: each reads one marketplace's own figures over the network and maps them with
 * official-figures.ts. A failed read is a value naming the channel and what went wrong (never a
 * token), so the snapshot still shows Shelfguard's estimate beside the error.
 */
import { SellerPerformanceClient } from '../channels/amazon/seller-performance.js';
import type { ChannelConnection } from '../channels/channel.js';
import { SellerStandardsClient, type StandardsCycle, type StandardsProgram } from '../channels/ebay/seller-standards.js';
import { CUSTOMER_SERVICE_METRIC_TYPES, CustomerServiceMetricClient, type CustomerServiceMetricType, type EvaluationType } from './ebay-customer-service-client.js';
import type { OfficialReader } from './metrics-service.js';
import { cachedOfficialReader } from './official-cache.js';
import { amazonOfficialFigures, ebayCustomerServiceFigures, ebayOfficialFigures, walmartCancellationFigures } from './official-figures.js';
import { WalmartPerformanceClient, WALMART_REPORT_DURATION_DAYS_DEFAULT, type WALMART_REPORT_DURATIONS_DAYS } from './walmart-performance-client.js';

export interface EbayReaderOptions {
  /** Defaults to PROGRAM_US. */
  program?: StandardsProgram;
  /** PROJECTED (computed now) by default: it moves with today's cancellations; CURRENT is last month's. */
  cycle?: StandardsCycle;
  nowMs?: () => number;
}

export function ebayOfficialReader(client: Pick<SellerStandardsClient, 'getProfile'>, options: EbayReaderOptions = {}): OfficialReader {
  const program = options.program ?? 'PROGRAM_US';
  const cycle = options.cycle ?? 'PROJECTED';
  const nowMs = options.nowMs ?? Date.now;
  return async () => {
    const profile = await client.getProfile(program, cycle);
    if (!profile.ok) return { ok: false, channel: 'ebay', message: `getSellerStandardsProfile ${program}/${cycle}: ${profile.error.code}: ${profile.error.message}` };
    return { ok: true, figures: ebayOfficialFigures(profile.value, nowMs()) };
  };
}

/** Amazon's seller performance report for the connection's marketplace, mapped per metric. */
export function amazonOfficialReader(client: Pick<SellerPerformanceClient, 'readReport' | 'marketplaceId'>, options: { nowMs?: () => number } = {}): OfficialReader {
  const nowMs = options.nowMs ?? Date.now;
  return async () => {
    const report = await client.readReport();
    if (!report.ok) return { ok: false, channel: 'amazon', message: `GET_V2_SELLER_PERFORMANCE_REPORT: ${report.error.code}: ${report.error.message}` };
    const figures = amazonOfficialFigures(report.value, client.marketplaceId, nowMs());
    if (figures.length === 0) return { ok: false, channel: 'amazon', message: `GET_V2_SELLER_PERFORMANCE_REPORT: no performance metrics for marketplace ${client.marketplaceId}` };
    return { ok: true, figures };
  };
}

/** eBay's customer service metrics (item not received, item not as described) against the peer
 * benchmark; one failed type fails the read, naming it. */
export function ebayCustomerServiceReader(client: Pick<CustomerServiceMetricClient, 'getMetric'>, options: { evaluation?: EvaluationType; types?: readonly CustomerServiceMetricType[]; nowMs?: () => number } = {}): OfficialReader {
  const evaluation = options.evaluation ?? 'CURRENT';
  const nowMs = options.nowMs ?? Date.now;
  return async () => {
    const figures = [];
    for (const type of options.types ?? CUSTOMER_SERVICE_METRIC_TYPES) {
      const response = await client.getMetric(type, evaluation);
      if (!response.ok) return { ok: false, channel: 'ebay', message: `getCustomerServiceMetric ${type}/${evaluation}: ${response.error.code}: ${response.error.message}` };
      figures.push(...ebayCustomerServiceFigures(response.value, type, nowMs()));
    }
    return { ok: true, figures };
  };
}

/** Walmart's own cancellation rate from its Seller Performance cancellations summary. */
export function walmartOfficialReader(client: Pick<WalmartPerformanceClient, 'cancellationsSummary'>, options: { reportDurationDays?: (typeof WALMART_REPORT_DURATIONS_DAYS)[number]; nowMs?: () => number } = {}): OfficialReader {
  const days = options.reportDurationDays ?? WALMART_REPORT_DURATION_DAYS_DEFAULT;
  const nowMs = options.nowMs ?? Date.now;
  return async () => {
    const summary = await client.cancellationsSummary(days);
    if (!summary.ok) return { ok: false, channel: 'walmart', message: `cancellations summary (${days} days): ${summary.error.code}: ${summary.error.message}` };
    const figures = walmartCancellationFigures(summary.value, nowMs());
    if (figures.length === 0) return { ok: false, channel: 'walmart', message: `cancellations summary (${days} days): the answer has no numeric payload.cumulativeRate` };
    return { ok: true, figures };
  };
}

/** The official readers for every configured channel that publishes its figures (eBay, Amazon, Walmart),
 * each calling its marketplace at most once per OFFICIAL_READ_INTERVAL_MS (official-cache.ts).
 * Channels whose credentials are incomplete get no reader; their estimate is still shown. */
export function officialReadersFor(channels: Partial<Record<string, ChannelConnection>>): OfficialReader[] {
  const readers: OfficialReader[] = [];
  const ebay = channels.ebay;
  if (ebay?.credentials.clientId && ebay.credentials.clientSecret && ebay.credentials.refreshToken) {
    readers.push(ebayOfficialReader(new SellerStandardsClient({
      baseUrl: ebay.baseUrl, clientId: ebay.credentials.clientId, clientSecret: ebay.credentials.clientSecret, refreshToken: ebay.credentials.refreshToken,
      ...(ebay.credentials.marketplaceId ? { marketplaceId: ebay.credentials.marketplaceId } : {}),
      ...(ebay.requestTimeoutMs ? { timeoutMs: ebay.requestTimeoutMs } : {}),
    })));
  }
  if (ebay?.credentials.clientId && ebay.credentials.clientSecret && ebay.credentials.refreshToken) {
    readers.push(ebayCustomerServiceReader(new CustomerServiceMetricClient({
      baseUrl: ebay.baseUrl, clientId: ebay.credentials.clientId, clientSecret: ebay.credentials.clientSecret, refreshToken: ebay.credentials.refreshToken,
      ...(ebay.credentials.marketplaceId ? { marketplaceId: ebay.credentials.marketplaceId } : {}),
      ...(ebay.requestTimeoutMs ? { timeoutMs: ebay.requestTimeoutMs } : {}),
    })));
  }
  const amazon = channels.amazon ? SellerPerformanceClient.create(channels.amazon) : undefined;
  if (amazon?.ok) readers.push(amazonOfficialReader(amazon.value));
  const walmart = channels.walmart ? WalmartPerformanceClient.create(channels.walmart) : undefined;
  if (walmart?.ok) readers.push(walmartOfficialReader(walmart.value));
  return readers.map((read) => cachedOfficialReader(read));
}
