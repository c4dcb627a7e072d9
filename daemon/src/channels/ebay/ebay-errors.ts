/**
 * eBay's REST error bodies ({errors:[{errorId, domain, category, message, longMessage, ...}]}) and
 * the OAuth endpoint's ({error, error_description}) turned into ChannelErrors. Pure: the HTTP
 * edge passes the response in, and these functions say what it meant.
 */
import { channelError, type ChannelError } from '../channel.js';
import { httpFailure, type HttpResponse } from '../http.js';

export interface EbayErrorDetail {
  errorId?: number;
  domain?: string;
  category?: string;
  message?: string;
  longMessage?: string;
}

/** When eBay announces no wait on a 429 (it documents none), the scheduler waits this long. */
export const RATE_LIMIT_WAIT_MS_DEFAULT = 60_000;

/** Inventory API system error: eBay's own failure, worth retrying. */
const SYSTEM_ERROR_ID = 25001;
/** Ids eBay answers with 400 that mean "no such thing" (SKU, group, resource, order, public key). */
const NOT_FOUND_IDS = new Set([25702, 25705, 25710, 25713, 32100, 195001]);

export function readEbayErrors(text: string): EbayErrorDetail[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    return Array.isArray(body.errors) ? body.errors.filter((entry): entry is EbayErrorDetail => typeof entry === 'object' && entry !== null) : [];
  } catch {
    return [];
  }
}

/** The daily revision limit shows as a user error whose text names it; eBay gives it no dedicated id in the saved spec. */
export function isRevisionLimitMessage(message: string | undefined): boolean {
  return message !== undefined && /revis/i.test(message) && /(limit|times|threshold|maximum)/i.test(message) && /day/i.test(message);
}

export function describeEbayError(error: EbayErrorDetail): string {
  const text = error.longMessage ?? error.message ?? 'no message';
  return error.errorId === undefined ? text : `${text} (errorId ${error.errorId})`;
}

/** A non-2xx REST response as a ChannelError, with eBay's first error as the message. */
export function restFailure(response: HttpResponse, operation: string): ChannelError {
  const [first] = readEbayErrors(response.text);
  const details: { message?: string; marketplaceCode?: string; retryAfterMs?: number } = {};
  if (first) details.message = describeEbayError(first);
  if (first?.errorId !== undefined) details.marketplaceCode = String(first.errorId);
  if (response.status === 429 && !response.headers.get('retry-after')) details.retryAfterMs = RATE_LIMIT_WAIT_MS_DEFAULT;
  const failure = httpFailure(response, operation, details);
  if (isRevisionLimitMessage(first?.message) || isRevisionLimitMessage(first?.longMessage)) return revisionLimitError(operation, failure.message, failure.status);
  if (first?.errorId !== undefined && NOT_FOUND_IDS.has(first.errorId)) return { ...failure, code: 'not_found', retryable: false };
  return failure;
}

/** One entry of a per-SKU response (bulkUpdatePriceQuantity, bulkGetInventoryItem) that did not succeed. */
export function entryFailure(operation: string, sku: string, statusCode: number | undefined, errors: EbayErrorDetail[]): ChannelError {
  const [first] = errors;
  const described = first ? describeEbayError(first) : 'no error detail';
  const message = `${operation} refused SKU ${sku}${statusCode === undefined ? '' : ` with ${statusCode}`}: ${described}`;
  const extra = { ...(statusCode === undefined ? {} : { status: statusCode }), ...(first?.errorId === undefined ? {} : { marketplaceCode: String(first.errorId) }) };
  if (errors.some((error) => isRevisionLimitMessage(error.message) || isRevisionLimitMessage(error.longMessage))) return revisionLimitError(operation, message, statusCode);
  if (first?.errorId === SYSTEM_ERROR_ID || (statusCode !== undefined && statusCode >= 500)) return channelError('server_error', message, extra);
  if (statusCode === 404 || (first?.errorId !== undefined && NOT_FOUND_IDS.has(first.errorId))) return channelError('not_found', message, extra);
  if (statusCode === 429) return channelError('rate_limited', message, { ...extra, retryAfterMs: RATE_LIMIT_WAIT_MS_DEFAULT });
  return channelError('invalid_request', message, extra);
}

/** The 250-revisions-a-day limit: retrying today is useless, so it is a non-retryable conflict. */
export function revisionLimitError(operation: string, message: string, status?: number): ChannelError {
  return channelError('conflict', `${message} — eBay allows 250 revisions per listing per calendar day; the listing cannot change again until tomorrow (Pacific time), so coalesce further updates`, {
    retryable: false,
    ...(status === undefined ? {} : { status }),
    marketplaceCode: 'revision_limit',
  });
}

/** The OAuth endpoint's refusals: a wrong client or refresh token is not fixed by retrying. */
export function tokenFailure(response: HttpResponse): ChannelError {
  let error = '';
  let description = '';
  try {
    const body = JSON.parse(response.text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.error_description === 'string') description = body.error_description;
  } catch {
    // Not JSON: the status alone decides below.
  }
  if (response.status === 429 || response.status >= 500) return httpFailure(response, 'token request', { message: error || undefined });
  const code = error === 'invalid_scope' || error === 'unauthorized_client' ? 'forbidden' : 'unauthorized';
  return channelError(code, `eBay refused the token request with ${response.status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}`, {
    status: response.status,
    ...(error ? { marketplaceCode: error } : {}),
  });
}
