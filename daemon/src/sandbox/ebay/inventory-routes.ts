/**
 * The Inventory API routes the connector and independent clients use: bulkUpdatePriceQuantity,
 * getInventoryItems, bulkGetInventoryItem and getInventoryItemGroup, at eBay's paths, validated
 * against the official model, with eBay's documented rules the model does not express
 * (≤25 entries, unique SKUs and offer ids, offers belonging to their SKU, 250 revisions a day).
 */
import type { Express, Request, Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxListing } from '../kit/sandbox-state.js';
import type { EbayAuth } from './ebay-auth.js';
import { inventoryError, sendErrors, type EbayError } from './ebay-errors.js';
import type { EbayStore } from './ebay-store.js';
import { rawBody, readJsonBody } from './json-body.js';
import { schemaProblem } from './schema-validation.js';

const BASE = '/sell/inventory/v1';
export const INVENTORY_BATCH_MAX = 25;
const PAGE_SIZE_DEFAULT = 25;
const PAGE_SIZE_MAX = 200;

interface PriceQuantity { sku?: string; shipToLocationAvailability?: { quantity?: number }; offers?: Array<{ offerId?: string; availableQuantity?: number }> }

/** A listing the Inventory API manages: not a group (parent) and not a legacy Trading listing. */
export function inventoryItem(context: SandboxContext, sku: string | undefined): SandboxListing | undefined {
  const listing = sku === undefined ? undefined : context.state.listings.get(sku);
  return listing && !listing.isParent && listing.identifiers.tradingItemId === undefined ? listing : undefined;
}

export function inventoryItemBody(listing: SandboxListing): Record<string, unknown> {
  return {
    sku: listing.sku,
    locale: 'en_US',
    condition: 'NEW',
    // eBay returns aspects as an object, but its OAS types `aspects` as a string; the sandbox
    // leaves it out so that its answers validate against the official model.
    product: { title: `Sandbox item ${listing.sku}` },
    availability: { shipToLocationAvailability: { quantity: listing.quantity } },
    ...(listing.parentSku ? { inventoryItemGroupKeys: [listing.parentSku], groupIds: [listing.identifiers.listingId ?? ''] } : {}),
  };
}

function notAvailable(sku: string): EbayError {
  return inventoryError(25702, `SKU ${sku} is not available in the system`, [{ name: 'sku', value: sku }]);
}

function requestProblem(requests: PriceQuantity[]): string | undefined {
  if (requests.length === 0 || requests.length > INVENTORY_BATCH_MAX) return `requests. It must hold 1 to ${INVENTORY_BATCH_MAX} entries, got ${requests.length}`;
  const offerIds = new Set<string>();
  for (const [index, entry] of requests.entries()) {
    if (!entry.sku) return `requests[${index}].sku. It is required`;
    if (entry.shipToLocationAvailability === undefined && entry.offers === undefined) return `requests[${index}]. It needs shipToLocationAvailability or offers`;
    const quantity = entry.shipToLocationAvailability?.quantity;
    if (quantity !== undefined && quantity < 0) return `requests[${index}].shipToLocationAvailability.quantity. It must not be negative`;
    for (const offer of entry.offers ?? []) {
      if (!offer.offerId) return `requests[${index}].offers.offerId. It is required`;
      if (offerIds.has(offer.offerId)) return `offerId. Duplicate offerId ${offer.offerId} in the request`;
      offerIds.add(offer.offerId);
      if (offer.availableQuantity !== undefined && offer.availableQuantity < 0) return `requests[${index}].offers.availableQuantity. It must not be negative`;
    }
  }
  return undefined;
}

export function installInventoryRoutes(app: Express, context: SandboxContext, auth: EbayAuth, store: EbayStore): void {
  app.post(`${BASE}/bulk_update_price_quantity`, rawBody, (req: Request, res: Response) => {
    if (!context.admit('bulkUpdatePriceQuantity', res) || !auth.requireBearer(req, res, ['user'])) return;
    const body = readJsonBody(req, res);
    if (!body.ok) return;
    const problem = schemaProblem('BulkPriceQuantity', body.value) ?? requestProblem(((body.value as { requests?: PriceQuantity[] }).requests) ?? []);
    if (problem) return sendErrors(res, 400, [inventoryError(25709, `Invalid value for ${problem}.`)]);
    const responses = ((body.value as { requests: PriceQuantity[] }).requests).flatMap((entry) => applyPriceQuantity(entry, context, store));
    res.status(responses.every((entry) => entry.statusCode === 200) ? 200 : 207).json({ responses });
  });

  app.get(`${BASE}/inventory_item`, (req: Request, res: Response) => {
    if (!context.admit('getInventoryItems', res) || !auth.requireBearer(req, res, ['user'])) return;
    const limit = req.query.limit === undefined ? PAGE_SIZE_DEFAULT : Number(req.query.limit);
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_SIZE_MAX || !Number.isInteger(offset) || offset < 0) {
      return sendErrors(res, 400, [inventoryError(25706, `You have provided invalid pagination values. limit must be 1 to ${PAGE_SIZE_MAX} and offset a page number from 0.`)]);
    }
    const items = context.state.sortedListings().filter((listing) => inventoryItem(context, listing.sku));
    // offset is a page number here, not an item count (getInventoryItems' own definition).
    const page = items.slice(offset * limit, offset * limit + limit);
    const link = (pageNumber: number) => `${BASE}/inventory_item?limit=${limit}&offset=${pageNumber}`;
    res.json({
      href: link(offset),
      ...((offset + 1) * limit < items.length ? { next: link(offset + 1) } : {}),
      ...(offset > 0 ? { prev: link(offset - 1) } : {}),
      limit,
      size: page.length,
      total: items.length,
      inventoryItems: page.map(inventoryItemBody),
    });
  });

  app.post(`${BASE}/bulk_get_inventory_item`, rawBody, (req: Request, res: Response) => {
    if (!context.admit('bulkGetInventoryItem', res) || !auth.requireBearer(req, res, ['user'])) return;
    const body = readJsonBody(req, res);
    if (!body.ok) return;
    const problem = schemaProblem('BulkGetInventoryItem', body.value);
    if (problem) return sendErrors(res, 400, [inventoryError(25709, `Invalid request. Invalid value for field ${problem}`)]);
    const requests = (body.value as { requests?: Array<{ sku?: string }> }).requests ?? [];
    if (requests.length === 0 || requests.length > INVENTORY_BATCH_MAX) return sendErrors(res, 400, [inventoryError(25727, `The number of InventoryItems in the request cannot exceed ${INVENTORY_BATCH_MAX}.`)]);
    if (requests.some((entry) => !entry.sku)) return sendErrors(res, 400, [inventoryError(25708, 'Invalid SKU.')]);
    if (new Set(requests.map((entry) => entry.sku)).size !== requests.length) return sendErrors(res, 400, [inventoryError(25734, 'SKU should be unique in the request.')]);
    const responses = requests.map(({ sku }) => {
      const listing = inventoryItem(context, sku);
      return listing ? { statusCode: 200, sku, inventoryItem: inventoryItemBody(listing) } : { statusCode: 404, sku, errors: [notAvailable(sku!)] };
    });
    res.status(responses.every((entry) => entry.statusCode === 200) ? 200 : 207).json({ responses });
  });

  app.get(`${BASE}/inventory_item_group/:inventoryItemGroupKey`, (req: Request, res: Response) => {
    if (!context.admit('getInventoryItemGroup', res) || !auth.requireBearer(req, res, ['user'])) return;
    const key = String(req.params.inventoryItemGroupKey);
    const group = context.state.listings.get(key);
    if (!group?.isParent) return sendErrors(res, 400, [inventoryError(25705, `The Inventory Item Group named ${key} could not be found or is not available in the system.`)]);
    const members = context.state.sortedListings().filter((listing) => listing.parentSku === key);
    const aspects = new Map<string, Set<string>>();
    for (const member of members) for (const [name, value] of Object.entries(member.attributes)) aspects.set(name, (aspects.get(name) ?? new Set()).add(value));
    res.json({
      inventoryItemGroupKey: key,
      title: `Sandbox group ${key}`,
      variantSKUs: members.map((member) => member.sku),
      variesBy: { aspectsImageVariesBy: [...aspects.keys()].slice(0, 1), specifications: [...aspects].map(([name, values]) => ({ name, values: [...values] })) },
    });
  });
}

/** One entry of bulkUpdatePriceQuantity: one response per offer, or one for the SKU alone. */
function applyPriceQuantity(entry: PriceQuantity, context: SandboxContext, store: EbayStore): Array<Record<string, unknown>> {
  const sku = entry.sku!;
  const offers = entry.offers ?? [];
  const answer = (statusCode: number, errors?: EbayError[]) => (offers.length > 0 ? offers : [{}]).map((offer) => ({ statusCode, sku, ...(offer.offerId ? { offerId: offer.offerId } : {}), ...(errors ? { errors } : {}) }));
  const listing = inventoryItem(context, sku);
  if (!listing) return answer(404, [notAvailable(sku)]);
  const foreign = offers.find((offer) => offer.offerId !== listing.identifiers.offerId);
  if (foreign) return answer(400, [inventoryError(25713, `This Offer is not available: offer ${foreign.offerId} does not belong to SKU ${sku}.`)]);
  if (!store.takeRevision(listing, context)) {
    return answer(400, [{ ...inventoryError(25002, 'Any User error. This listing has reached the maximum of 250 revisions in one calendar day; the seller is blocked from revising it until the next calendar day.'), category: 'BUSINESS' }]);
  }
  // The listing shows the smaller of the ship-to-home quantity and the offer's available quantity.
  const shipTo = entry.shipToLocationAvailability?.quantity;
  const offerQuantity = offers[0]?.availableQuantity;
  const candidates = [shipTo, offerQuantity].filter((value): value is number => value !== undefined);
  if (candidates.length > 0) listing.quantity = Math.min(...candidates);
  listing.updatedAtMs = context.nowMs();
  return answer(200);
}
