/**
 * The Trading API's ReviseInventoryStatus, for listings the Inventory API does not manage:
 * the XML request (≤4 InventoryStatus nodes), the X-EBAY-API-* headers, and the Ack/Errors
 * response read into one result per update. Pure: the channel sends what this builds.
 * Reference: developer.ebay.com ReviseInventoryStatus, summarised in marketplaces.md §2.2 C.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { channelError, fail, ok, type ChannelError, type PushResult, type QuantityUpdate, type Result } from '../channel.js';
import { isRevisionLimitMessage, RATE_LIMIT_WAIT_MS_DEFAULT, revisionLimitError } from './ebay-errors.js';
import { OPERATION_NAMES } from './limits.js';

export const TRADING_PATH = '/ws/api.dll';
export const TRADING_NAMESPACE = 'urn:ebay:apis:eBLBaseComponents';
/** The schema version our request shapes follow (any recent level accepts them). */
export const TRADING_COMPATIBILITY_LEVEL = '1451';
export const TRADING_SITE_ID_US = '0';

/** Trading error codes with a meaning the scheduler needs (others are invalid_request). */
const RATE_LIMIT_CODES = new Set(['518']);
const TOKEN_CODES = new Set(['21916984', '21917053', '931', '932']);
const NOT_FOUND_CODES = new Set(['17', '291']);

export function tradingHeaders(callName: string, iafToken: string, siteId: string = TRADING_SITE_ID_US): Record<string, string> {
  return {
    'content-type': 'text/xml',
    'x-ebay-api-call-name': callName,
    'x-ebay-api-siteid': siteId,
    'x-ebay-api-compatibility-level': TRADING_COMPATIBILITY_LEVEL,
    'x-ebay-api-iaf-token': iafToken,
  };
}

/** A variation is named by its SKU under the item; a single-item listing by its ItemID alone. */
export function buildReviseInventoryStatus(updates: QuantityUpdate[]): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, format: false, suppressEmptyNode: true });
  const statuses = updates.map((update) => ({
    ItemID: update.listing.identifiers.tradingItemId ?? '',
    ...(update.listing.parentSku !== undefined ? { SKU: update.listing.sku } : {}),
    Quantity: update.quantity,
  }));
  const body = builder.build({ ReviseInventoryStatusRequest: { '@_xmlns': TRADING_NAMESPACE, InventoryStatus: statuses } }) as string;
  return `<?xml version="1.0" encoding="utf-8"?>${body}`;
}

export interface TradingError { code: string; shortMessage: string; longMessage: string; severity: string; parameters: string[] }
export interface TradingResponse { ack: string; statuses: Array<{ itemId: string; sku?: string; quantity?: number }>; errors: TradingError[] }

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'InventoryStatus' || name === 'Errors' || name === 'ErrorParameters' });

export function parseTradingResponse(xml: string, responseElement: string): Result<TradingResponse> {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return fail(channelError('invalid_response', `the Trading API answered a body that is not XML`));
  }
  const root = document[responseElement] as Record<string, unknown> | undefined;
  if (!root || typeof root.Ack !== 'string') return fail(channelError('invalid_response', `the Trading API answered without ${responseElement}/Ack`));
  const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
  const statuses = ((root.InventoryStatus as Array<Record<string, unknown>> | undefined) ?? []).map((node) => {
    const status: { itemId: string; sku?: string; quantity?: number } = { itemId: text(node.ItemID) };
    if (text(node.SKU)) status.sku = text(node.SKU);
    if (text(node.Quantity)) status.quantity = Number(text(node.Quantity));
    return status;
  });
  const errors = ((root.Errors as Array<Record<string, unknown>> | undefined) ?? []).map((node) => ({
    code: text(node.ErrorCode),
    shortMessage: text(node.ShortMessage),
    longMessage: text(node.LongMessage),
    severity: text(node.SeverityCode),
    parameters: ((node.ErrorParameters as Array<Record<string, unknown>> | undefined) ?? []).map((parameter) => text(parameter.Value)),
  }));
  return ok({ ack: root.Ack, statuses, errors });
}

export function tradingErrorToChannelError(error: TradingError, subject: string): ChannelError {
  const message = `ReviseInventoryStatus refused ${subject}: ${error.longMessage || error.shortMessage} (ErrorCode ${error.code})`;
  if (isRevisionLimitMessage(error.longMessage) || isRevisionLimitMessage(error.shortMessage)) return revisionLimitError(OPERATION_NAMES.reviseInventoryStatus, message);
  if (RATE_LIMIT_CODES.has(error.code)) return channelError('rate_limited', message, { marketplaceCode: error.code, retryAfterMs: RATE_LIMIT_WAIT_MS_DEFAULT });
  if (TOKEN_CODES.has(error.code)) return channelError('unauthorized', message, { marketplaceCode: error.code });
  if (NOT_FOUND_CODES.has(error.code)) return channelError('not_found', message, { marketplaceCode: error.code });
  if (error.code === '10007') return channelError('server_error', message, { marketplaceCode: error.code });
  return channelError('invalid_request', message, { marketplaceCode: error.code });
}

/** Whether the whole call failed on the token, so the channel refreshes once and retries. */
export function isTokenRefusal(response: TradingResponse): boolean {
  return response.ack === 'Failure' && response.errors.some((error) => TOKEN_CODES.has(error.code));
}

/**
 * An update applied iff its item (and variation SKU) is echoed in an InventoryStatus node.
 * Otherwise it failed with the error that names its ItemID or SKU, or the call's first error.
 */
export function readReviseInventoryStatus(response: TradingResponse, updates: QuantityUpdate[]): PushResult[] {
  const hardErrors = response.errors.filter((error) => error.severity !== 'Warning');
  return updates.map((update): PushResult => {
    const itemId = update.listing.identifiers.tradingItemId ?? '';
    const variationSku = update.listing.parentSku !== undefined ? update.listing.sku : undefined;
    const echoed = response.statuses.some((status) => status.itemId === itemId && (variationSku === undefined || status.sku === variationSku));
    if (echoed && response.ack !== 'Failure') return { sku: update.listing.sku, version: update.version, status: 'applied' };
    const named = hardErrors.find((error) => error.parameters.some((value) => value === itemId || value === update.listing.sku)) ?? hardErrors[0];
    const error = named
      ? tradingErrorToChannelError(named, `SKU ${update.listing.sku} (item ${itemId})`)
      : channelError('invalid_response', `ReviseInventoryStatus answered Ack ${response.ack} without echoing item ${itemId}`);
    return { sku: update.listing.sku, version: update.version, status: 'failed', error };
  });
}
