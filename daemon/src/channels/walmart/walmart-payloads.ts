/**
 * Pure mapping between Shelfguard's vocabulary and Walmart's inventory and feed payloads. Every
 * answer from Walmart is checked here with a schema, and a mismatch names what was wrong.
 */
import { z } from 'zod';
import { channelError, fail, ok, type ChannelQuantity, type PushResult, type QuantityUpdate, type Result } from '../channel.js';

/** Body of PUT /v3/inventory?sku= (official model: Inventory). */
export function inventoryBody(update: QuantityUpdate): string {
  return JSON.stringify({ sku: update.listing.sku, quantity: { unit: 'EACH', amount: update.quantity } });
}

/** The file of an inventory feed, spec version 1.4 (the official model's `json1` example). */
export function inventoryFeedFile(updates: QuantityUpdate[]): string {
  return JSON.stringify({
    InventoryHeader: { version: '1.4' },
    Inventory: updates.map((update) => ({ sku: update.listing.sku, quantity: { unit: 'EACH', amount: update.quantity } })),
  });
}

/**
 * The multipart/form-data body of POST /v3/feeds: the official model declares one binary field
 * named `file`. Built by hand so the exact bytes are known and testable.
 */
export function multipartFeedBody(file: string, boundary: string): { body: string; contentType: string } {
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="inventory.json"\r\nContent-Type: application/json\r\n\r\n${file}\r\n--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

const quantitySchema = z.object({ unit: z.string(), amount: z.number() });
const inventoriesPageSchema = z.object({
  meta: z.object({ totalCount: z.number().optional(), nextCursor: z.string().optional() }).optional(),
  elements: z.object({
    inventories: z.array(z.object({
      sku: z.string().min(1),
      nodes: z.array(z.object({ shipNode: z.string().optional(), inputQty: quantitySchema.optional(), availToSellQty: quantitySchema.optional() })).default([]),
    })).default([]),
  }).optional(),
});

export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/**
 * One page of GET /v3/inventories. A SKU's quantity is its input quantity at the configured ship
 * node, or, when none is configured, the sum over its nodes (a single-node seller's only node).
 */
export function parseInventoriesPage(body: unknown, shipNode: string | undefined): Result<{ items: ChannelQuantity[]; nextCursor?: string }> {
  const parsed = inventoriesPageSchema.safeParse(body);
  if (!parsed.success) return fail(channelError('invalid_response', `GET /v3/inventories answered an unexpected shape: ${describeIssues(parsed.error)}`));
  const items: ChannelQuantity[] = [];
  for (const inventory of parsed.data.elements?.inventories ?? []) {
    const nodes = shipNode === undefined ? inventory.nodes : inventory.nodes.filter((node) => node.shipNode === shipNode);
    if (nodes.length === 0) continue;
    const quantity = nodes.reduce((sum, node) => sum + (node.inputQty?.amount ?? 0), 0);
    const listing = { sku: inventory.sku, identifiers: {}, ...(shipNode ? { channelLocationId: shipNode } : {}) };
    items.push({ listing, quantity });
  }
  const nextCursor = parsed.data.meta?.nextCursor;
  // Walmart keeps a cursor on the last page too; an empty page ends the walk.
  return ok(nextCursor && items.length > 0 ? { items, nextCursor } : { items });
}

const ingestionStatusSchema = z.object({
  sku: z.string().optional(),
  index: z.number().int().optional(),
  ingestionStatus: z.enum(['INPROGRESS', 'SUCCESS', 'DATA_ERROR', 'SYSTEM_ERROR', 'TIMEOUT_ERROR']),
  ingestionErrors: z.object({ ingestionError: z.array(z.object({ type: z.string(), code: z.string(), description: z.string().optional() })).optional() }).nullish(),
});
const feedStatusSchema = z.object({
  feedId: z.string(),
  feedStatus: z.enum(['RECEIVED', 'INPROGRESS', 'PROCESSED', 'ERROR']),
  itemsReceived: z.number().int().nonnegative().optional(),
  offset: z.number().int().optional(),
  limit: z.number().int().optional(),
  itemDetails: z.object({ itemIngestionStatus: z.array(ingestionStatusSchema).default([]) }).nullish(),
});

export interface FeedStatusPage {
  feedId: string;
  state: 'in_progress' | 'done' | 'failed';
  itemsReceived: number;
  results: PushResult[];
}

/** One page of GET /v3/feeds/{feedId}?includeDetails=true as per-SKU push results. */
export function parseFeedStatusPage(body: unknown, versions: ReadonlyMap<string, number>): Result<FeedStatusPage> {
  const parsed = feedStatusSchema.safeParse(body);
  if (!parsed.success) return fail(channelError('invalid_response', `GET /v3/feeds/{feedId} answered an unexpected shape: ${describeIssues(parsed.error)}`));
  const feed = parsed.data;
  const state = feed.feedStatus === 'PROCESSED' ? 'done' : feed.feedStatus === 'ERROR' ? 'failed' : 'in_progress';
  const results: PushResult[] = (feed.itemDetails?.itemIngestionStatus ?? []).map((item) => {
    const sku = item.sku ?? `#${item.index ?? '?'}`;
    const base = { sku, version: versions.get(sku) ?? 0, submissionId: feed.feedId };
    if (item.ingestionStatus === 'SUCCESS') return { ...base, status: 'applied' as const };
    if (item.ingestionStatus === 'INPROGRESS') return { ...base, status: 'accepted' as const };
    const first = item.ingestionErrors?.ingestionError?.[0];
    const retryable = item.ingestionStatus !== 'DATA_ERROR';
    const error = channelError(retryable ? 'server_error' : 'invalid_request', `feed ${feed.feedId} item ${sku}: ${item.ingestionStatus}${first ? ` ${first.code}: ${first.description ?? ''}` : ''}`, first ? { marketplaceCode: first.code } : {});
    return { ...base, status: 'failed' as const, error };
  });
  return ok({ feedId: feed.feedId, state, itemsReceived: feed.itemsReceived ?? results.length, results });
}

const feedIdSchema = z.object({ feedId: z.string().min(1) });

export function parseFeedId(body: unknown): Result<string> {
  const parsed = feedIdSchema.safeParse(body);
  if (!parsed.success) return fail(channelError('invalid_response', `POST /v3/feeds answered without a feedId: ${describeIssues(parsed.error)}`));
  return ok(parsed.data.feedId);
}
