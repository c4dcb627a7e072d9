/**
 * Walmart's own error bodies and throttling headers, as the sandbox sends them. The gateway
 * (authentication, headers, throttling) answers `{"error":[...]}`; the APIs answer
 * `{"errors":[...]}`; each entry has the official model's GatewayError fields.
 */
import type { Response } from 'express';
import { TokenBucket } from '../kit/token-bucket.js';
import type { RateLimit } from '../../channels/channel.js';

export interface WalmartErrorEntry {
  code: string;
  field: string;
  description: string;
  info: string;
  severity: 'ERROR';
  category: 'APPLICATION' | 'SYSTEM' | 'REQUEST' | 'DATA';
  causes: [];
  errorIdentifiers: Record<string, never>;
}

export function walmartErrorEntry(code: string, field: string, description: string, info: string, category: WalmartErrorEntry['category'] = 'DATA'): WalmartErrorEntry {
  return { code, field, description, info, severity: 'ERROR', category, causes: [], errorIdentifiers: {} };
}

export function sendGatewayError(res: Response, status: number, entry: WalmartErrorEntry): void {
  res.status(status).json({ error: [entry] });
}

export function sendApiError(res: Response, status: number, entry: WalmartErrorEntry): void {
  res.status(status).json({ errors: [entry] });
}

export const UNAUTHORIZED_INFO = 'Unauthorized token or incorrect authorization header. Please verify correct format: "Authorization: Basic Base64Encode(clientId:clientSecret)"';

/**
 * Mirrors the kit's buckets so every answer can carry x-current-token-count and
 * x-next-replenish-time, as Walmart's do; the kit's own buckets still decide what is refused.
 */
export class ThrottleHeaders {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(operations: Record<string, RateLimit>) {
    for (const [operation, limit] of Object.entries(operations)) this.buckets.set(operation, new TokenBucket(limit.ratePerSecond, limit.burst));
  }

  /** Takes a token from the mirror and sets the headers for a request that is let through. */
  stamp(operation: string, res: Response, nowMs: number): void {
    const bucket = this.buckets.get(operation);
    if (!bucket) return;
    const taken = bucket.tryTake();
    const waitMs = taken.taken ? bucket.waitMs(1) : taken.retryAfterMs;
    res.setHeader('x-current-token-count', String(taken.remaining));
    res.setHeader('x-next-replenish-time', String(nowMs + Math.max(waitMs, Math.ceil(1000 / bucket.ratePerSecond))));
  }
}

export function sendWalmartRateLimited(res: Response, retryAfterMs: number, nowMs: number): void {
  res.setHeader('x-current-token-count', '0');
  res.setHeader('x-next-replenish-time', String(nowMs + Math.max(1, retryAfterMs)));
  sendGatewayError(res, 429, walmartErrorEntry('REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API', 'REQUEST_THRESHOLD_VIOLATED', 'Too many requests', 'Request threshold violated. Please retry after x-next-replenish-time.', 'REQUEST'));
}
