/**
 * OfficialReaders: each reads one marketplace's own figures over the network and maps them with
 * official-figures.ts. A failed read is a value naming the channel and what went wrong (never a
 * token), so the snapshot still shows Shelfguard's estimate beside the error.
 */
import { SellerPerformanceClient } from '../channels/amazon/seller-performance.js';
import type { ChannelConnection } from '../channels/channel.js';
import { SellerStandardsClient, type StandardsCycle, type StandardsProgram } from '../channels/ebay/seller-standards.js';
import type { OfficialReader } from './metrics-service.js';
import { amazonOfficialFigures, ebayOfficialFigures } from './official-figures.js';

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

/** The official readers for every configured channel that publishes its figures (eBay, Amazon).
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
  const amazon = channels.amazon ? SellerPerformanceClient.create(channels.amazon) : undefined;
  if (amazon?.ok) readers.push(amazonOfficialReader(amazon.value));
  return readers;
}
