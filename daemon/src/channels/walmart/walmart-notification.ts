/**
 * Verification and parsing of Walmart webhook deliveries. Pure and total: any header or body,
 * however malformed, yields a value, never an exception.
 *
 * Walmart authenticates its calls with the subscription's `authDetails` (createSubscription in
 * specs/walmart/notifications.json): BASIC_AUTH puts base64(userName:password) in the header named
 * authHeaderName; HMAC puts the HMAC-SHA256 of the complete payload keyed with the subscription's
 * clientSecret there; OAUTH puts `Bearer <token>` there, a token Walmart first obtained from our
 * authUrl. Walmart does not say whether the HMAC is hex or base64 (shared/marketplaces.md,
 * corrections), so both exact encodings are accepted; each is compared as a whole string, so a
 * changed bit anywhere in the header fails.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WalmartWebhookAuthMethod = 'HMAC' | 'BASIC_AUTH' | 'OAUTH';

export interface WalmartWebhookAuth {
  method: WalmartWebhookAuthMethod;
  /** authHeaderName of the subscription; compared case-insensitively as HTTP header names are. */
  headerName: string;
  /** HMAC: the subscription's clientSecret. */
  clientSecret?: string;
  /** BASIC_AUTH. */
  userName?: string;
  password?: string;
  /** OAUTH: tokens our authUrl issued to Walmart and that are still valid. */
  bearerTokens?: string[];
}

/** Longest authentication header we read; anything longer is refused unread. */
export const WEBHOOK_AUTH_HEADER_CHARS_MAX = 2048;

function equalStrings(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The HMAC Walmart would send for this payload, in both encodings it might use. */
export function walmartHmacSignatures(clientSecret: string, rawBody: Buffer): { hex: string; base64: string } {
  const digest = createHmac('sha256', clientSecret).update(rawBody).digest();
  return { hex: digest.toString('hex'), base64: digest.toString('base64') };
}

export function verifyWalmartWebhook(auth: WalmartWebhookAuth, headers: Record<string, string | undefined>, rawBody: Buffer): boolean {
  const value = headers[auth.headerName.toLowerCase()];
  if (typeof value !== 'string' || value.length === 0 || value.length > WEBHOOK_AUTH_HEADER_CHARS_MAX) return false;
  if (auth.method === 'HMAC') {
    if (!auth.clientSecret) return false;
    const expected = walmartHmacSignatures(auth.clientSecret, rawBody);
    // Both comparisons always run, so the time taken does not say which encoding was close.
    const hexMatches = equalStrings(value, expected.hex);
    const base64Matches = equalStrings(value, expected.base64);
    return hexMatches || base64Matches;
  }
  if (auth.method === 'BASIC_AUTH') {
    if (auth.userName === undefined || auth.password === undefined) return false;
    const encoded = Buffer.from(`${auth.userName}:${auth.password}`, 'utf8').toString('base64');
    const bare = equalStrings(value, encoded);
    const prefixed = equalStrings(value, `Basic ${encoded}`);
    return bare || prefixed;
  }
  let matched = false;
  for (const token of auth.bearerTokens ?? []) if (token.length > 0 && equalStrings(value, `Bearer ${token}`)) matched = true;
  return matched;
}
