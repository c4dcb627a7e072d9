/**
 * PUT/GET /v3/inventory?sku= and GET /v3/inventories (official model: inventory.json). Parents
 * are not Walmart items (a variant group is only a shared variantGroupId), so they are never
 * listed and cannot take a quantity.
 */
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxListing } from '../kit/sandbox-state.js';
import { sendApiError, walmartErrorEntry } from './walmart-sandbox-errors.js';
import { admitWalmart, SANDBOX_SHIP_NODE, type WalmartSandboxState } from './walmart-sandbox-state.js';
import { walmartShapeProblems } from './walmart-schemas.js';

/** GET /v3/inventories: "Cannot be more than 50", default 10 (official model). */
export const INVENTORIES_PAGE_SIZE_MAX = 50;
const INVENTORIES_PAGE_SIZE_DEFAULT = 10;

function invalid(res: Response, field: string, description: string): void {
  sendApiError(res, 400, walmartErrorEntry('INVALID_REQUEST_CONTENT.GMP_INVENTORY_API', field, description, 'Request content is invalid.'));
}

function notFound(res: Response, sku: string): void {
  sendApiError(res, 404, walmartErrorEntry('CONTENT_NOT_FOUND.GMP_INVENTORY_API', 'sku', `Requested content could not be found. SKU: ${sku}`, 'Requested content could not be found.', 'APPLICATION'));
}

function sellable(context: SandboxContext, sku: string): SandboxListing | undefined {
  const listing = context.state.listings.get(sku);
  return listing && !listing.isParent ? listing : undefined;
}

export function parseJsonBody(req: Request): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse((req.body as Buffer | undefined)?.toString('utf8') ?? '') };
  } catch {
    return { ok: false };
  }
}

export function installInventoryRoutes(router: Router, context: SandboxContext, walmart: WalmartSandboxState): void {
  router.put('/v3/inventory', (req, res) => {
    if (!admitWalmart(walmart, context, 'updateInventory', req, res)) return;
    const sku = typeof req.query.sku === 'string' ? req.query.sku : '';
    if (!sku) return invalid(res, 'sku', 'Query parameter sku is required');
    if (req.query.shipNode !== undefined && req.query.shipNode !== SANDBOX_SHIP_NODE) return invalid(res, 'shipNode', `shipNode ${String(req.query.shipNode)} is not a ship node of this seller`);
    const body = parseJsonBody(req);
    if (!body.ok) return invalid(res, 'body', 'Request body is not valid JSON');
    const problems = walmartShapeProblems('inventory', body.value);
    if (problems.length > 0) return invalid(res, 'body', `Inventory: ${problems.join('; ')}`);
    const inventory = body.value as { sku: string; quantity: { unit: 'EACH'; amount: number } };
    if (inventory.sku !== sku) return invalid(res, 'sku', `body sku ${inventory.sku} does not match query sku ${sku}`);
    if (!Number.isInteger(inventory.quantity.amount) || inventory.quantity.amount < 0) return invalid(res, 'quantity.amount', 'quantity.amount must be a whole number of at least 0');
    const listing = sellable(context, sku);
    if (!listing) return notFound(res, sku);
    listing.quantity = inventory.quantity.amount;
    listing.revisionsToday += 1;
    listing.updatedAtMs = context.nowMs();
    res.json({ sku, quantity: { unit: 'EACH', amount: listing.quantity } });
  });

  router.get('/v3/inventory', (req, res) => {
    if (!admitWalmart(walmart, context, 'getInventories', req, res)) return;
    const sku = typeof req.query.sku === 'string' ? req.query.sku : '';
    if (!sku) return invalid(res, 'sku', 'Query parameter sku is required');
    const listing = sellable(context, sku);
    if (!listing) return notFound(res, sku);
    res.json({ sku, quantity: { unit: 'EACH', amount: listing.quantity } });
  });

  router.get('/v3/inventories', (req, res) => {
    if (!admitWalmart(walmart, context, 'getInventories', req, res)) return;
    const limitText = req.query.limit === undefined ? String(INVENTORIES_PAGE_SIZE_DEFAULT) : String(req.query.limit);
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > INVENTORIES_PAGE_SIZE_MAX) return invalid(res, 'limit', `limit must be a whole number from 1 to ${INVENTORIES_PAGE_SIZE_MAX}, got ${limitText}`);
    let after = '';
    if (req.query.nextCursor !== undefined) {
      const decoded = Buffer.from(String(req.query.nextCursor), 'base64').toString('utf8');
      if (!decoded.startsWith('after:')) return invalid(res, 'nextCursor', 'nextCursor is not one this API issued');
      after = decoded.slice('after:'.length);
    }
    const all = context.state.sortedListings().filter((listing) => !listing.isParent);
    const remaining = all.filter((listing) => listing.sku > after);
    const page = remaining.slice(0, limit);
    const meta: Record<string, unknown> = { totalCount: all.length };
    // The cursor names the last SKU served, so inserts between pages neither repeat nor skip.
    if (remaining.length > page.length) meta.nextCursor = Buffer.from(`after:${page[page.length - 1]!.sku}`).toString('base64');
    res.json({
      meta,
      elements: {
        inventories: page.map((listing) => ({
          sku: listing.sku,
          nodes: [{
            shipNode: SANDBOX_SHIP_NODE,
            inputQty: { unit: 'EACH', amount: listing.quantity },
            availToSellQty: { unit: 'EACH', amount: listing.quantity },
            reservedQty: { unit: 'EACH', amount: 0 },
          }],
        })),
      },
    });
  });
}
