/**
 * Standard Webhooks (Svix) verification as Etsy signs its webhooks (marketplaces.md, "Etsy Open
 * API v3 webhooks"): base64 HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${raw body}`,
 * keyed with the endpoint secret after its `whsec_` prefix, base64-decoded; the
 * `webhook-signature` header holds space-separated `v1,<base64>` entries. Pure: the clock is a
 * parameter. Never throws: whatever arrives in the headers, the answer is a value.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** Longer headers are refused before any work: Svix ids and signatures are far shorter. */
export const WEBHOOK_ID_LENGTH_MAX = 256;
export const WEBHOOK_SIGNATURE_HEADER_LENGTH_MAX = 4_096;
const SIGNATURE_BYTES = 32;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing_headers' | 'malformed_headers' | 'timestamp_out_of_tolerance' | 'no_matching_signature' | 'invalid_secret' };

export interface SignedMessage {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
}

/** The HMAC key from a `whsec_` secret; undefined when the secret is not base64. */
export function signingKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  return Buffer.from(encoded, 'base64');
}

export function computeSignature(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

export function verifyStandardWebhook(secret: string, message: SignedMessage, nowSeconds: number, toleranceSeconds: number): SignatureCheck {
  const { id, timestamp, signature, body } = message;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (id.length > WEBHOOK_ID_LENGTH_MAX || signature.length > WEBHOOK_SIGNATURE_HEADER_LENGTH_MAX || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'malformed_headers' };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const key = signingKey(secret);
  if (!key || key.length === 0) return { ok: false, reason: 'invalid_secret' };
  const expected = Buffer.from(computeSignature(key, id, timestamp, body), 'base64');
  for (const entry of signature.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    // Canonical base64 of 32 bytes only: lenient decoders would accept altered strings as equal.
    if (!/^[A-Za-z0-9+/]{43}=$/.test(encoded)) continue;
    const candidate = Buffer.from(encoded, 'base64');
    if (candidate.length === SIGNATURE_BYTES && candidate.toString('base64') === encoded && timingSafeEqual(candidate, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
