/**
 * The HTTP edge every connector uses: one place that turns timeouts, refused connections and
 * HTTP statuses into ChannelErrors, and reads Retry-After. Marketplace-specific error bodies and
 * throttling headers are decoded by each connector and passed in as `details`.
 */
import { channelError, type ChannelError, type ChannelErrorCode, type Result } from './channel.js';

export const HTTP_TIMEOUT_MS_DEFAULT = 10_000;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as is: connectors that sign bodies serialise once and sign those exact bytes. */
  body?: string | Uint8Array;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export async function sendHttp(fetchImpl: typeof fetch, request: HttpRequest): Promise<Result<HttpResponse>> {
  const timeoutMs = request.timeoutMs ?? HTTP_TIMEOUT_MS_DEFAULT;
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { ok: true, value: { status: response.status, headers: response.headers, text } };
  } catch (error) {
    // Read the name as a property: under jest's VM realms the DOMException that AbortSignal.timeout
    // raises is not an instance of this realm's Error, and a timeout must not pass for a network fault.
    const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, error: channelError('timeout', `${request.method} ${pathOf(request.url)} got no answer within ${timeoutMs} ms`) };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { ok: false, error: channelError('network', `${request.method} ${pathOf(request.url)} failed: ${cause}`) };
  }
}

/** Only the path: URLs may carry signed query strings or tokens that must not reach logs. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

export function codeForStatus(status: number): ChannelErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** A non-2xx response as a ChannelError; `details` carries what the marketplace's body said. */
export function httpFailure(response: HttpResponse, operation: string, details: { message?: string; marketplaceCode?: string; retryAfterMs?: number } = {}): ChannelError {
  const retryAfterMs = details.retryAfterMs ?? parseRetryAfterMs(response.headers.get('retry-after'));
  const extra: Partial<ChannelError> = { status: response.status };
  if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
  if (details.marketplaceCode !== undefined) extra.marketplaceCode = details.marketplaceCode;
  const message = `${operation} answered ${response.status}${details.message ? `: ${details.message}` : ''}`;
  return channelError(codeForStatus(response.status), message, extra);
}

/** Parses JSON or reports the marketplace's answer as not its documented shape. */
export function parseJson(response: HttpResponse, operation: string): Result<unknown> {
  try {
    return { ok: true, value: response.text === '' ? null : JSON.parse(response.text) };
  } catch {
    return { ok: false, error: channelError('invalid_response', `${operation} answered ${response.status} with a body that is not JSON`, { status: response.status }) };
  }
}
