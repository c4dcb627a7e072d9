/**
 * The Trading API endpoint (POST /ws/api.dll) for ReviseInventoryStatus. No machine-readable
 * model is saved (only eBay's multi-megabyte WSDL exists), so the checks follow the call's
 * reference page as summarised in shared/marketplaces.md §2.2 C: the X-EBAY-API-* headers, an
 * OAuth token in X-EBAY-API-IAF-TOKEN, 1 to 4 InventoryStatus nodes naming an ItemID (and the
 * variation SKU for a multi-variation listing) with a non-negative Quantity. Answers are XML
 * with Ack and Errors, over HTTP 200, as Trading answers even its failures.
 */
import type { Express, Request, Response } from 'express';
import express from 'express';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxListing } from '../kit/sandbox-state.js';
import type { EbayAuth } from './ebay-auth.js';
import type { EbayStore } from './ebay-store.js';

export const TRADING_BATCH_MAX = 4;
const NAMESPACE = 'urn:ebay:apis:eBLBaseComponents';
const TRADING_BODY_BYTES_MAX = 256_000;

export interface TradingErrorNode { code: string; shortMessage: string; longMessage: string; parameter?: string; classification?: 'RequestError' | 'SystemError' }

/** Error codes: 2 unsupported call, 37 invalid input, 17 item not accessible, 931 and 21916984 token,
 * 518 call limit, 10007 internal error (eBay's Trading error list). The two below are UNCERTAIN:
 * eBay's exact codes for these refusals are not in our sources. */
const INVENTORY_MANAGED_CODE = '21919474';
const REVISION_LIMIT_CODE = '21919165';

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'InventoryStatus' });
const builder = new XMLBuilder({ ignoreAttributes: false, format: false, suppressEmptyNode: true });

export function tradingXml(callName: string, ack: string, content: Record<string, unknown>, errors: TradingErrorNode[]): string {
  const body = {
    [`${callName}Response`]: {
      '@_xmlns': NAMESPACE,
      Timestamp: new Date().toISOString(),
      Ack: ack,
      ...(errors.length > 0 ? {
        Errors: errors.map((error) => ({
          ShortMessage: error.shortMessage,
          LongMessage: error.longMessage,
          ErrorCode: error.code,
          SeverityCode: 'Error',
          ...(error.parameter ? { ErrorParameters: { '@_ParamID': '0', Value: error.parameter } } : {}),
          ErrorClassification: error.classification ?? 'RequestError',
        })),
      } : {}),
      Version: '1451',
      Build: 'E1451_CORE_API_SANDBOX',
      ...content,
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(body) as string}`;
}

export function sendTrading(res: Response, status: number, callName: string, ack: string, content: Record<string, unknown>, errors: TradingErrorNode[]): void {
  res.status(status).type('text/xml').send(tradingXml(callName, ack, content, errors));
}

const inputError = (longMessage: string, parameter?: string): TradingErrorNode => ({ code: '37', shortMessage: 'Input data is invalid.', longMessage, ...(parameter ? { parameter } : {}) });

function findListing(context: SandboxContext, itemId: string, sku: string | undefined): SandboxListing | undefined {
  for (const listing of context.state.listings.values()) {
    const matchesItem = listing.identifiers.tradingItemId === itemId || listing.identifiers.listingId === itemId;
    if (matchesItem && !listing.isParent && (sku === undefined || listing.sku === sku)) return listing;
  }
  return undefined;
}

export function installTradingRoute(app: Express, context: SandboxContext, auth: EbayAuth, store: EbayStore): void {
  app.post('/ws/api.dll', express.text({ type: () => true, limit: TRADING_BODY_BYTES_MAX }), (req: Request, res: Response) => {
    const callName = String(req.headers['x-ebay-api-call-name'] ?? '');
    if (callName !== 'ReviseInventoryStatus') {
      return sendTrading(res, 200, callName || 'Generic', 'Failure', {}, [{ code: '2', shortMessage: 'Unsupported API call.', longMessage: `The API call "${callName}" is invalid or not supported in this release.` }]);
    }
    if (!context.admit('ReviseInventoryStatus', res)) return;
    if (!req.headers['x-ebay-api-siteid'] || !req.headers['x-ebay-api-compatibility-level']) {
      return sendTrading(res, 200, callName, 'Failure', {}, [inputError('The X-EBAY-API-SITEID and X-EBAY-API-COMPATIBILITY-LEVEL headers are required.')]);
    }
    const iaf = req.headers['x-ebay-api-iaf-token'];
    if (typeof iaf !== 'string' || auth.check(iaf) !== 'user') {
      return sendTrading(res, 200, callName, 'Failure', {}, [{ code: '21916984', shortMessage: 'Invalid IAF token.', longMessage: 'IAF token supplied is invalid.' }]);
    }
    let statuses: Array<Record<string, unknown>>;
    try {
      const document = parser.parse(typeof req.body === 'string' ? req.body : '') as Record<string, Record<string, unknown> | undefined>;
      const root = document.ReviseInventoryStatusRequest;
      if (!root || root['@_xmlns'] !== NAMESPACE) throw new Error('root');
      statuses = (root.InventoryStatus as Array<Record<string, unknown>> | undefined) ?? [];
    } catch {
      return sendTrading(res, 200, callName, 'Failure', {}, [inputError(`The request must be a ReviseInventoryStatusRequest in namespace ${NAMESPACE}.`)]);
    }
    if (statuses.length === 0 || statuses.length > TRADING_BATCH_MAX) {
      return sendTrading(res, 200, callName, 'Failure', {}, [inputError(`Between 1 and ${TRADING_BATCH_MAX} InventoryStatus containers are allowed, got ${statuses.length}.`, 'InventoryStatus')]);
    }
    const echoed: Array<Record<string, unknown>> = [];
    const errors: TradingErrorNode[] = [];
    for (const status of statuses) {
      const outcome = reviseOne(status, context, store);
      if ('error' in outcome) errors.push(outcome.error);
      else echoed.push(outcome.echo);
    }
    const ack = errors.length === 0 ? 'Success' : echoed.length === 0 ? 'Failure' : 'PartialFailure';
    sendTrading(res, 200, callName, ack, echoed.length > 0 ? { InventoryStatus: echoed } : {}, errors);
  });
}

function reviseOne(status: Record<string, unknown>, context: SandboxContext, store: EbayStore): { echo: Record<string, unknown> } | { error: TradingErrorNode } {
  const itemId = typeof status.ItemID === 'string' ? status.ItemID : '';
  const sku = typeof status.SKU === 'string' && status.SKU !== '' ? status.SKU : undefined;
  const quantityText = typeof status.Quantity === 'string' ? status.Quantity : '';
  if (!/^\d{1,19}$/.test(itemId)) return { error: inputError('ItemID is required and must be a numeric item id.', itemId || 'ItemID') };
  if (!/^\d{1,10}$/.test(quantityText) || Number(quantityText) > 2_147_483_647) return { error: inputError(`Quantity must be a non-negative integer, got "${quantityText}".`, itemId) };
  const listing = findListing(context, itemId, sku);
  if (!listing) return { error: { code: '17', shortMessage: 'Item cannot be accessed.', longMessage: `This item cannot be accessed because the listing has been deleted, is a Half.com listing, or you are not the seller.`, parameter: itemId } };
  if (listing.identifiers.tradingItemId === undefined) {
    return { error: { code: INVENTORY_MANAGED_CODE, shortMessage: 'Inventory-based listing management is not supported.', longMessage: 'This listing was created with the Inventory API and cannot be revised with ReviseInventoryStatus; use the Inventory API.', parameter: itemId } };
  }
  if (listing.parentSku !== undefined && sku === undefined) return { error: inputError('SKU is required to revise a variation of a multi-variation listing.', itemId) };
  if (!store.takeRevision(listing, context)) {
    return { error: { code: REVISION_LIMIT_CODE, shortMessage: 'Revision limit reached.', longMessage: 'This listing has reached the limit of 250 revisions per calendar day and cannot be revised again until the next day.', parameter: itemId } };
  }
  listing.quantity = Number(quantityText);
  listing.updatedAtMs = context.nowMs();
  return { echo: { ItemID: itemId, ...(sku ? { SKU: sku } : {}), StartPrice: listing.price, Quantity: listing.quantity } };
}
