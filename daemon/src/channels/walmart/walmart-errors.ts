/**
 * Reads Walmart's error bodies and throttling headers. Pure: values in, values out.
 *
 * Walmart answers errors as `{"errors":[{code, field, description, info, severity, category}]}`,
 * and its API gateway (401, bad headers) as the same entries under `"error"`. Every response
 * carries `x-current-token-count` and `x-next-replenish-time` (epoch milliseconds); some pages
 * spell the second `x-next-replenishment-time`, so both are read.
 */
import { channelError, type ChannelError } from '../channel.js';
import { codeForStatus, parseRetryAfterMs, type HttpResponse } from '../http.js';

export interface WalmartErrorEntry {
  code: string;
  field?: string;
  description?: string;
  info?: string;
}

/** The first error entry of a Walmart error body, or undefined when the body is not one. */
export function parseWalmartError(text: string): WalmartErrorEntry | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const list = Array.isArray(record.errors) ? record.errors : Array.isArray(record.error) ? record.error : undefined;
  const first: unknown = list?.[0] ?? (record.errors && typeof record.errors === 'object' ? (record.errors as Record<string, unknown>).error : undefined);
  if (!first || typeof first !== 'object') return undefined;
  const entry = first as Record<string, unknown>;
  if (typeof entry.code !== 'string') return undefined;
  const result: WalmartErrorEntry = { code: entry.code };
  if (typeof entry.field === 'string') result.field = entry.field;
  if (typeof entry.description === 'string') result.description = entry.description;
  if (typeof entry.info === 'string') result.info = entry.info;
  return result;
}

/** Milliseconds until Walmart replenishes the bucket, from x-next-replenish-time (epoch ms). */
export function replenishWaitMs(headers: Headers, nowMs: number): number | undefined {
  const raw = headers.get('x-next-replenish-time') ?? headers.get('x-next-replenishment-time');
  if (raw === null || !/^\d{10,16}$/.test(raw.trim())) return undefined;
  const value = Number(raw.trim());
  // Walmart sends epoch milliseconds; a 10-digit value is seconds and is read as such.
  const atMs = raw.trim().length <= 10 ? value * 1000 : value;
  return Math.max(0, atMs - nowMs);
}

/** Tokens Walmart says the operation's bucket has left after this request, from
 * x-current-token-count (every answer carries it); undefined when absent or not a count. */
export function currentTokenCount(headers: Headers): number | undefined {
  const raw = headers.get('x-current-token-count');
  if (raw === null || !/^\d{1,9}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/** A non-2xx Walmart answer as a ChannelError, with Walmart's own code and wait. */
export function walmartFailure(response: HttpResponse, operation: string, nowMs: number): ChannelError {
  const entry = parseWalmartError(response.text);
  const extra: Partial<ChannelError> = { status: response.status };
  if (entry) extra.marketplaceCode = entry.code;
  if (response.status === 429) {
    // A 429 without readable headers still waits a little rather than hammering the bucket.
    extra.retryAfterMs = Math.max(1, replenishWaitMs(response.headers, nowMs) ?? parseRetryAfterMs(response.headers.get('retry-after'), nowMs) ?? 1000);
  }
  const detail = entry ? `${entry.code}${entry.field ? ` (${entry.field})` : ''}: ${entry.description ?? entry.info ?? ''}` : '';
  const code = response.status === 413 ? 'invalid_request' : codeForStatus(response.status);
  return channelError(code, `${operation} answered ${response.status}${detail ? ` ${detail}` : ''}`, extra);
}
