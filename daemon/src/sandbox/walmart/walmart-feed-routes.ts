/**
 * The asynchronous inventory feed: POST /v3/feeds?feedType=inventory (multipart `file`, official
 * model updateBulkInventory) answers a feedId at once; processing happens later (context.later),
 * and GET /v3/feeds/{feedId}?includeDetails=true reports per-item ingestion status.
 */
import { randomBytes } from 'node:crypto';
import type { Response, Router } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { readMultipartField } from './multipart.js';
import { sendApiError, walmartErrorEntry } from './walmart-sandbox-errors.js';
import { admitWalmart, SANDBOX_FEEDS_MAX, type SandboxFeed, type WalmartSandboxState } from './walmart-sandbox-state.js';
import { walmartShapeProblems } from './walmart-schemas.js';

/** Feed file size: 5 MB (Walmart's bulk-inventory guide); HTTP 413 above it. */
export const FEED_FILE_BYTES_MAX = 5 * 1024 * 1024;
/** Feed-status item details per page: "Cannot be greater than 1000", default 50 (official model). */
const FEED_DETAILS_PAGE_SIZE_MAX = 1000;
const FEED_DETAILS_PAGE_SIZE_DEFAULT = 50;

function invalid(res: Response, field: string, description: string): void {
  sendApiError(res, 400, walmartErrorEntry('INVALID_REQUEST_CONTENT.GMP_FEED_API', field, description, 'Request content is invalid.'));
}

function processFeed(feed: SandboxFeed, context: SandboxContext): void {
  for (const item of feed.items) {
    const listing = context.state.listings.get(item.sku);
    if (!listing || listing.isParent) {
      item.status = 'DATA_ERROR';
      item.error = { type: 'DATA_ERROR', code: 'ERR_EXT_DATA_0100001', description: `SKU ${item.sku} is not an item of this seller` };
      continue;
    }
    listing.quantity = item.amount;
    listing.revisionsToday += 1;
    listing.updatedAtMs = context.nowMs();
    item.status = 'SUCCESS';
  }
  feed.status = 'PROCESSED';
}

export function installFeedRoutes(router: Router, context: SandboxContext, walmart: WalmartSandboxState): void {
  router.post('/v3/feeds', (req, res) => {
    if (!admitWalmart(walmart, context, 'inventoryFeed', req, res)) return;
    const feedType = String(req.query.feedType ?? '');
    if (feedType !== 'inventory' && feedType !== 'MP_INVENTORY') return invalid(res, 'feedType', `feedType must be inventory or MP_INVENTORY in this sandbox, got ${feedType || '(none)'}`);
    const raw = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    if (raw.length > FEED_FILE_BYTES_MAX) return sendApiError(res, 413, walmartErrorEntry('REQUEST_ENTITY_TOO_LARGE.GMP_FEED_API', 'file', `Feed file exceeds ${FEED_FILE_BYTES_MAX} bytes`, 'Request entity too large.'));
    const file = readMultipartField(raw, req.get('content-type'), 'file');
    if (!file.ok) return invalid(res, 'file', file.reason);
    let content: unknown;
    try {
      content = JSON.parse(file.value.toString('utf8'));
    } catch {
      return invalid(res, 'file', 'Feed file is not valid JSON');
    }
    const problems = walmartShapeProblems(feedType === 'inventory' ? 'inventoryFeedV14' : 'inventoryFeedV15', content);
    if (problems.length > 0) return invalid(res, 'file', `Inventory feed: ${problems.join('; ')}`);
    const items = feedType === 'inventory'
      ? (content as { Inventory: Array<{ sku: string; quantity: { amount: number } }> }).Inventory.map((entry) => ({ sku: entry.sku, amount: entry.quantity.amount }))
      : (content as { inventory: Array<{ sku: string; shipNodes: Array<{ quantity: { amount: number } }> }> }).inventory.map((entry) => ({ sku: entry.sku, amount: entry.shipNodes.reduce((sum, node) => sum + node.quantity.amount, 0) }));
    const feedId = `${randomBytes(16).toString('hex').toUpperCase()}@AQMBCgA`;
    if (walmart.feeds.size >= SANDBOX_FEEDS_MAX) walmart.feeds.delete(walmart.feeds.keys().next().value as string);
    const feed: SandboxFeed = { feedId, feedType, status: 'RECEIVED', submittedAtMs: context.nowMs(), items: items.map((item) => ({ ...item, status: 'INPROGRESS' })) };
    walmart.feeds.set(feedId, feed);
    context.later(() => processFeed(feed, context));
    res.json({ feedId, additionalAttributes: null, errors: null });
  });

  router.get('/v3/feeds/:feedId', (req, res) => {
    if (!admitWalmart(walmart, context, 'getFeedStatus', req, res)) return;
    const feed = walmart.feeds.get(req.params.feedId);
    if (!feed) return sendApiError(res, 404, walmartErrorEntry('CONTENT_NOT_FOUND.GMP_FEED_API', 'feedId', `Feed ${req.params.feedId} was not found`, 'Requested content could not be found.', 'APPLICATION'));
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    const limit = req.query.limit === undefined ? FEED_DETAILS_PAGE_SIZE_DEFAULT : Number(req.query.limit);
    if (!Number.isInteger(offset) || offset < 0) return invalid(res, 'offset', 'offset must be a whole number of at least 0');
    if (!Number.isInteger(limit) || limit < 1 || limit > FEED_DETAILS_PAGE_SIZE_MAX) return invalid(res, 'limit', `limit must be a whole number from 1 to ${FEED_DETAILS_PAGE_SIZE_MAX}`);
    const count = (status: string) => feed.items.filter((item) => item.status === status).length;
    const body: Record<string, unknown> = {
      feedId: feed.feedId,
      feedStatus: feed.status,
      itemsReceived: feed.items.length,
      itemsSucceeded: count('SUCCESS'),
      itemsFailed: count('DATA_ERROR'),
      itemsProcessing: count('INPROGRESS'),
      offset,
      limit,
    };
    if (req.query.includeDetails === 'true') {
      body.itemDetails = {
        itemIngestionStatus: feed.items.slice(offset, offset + limit).map((item, index) => ({
          martId: 0,
          sku: item.sku,
          index: offset + index,
          ingestionStatus: item.status,
          ...(item.error ? { ingestionErrors: { ingestionError: [item.error] } } : {}),
        })),
      };
    }
    res.json(body);
  });
}
