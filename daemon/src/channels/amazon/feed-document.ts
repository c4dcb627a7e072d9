/**
 * JSON_LISTINGS_FEED documents and their processing reports, built and read without I/O. The
 * document follows listings-feed-schema-v2.json (one PATCH message per child SKU, messageId from
 * 1); the report follows listings-feed-processing-report-schema-v2.json, which lists only the
 * messages that had issues, so every message without an ERROR issue was applied.
 */
import { z } from 'zod';
import { channelError, type PushResult, type QuantityUpdate } from '../channel.js';
import { FEED_MESSAGES_MAX } from './limits.js';
import { FULFILLMENT_AVAILABILITY_PATH, MERCHANT_FULFILLMENT_CHANNEL } from './listings-mapping.js';

export const LISTINGS_FEED_TYPE = 'JSON_LISTINGS_FEED';
export const FEED_CONTENT_TYPE = 'application/json; charset=UTF-8';
/** Product type Amazon accepts for offer-only messages when the listing's own type is unknown. */
export const OFFER_ONLY_PRODUCT_TYPE = 'PRODUCT';

export interface ListingsFeedDocument {
  header: { sellerId: string; version: '2.0'; issueLocale: string; report: { includedData: string[]; apiVersion: '2021-08-01' } };
  messages: Array<{
    messageId: number;
    sku: string;
    operationType: 'PATCH';
    productType: string;
    patches: Array<{ op: 'replace'; path: string; value: Array<{ fulfillment_channel_code: string; quantity: number }> }>;
  }>;
}

export function listingsFeedDocument(sellerId: string, updates: QuantityUpdate[]): ListingsFeedDocument {
  if (updates.length < 1 || updates.length > FEED_MESSAGES_MAX) throw new Error(`a listings feed takes 1..${FEED_MESSAGES_MAX} messages, got ${updates.length}`);
  return {
    // Asking for a report of the items makes the processing report name every SKU it applied.
    header: { sellerId, version: '2.0', issueLocale: 'en_US', report: { includedData: ['fulfillmentAvailability'], apiVersion: '2021-08-01' } },
    messages: updates.map((update, index) => ({
      messageId: index + 1,
      sku: update.listing.sku,
      operationType: 'PATCH',
      productType: update.listing.identifiers.productType ?? OFFER_ONLY_PRODUCT_TYPE,
      patches: [{ op: 'replace', path: FULFILLMENT_AVAILABILITY_PATH, value: [{ fulfillment_channel_code: MERCHANT_FULFILLMENT_CHANNEL, quantity: update.quantity }] }],
    })),
  };
}

const reportSchema = z.object({
  header: z.object({ sellerId: z.string(), version: z.literal('2.0'), feedId: z.string() }).passthrough(),
  issues: z.array(z.object({
    messageId: z.number().int().min(1).optional(),
    sku: z.string().optional(),
    code: z.string().optional(),
    severity: z.enum(['ERROR', 'WARNING', 'INFO']),
    message: z.string(),
  }).passthrough()),
  items: z.array(z.object({ sku: z.string() }).passthrough()).optional(),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), messagesProcessed: z.number().int(), messagesAccepted: z.number().int(), messagesInvalid: z.number().int() }).passthrough(),
}).passthrough();

/** The pushed SKUs in message order, as remembered for a feed: messageId = index + 1. */
export interface FeedSubmission { skus: Array<{ sku: string; version: number }> }

/**
 * Per-SKU outcomes from a processing report; a message with an ERROR issue failed, others applied. */
export function resultsFromProcessingReport(submission: FeedSubmission | undefined, feedId: string, report: unknown): { ok: true; value: PushResult[] } | { ok: false; message: string } {
  const parsed = reportSchema.safeParse(report);
  if (!parsed.success) return { ok: false, message: `processing report is not listings-feed-processing-report v2: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` };
  const errorsByMessage = new Map<number, string[]>();
  const feedLevel: string[] = [];
  for (const issue of parsed.data.issues) {
    if (issue.severity !== 'ERROR') continue;
    const text = `${issue.code ?? 'ERROR'}: ${issue.message}`;
    if (issue.messageId === undefined) feedLevel.push(text);
    else errorsByMessage.set(issue.messageId, [...(errorsByMessage.get(issue.messageId) ?? []), text]);
  }
  // Without the remembered submission (a restarted daemon), the report's items and issues name the SKUs.
  const skus: Array<{ sku: string; version: number; messageId?: number }> = submission
    ? submission.skus.map((entry, index) => ({ ...entry, messageId: index + 1 }))
    : [
      ...(parsed.data.items ?? []).map((item) => ({ sku: item.sku, version: 0 })),
      ...parsed.data.issues.flatMap((issue) => (issue.sku !== undefined && issue.messageId !== undefined ? [{ sku: issue.sku, version: 0, messageId: issue.messageId }] : [])),
    ];
  return {
    ok: true,
    value: skus.map(({ sku, version, messageId }): PushResult => {
      const problems = [...feedLevel, ...(messageId === undefined ? [] : errorsByMessage.get(messageId) ?? [])];
      if (problems.length === 0) return { sku, version, status: 'applied', submissionId: feedId };
      return { sku, version, status: 'failed', submissionId: feedId, error: channelError('invalid_request', `feed ${feedId} refused SKU ${sku}: ${problems.join('; ')}`) };
    }),
  };
}

