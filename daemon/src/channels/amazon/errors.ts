/**
 * Amazon's error bodies turned into ChannelErrors, in one place. SP-API answers
 * `{"errors":[{code,message,details}]}` (FBA inventory wraps the same list in its response
 * object); LWA answers OAuth's `{"error","error_description"}`. Amazon sends no Retry-After on a
 * 429 (marketplaces.md §1.4), so the wait is derived from the operation's documented rate.
 */
import { channelError, type ChannelError } from '../channel.js';
import { httpFailure, type HttpResponse } from '../http.js';
import { documentedWaitMs } from './limits.js';

export interface AmazonError { code: string; message: string; details?: string }

export function amazonErrors(text: string): AmazonError[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown; error?: unknown; error_description?: unknown };
    if (Array.isArray(body.errors)) {
      return body.errors.filter((entry): entry is AmazonError => typeof entry === 'object' && entry !== null && typeof (entry as AmazonError).code === 'string');
    }
    if (typeof body.error === 'string') return [{ code: body.error, message: typeof body.error_description === 'string' ? body.error_description : body.error }];
  } catch {
    // Not JSON: the status alone has to speak.
  }
  return [];
}

/** A non-2xx SP-API or LWA answer as a ChannelError for `operation`. */
export function amazonFailure(response: HttpResponse, operation: string): ChannelError {
  const [first] = amazonErrors(response.text);
  const details: { message?: string; marketplaceCode?: string; retryAfterMs?: number } = {};
  if (first) {
    details.marketplaceCode = first.code;
    details.message = `${first.code}: ${first.message}${first.details ? ` (${first.details})` : ''}`;
  }
  if (response.status === 429 && !response.headers.get('retry-after')) details.retryAfterMs = documentedWaitMs(operation);
  const error = httpFailure(response, operation, details);
  // LWA refuses a bad client or refresh token with 400/401 invalid_client or invalid_grant.
  if (first && (first.code === 'invalid_client' || first.code === 'invalid_grant' || first.code === 'unauthorized_client')) {
    return { ...error, code: 'unauthorized', retryable: false };
  }
  return error;
}

/** Whether a refusal means the access token is stale, so one refresh and retry may help. */
export function isTokenRefusal(response: HttpResponse): boolean {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  return amazonErrors(response.text).some((entry) => entry.code === 'Unauthorized' && /token/i.test(entry.details ?? ''));
}

export function invalidResponse(operation: string, what: string): ChannelError {
  return channelError('invalid_response', `${operation} answered with ${what}`);
}
