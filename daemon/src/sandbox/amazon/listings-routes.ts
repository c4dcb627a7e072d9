/**
 * Listings Items API 2021-08-01: patchListingsItem (asynchronous: ACCEPTED now, applied after
 * asyncDelayMs), getListingsItem and searchListingsItems (pageSize ≤ 20, pageToken, and no paging
 * past the 1,000 items the model documents). Bodies are validated against the official model.
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { AccessTokens } from './auth.js';
import { applyQuantity, itemOf, LISTING_INCLUDED_DATA, planQuantityPatch, type PatchLike } from './listing-model.js';
import { checkDateTime, checkEnumList, checkMarketplaceIds, checkSeller, pageToken, queryList, queryText, readPageToken } from './params.js';
import { sendErrors, sendInvalidInput, sendJson } from './responses.js';
import { schemaProblems } from './schema-validator.js';

const BASE = '/listings/2021-08-01/items/:sellerId';
const SEARCH_PAGE_SIZE_DEFAULT = 10;
const SEARCH_PAGE_SIZE_MAX = 20;
/** "The maximum number of items (SKUs) that can be returned and paged through is 1000." */
const SEARCH_RESULTS_PAGEABLE_MAX = 1000;
const JSON_BODY_BYTES_MAX = '10mb';

export function installListingsRoutes(app: Express, context: SandboxContext, tokens: AccessTokens): void {
  const { state } = context;
  const marketplaceId = () => context.credentials.marketplace_id!;

  // Amazon answers 415 for a body that is not JSON, before it looks at the body.
  const requireJson = (req: Request, res: Response, next: () => void) => (req.is('application/json') ? next() : sendErrors(res, 415, [{ code: 'UnsupportedMediaType', message: 'The request content type must be application/json.' }]));
  app.patch(`${BASE}/:sku`, tokens.require(context), requireJson, express.json({ limit: JSON_BODY_BYTES_MAX, type: () => true }), (req: Request, res: Response) => {
    if (!context.admit('patchListingsItem', res)) return;
    if (!checkSeller(req, res, context) || !checkMarketplaceIds(req, res, context)) return;
    if (!checkEnumList(res, 'includedData', queryList(req, 'includedData'), ['identifiers', 'issues'])) return;
    const mode = queryText(req, 'mode');
    if (mode !== undefined && mode !== 'VALIDATION_PREVIEW') return sendInvalidInput(res, `Invalid value '${mode}' for parameter mode.`);
    const problems = schemaProblems('listings-items-2021-08-01', 'ListingsItemPatchRequest', req.body);
    if (problems.length > 0) return sendInvalidInput(res, 'Request body does not match ListingsItemPatchRequest.', problems.join('; '));
    const body = req.body as { productType: string; patches: PatchLike[] };
    const sku = String(req.params.sku);
    const plan = planQuantityPatch(state.listings.get(sku), sku, body.productType, body.patches);
    const submissionId = randomBytes(16).toString('hex');
    const rate = context.options.rateLimits === 'documented' ? 5 : undefined;
    if (plan.issues.some((issue) => issue.severity === 'ERROR')) return sendJson(res, 200, { sku, status: 'INVALID', submissionId, issues: plan.issues }, rate);
    if (mode === 'VALIDATION_PREVIEW') return sendJson(res, 200, { sku, status: 'VALID', submissionId, issues: plan.issues }, rate);
    if (plan.quantity !== undefined) {
      const quantity = plan.quantity;
      context.later(() => applyQuantity(state, sku, quantity, context.nowMs()));
    }
    sendJson(res, 200, { sku, status: 'ACCEPTED', submissionId, issues: plan.issues }, rate);
  });

  app.get(`${BASE}/:sku`, tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getListingsItem', res)) return;
    if (!checkSeller(req, res, context) || !checkMarketplaceIds(req, res, context)) return;
    const included = queryList(req, 'includedData') ?? ['summaries'];
    if (!checkEnumList(res, 'includedData', included, LISTING_INCLUDED_DATA)) return;
    const listing = state.listings.get(String(req.params.sku));
    if (!listing) return sendErrors(res, 404, [{ code: 'NOT_FOUND', message: `SKU '${String(req.params.sku)}' not found in marketplace ${marketplaceId()}` }]);
    sendJson(res, 200, itemOf(listing, state, marketplaceId(), included));
  });

  app.get(BASE, tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('searchListingsItems', res)) return;
    if (!checkSeller(req, res, context) || !checkMarketplaceIds(req, res, context)) return;
    const included = queryList(req, 'includedData') ?? ['summaries'];
    if (!checkEnumList(res, 'includedData', included, LISTING_INCLUDED_DATA)) return;
    const sortBy = queryText(req, 'sortBy') ?? 'lastUpdatedDate';
    const sortOrder = queryText(req, 'sortOrder') ?? 'DESC';
    if (!checkEnumList(res, 'sortBy', [sortBy], ['sku', 'createdDate', 'lastUpdatedDate']) || !checkEnumList(res, 'sortOrder', [sortOrder], ['ASC', 'DESC'])) return;
    for (const name of ['createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore']) if (!checkDateTime(res, name, queryText(req, name))) return;
    const pageSizeText = queryText(req, 'pageSize');
    const pageSize = pageSizeText === undefined ? SEARCH_PAGE_SIZE_DEFAULT : Number(pageSizeText);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SEARCH_PAGE_SIZE_MAX) return sendInvalidInput(res, `Invalid pageSize '${pageSizeText}'. pageSize must be an integer from 1 to ${SEARCH_PAGE_SIZE_MAX}.`);
    const identifiers = queryList(req, 'identifiers');
    if (identifiers && identifiers.length > 20) return sendInvalidInput(res, 'identifiers accepts at most 20 values.');
    const identifiersType = queryText(req, 'identifiersType');
    if (identifiers && !identifiersType) return sendInvalidInput(res, "Missing required parameter 'identifiersType' when 'identifiers' is provided.");
    const variationParentSku = queryText(req, 'variationParentSku');
    const lastUpdatedAfter = queryText(req, 'lastUpdatedAfter');
    let matches = state.sortedListings().filter((listing) =>
      (!identifiers || identifiers.includes(identifiersType === 'ASIN' ? listing.identifiers.asin ?? '' : listing.sku))
      && (!variationParentSku || listing.parentSku === variationParentSku)
      && (!lastUpdatedAfter || listing.updatedAtMs >= Date.parse(lastUpdatedAfter)));
    if (sortBy !== 'sku') matches = [...matches].sort((a, b) => a.updatedAtMs - b.updatedAtMs || (a.sku < b.sku ? -1 : 1));
    if (sortOrder === 'DESC') matches = [...matches].reverse();
    const fingerprint = [variationParentSku, identifiers?.join(','), sortBy, sortOrder, lastUpdatedAfter].join('|');
    const offset = readPageToken(queryText(req, 'pageToken'), fingerprint);
    if (offset === 'invalid') return sendInvalidInput(res, 'Invalid pageToken.', 'The pageToken is malformed or does not belong to this search.');
    const pageable = matches.slice(0, SEARCH_RESULTS_PAGEABLE_MAX);
    const page = pageable.slice(offset, offset + pageSize);
    const next = offset + pageSize < pageable.length ? pageToken(offset + pageSize, fingerprint) : undefined;
    const previous = offset > 0 ? pageToken(Math.max(0, offset - pageSize), fingerprint) : undefined;
    const pagination = next || previous ? { ...(next ? { nextToken: next } : {}), ...(previous ? { previousToken: previous } : {}) } : undefined;
    sendJson(res, 200, { numberOfResults: matches.length, ...(pagination ? { pagination } : {}), items: page.map((listing) => itemOf(listing, state, marketplaceId(), included)) });
  });
}
