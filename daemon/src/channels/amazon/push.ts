/**
 * Publishing quantities: patchListingsItem per child SKU for the single path, and one
 * JSON_LISTINGS_FEED (createFeedDocument → upload → createFeed) for a burst. Both are
 * asynchronous at Amazon, so both answer 'accepted'; a feed's per-SKU outcome comes later from
 * its processing report through getFeedStatus.
 */
import { channelError, fail, ok, type ChannelError, type FeedStatus, type PushResult, type QuantityUpdate, type Result } from '../channel.js';
import { parseJson } from '../http.js';
import { invalidResponse } from './errors.js';
import { FEED_CONTENT_TYPE, LISTINGS_FEED_TYPE, listingsFeedDocument, resultsFromProcessingReport, type FeedSubmission } from './feed-document.js';
import { QUANTITY_MAX } from './limits.js';
import { quantityPatch, refuseBeforeSending, resultFromSubmission } from './listings-mapping.js';
import type { SpApiClient } from './sp-api-client.js';

/** Feeds remembered for getFeedStatus; older ones fall back to what the report itself names. */
const REMEMBERED_FEEDS_MAX = 1_000;

function failedAll(updates: QuantityUpdate[], error: ChannelError): PushResult[] {
  return updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'failed', error }));
}

export class AmazonPusher {
  private readonly feeds = new Map<string, FeedSubmission>();
  private readonly finished = new Map<string, FeedStatus>();
  private readonly productTypes = new Map<string, string>();

  constructor(private readonly client: SpApiClient) {}

  private listingPath(sku: string): string {
    return `/listings/2021-08-01/items/${encodeURIComponent(this.client.settings.sellerId)}/${encodeURIComponent(sku)}`;
  }

  /** The product type patchListingsItem requires: from the listing reference, or read once. */
  private async productTypeOf(update: QuantityUpdate): Promise<Result<string>> {
    const known = update.listing.identifiers.productType ?? this.productTypes.get(update.listing.sku);
    if (known) return ok(known);
    const query = new URLSearchParams({ marketplaceIds: this.client.settings.marketplaceId, includedData: 'summaries' });
    const answer = await this.client.call('getListingsItem', 'GET', `${this.listingPath(update.listing.sku)}?${query}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'getListingsItem');
    if (!body.ok) return body;
    const productType = (body.value as { summaries?: Array<{ productType?: unknown }> } | null)?.summaries?.[0]?.productType;
    if (typeof productType !== 'string') return fail(invalidResponse('getListingsItem', `no summaries[0].productType for SKU ${update.listing.sku}`));
    this.productTypes.set(update.listing.sku, productType);
    return ok(productType);
  }

  async pushSingle(update: QuantityUpdate): Promise<PushResult> {
    const refused = refuseBeforeSending(update, QUANTITY_MAX);
    if (refused) return refused;
    const productType = await this.productTypeOf(update);
    if (!productType.ok) return { sku: update.listing.sku, version: update.version, status: 'failed', error: productType.error };
    const query = new URLSearchParams({ marketplaceIds: this.client.settings.marketplaceId, includedData: 'issues' });
    const answer = await this.client.call('patchListingsItem', 'PATCH', `${this.listingPath(update.listing.sku)}?${query}`, quantityPatch(productType.value, update.quantity));
    if (!answer.ok) return { sku: update.listing.sku, version: update.version, status: 'failed', error: answer.error };
    const body = parseJson(answer.value, 'patchListingsItem');
    if (!body.ok) return { sku: update.listing.sku, version: update.version, status: 'failed', error: body.error };
    return resultFromSubmission(update, body.value);
  }

  async pushFeed(updates: QuantityUpdate[]): Promise<PushResult[]> {
    const results = new Map<number, PushResult>();
    const sendable: QuantityUpdate[] = [];
    updates.forEach((update, index) => {
      const refused = refuseBeforeSending(update, QUANTITY_MAX);
      if (refused) results.set(index, refused); else sendable.push(update);
    });
    if (sendable.length > 0) {
      const submitted = await this.submitFeed(sendable);
      const outcomes = submitted.ok
        ? sendable.map((update): PushResult => ({ sku: update.listing.sku, version: update.version, status: 'accepted', submissionId: submitted.value }))
        : failedAll(sendable, submitted.error);
      let next = 0;
      updates.forEach((_update, index) => { if (!results.has(index)) results.set(index, outcomes[next++]!); });
    }
    return updates.map((_update, index) => results.get(index)!);
  }

  private async submitFeed(updates: QuantityUpdate[]): Promise<Result<string>> {
    let document: string;
    try {
      document = JSON.stringify(listingsFeedDocument(this.client.settings.sellerId, updates));
    } catch (error) {
      return fail(channelError('invalid_request', error instanceof Error ? error.message : String(error)));
    }
    const created = await this.client.call('createFeedDocument', 'POST', '/feeds/2021-06-30/documents', { contentType: FEED_CONTENT_TYPE });
    if (!created.ok) return created;
    const createdBody = parseJson(created.value, 'createFeedDocument');
    if (!createdBody.ok) return createdBody;
    const { feedDocumentId, url } = (createdBody.value ?? {}) as { feedDocumentId?: unknown; url?: unknown };
    if (typeof feedDocumentId !== 'string' || typeof url !== 'string') return fail(invalidResponse('createFeedDocument', 'no feedDocumentId and url'));
    const uploaded = await this.client.transfer('uploadFeedDocument', 'PUT', url, document, FEED_CONTENT_TYPE);
    if (!uploaded.ok) return uploaded;
    const feed = await this.client.call('createFeed', 'POST', '/feeds/2021-06-30/feeds', { feedType: LISTINGS_FEED_TYPE, marketplaceIds: [this.client.settings.marketplaceId], inputFeedDocumentId: feedDocumentId });
    if (!feed.ok) return feed;
    const feedBody = parseJson(feed.value, 'createFeed');
    if (!feedBody.ok) return feedBody;
    const feedId = (feedBody.value as { feedId?: unknown } | null)?.feedId;
    if (typeof feedId !== 'string') return fail(invalidResponse('createFeed', 'no feedId'));
    if (this.feeds.size >= REMEMBERED_FEEDS_MAX) this.feeds.delete(this.feeds.keys().next().value!);
    this.feeds.set(feedId, { skus: updates.map((update) => ({ sku: update.listing.sku, version: update.version })) });
    return ok(feedId);
  }

  async feedStatus(feedId: string): Promise<Result<FeedStatus>> {
    const done = this.finished.get(feedId);
    if (done) return ok(done);
    const answer = await this.client.call('getFeed', 'GET', `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'getFeed');
    if (!body.ok) return body;
    const feed = (body.value ?? {}) as { processingStatus?: unknown; resultFeedDocumentId?: unknown };
    const submission = this.feeds.get(feedId);
    if (feed.processingStatus === 'IN_QUEUE' || feed.processingStatus === 'IN_PROGRESS') return ok({ feedId, state: 'in_progress', results: [] });
    if (feed.processingStatus === 'CANCELLED' || feed.processingStatus === 'FATAL') {
      const error = channelError(feed.processingStatus === 'FATAL' ? 'server_error' : 'conflict', `feed ${feedId} ended ${feed.processingStatus}`);
      return this.finish({ feedId, state: 'failed', results: (submission?.skus ?? []).map(({ sku, version }) => ({ sku, version, status: 'failed', submissionId: feedId, error })) });
    }
    if (feed.processingStatus !== 'DONE' || typeof feed.resultFeedDocumentId !== 'string') return fail(invalidResponse('getFeed', `processingStatus ${String(feed.processingStatus)} without a result document`));
    const report = await this.downloadReport(feed.resultFeedDocumentId);
    // Processed, but its report refused for now (getFeedDocument allows one call per 45 s, burst
    // 10): the feed can no longer land after a newer push, so its SKUs are released as accepted —
    // what a single patchListingsItem answers too — instead of held for the 45 s the report needs.
    if (!report.ok && report.error.code === 'rate_limited') {
      return this.finish({ feedId, state: 'done', results: (submission?.skus ?? []).map(({ sku, version }) => ({ sku, version, status: 'accepted', submissionId: feedId })) });
    }
    if (!report.ok) return report;
    const results = resultsFromProcessingReport(submission, feedId, report.value);
    if (!results.ok) return fail(invalidResponse('getFeedDocument', results.message));
    return this.finish({ feedId, state: 'done', results: results.value });
  }

  private finish(status: FeedStatus): Result<FeedStatus> {
    if (this.finished.size >= REMEMBERED_FEEDS_MAX) this.finished.delete(this.finished.keys().next().value!);
    this.finished.set(status.feedId, status);
    this.feeds.delete(status.feedId);
    return ok(status);
  }

  private async downloadReport(documentId: string): Promise<Result<unknown>> {
    const answer = await this.client.call('getFeedDocument', 'GET', `/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}`);
    if (!answer.ok) return answer;
    const body = parseJson(answer.value, 'getFeedDocument');
    if (!body.ok) return body;
    const { url, compressionAlgorithm } = (body.value ?? {}) as { url?: unknown; compressionAlgorithm?: unknown };
    if (typeof url !== 'string') return fail(invalidResponse('getFeedDocument', 'no url'));
    // The shared HTTP edge reads bodies as text, which would corrupt gzip bytes: a known gap.
    if (compressionAlgorithm !== undefined) return fail(channelError('unsupported', `feed document ${documentId} is ${String(compressionAlgorithm)}-compressed, which this connector does not read yet`));
    const downloaded = await this.client.transfer('downloadFeedDocument', 'GET', url);
    if (!downloaded.ok) return downloaded;
    try {
      return ok(JSON.parse(downloaded.value.text));
    } catch {
      return fail(invalidResponse('downloadFeedDocument', 'a processing report that is not JSON'));
    }
  }
}
