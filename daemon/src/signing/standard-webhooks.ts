/**
 * Standard Webhooks signatures (the plugin ⇄ daemon contract), as a pure function of its inputs:
 * the clock is a parameter, so the replay window is testable to the second. Signature:
 * v1,base64(HMAC-SHA256(base64decode(secret without whsec_), `${id}.${timestamp}.${body}`)).
 * Several secrets may be valid at once (rotation grace); several signatures may be sent.
 * Malformed input of any kind is a failed verification, never an exception.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const REPLAY_TOLERANCE_SECONDS = 300;
const HEADER_LENGTH_MAX = 4_096;
const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

export type VerifyFailure = 'missing_headers' | 'malformed_headers' | 'timestamp_out_of_window' | 'signature_mismatch' | 'no_secret';

export interface VerifyInput {
  secrets: string[];
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer | string;
  nowSeconds: number;
  toleranceSeconds?: number;
}

export function secretKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : undefined;
}

export function isValidSecret(secret: string): boolean {
  return secret.startsWith('whsec_') && secretKey(secret) !== undefined;
}

export function sign(secret: string, id: string, timestampSeconds: number, body: Buffer | string): string {
  const key = secretKey(secret);
  if (!key) throw new Error('the signing secret is not a whsec_ base64 secret of at least 16 bytes');
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The headers of a signed JSON request: one place builds them for every sender of `/v1/events`. */
export function signedHeaders(secret: string, id: string, timestampSeconds: number, body: Buffer | string): Record<string, string> {
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': sign(secret, id, timestampSeconds, body) };
}

export function verify(input: VerifyInput): { ok: true } | { ok: false; reason: VerifyFailure } {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (id.length > HEADER_LENGTH_MAX || timestamp.length > 20 || signature.length > HEADER_LENGTH_MAX || !ID_PATTERN.test(id) || !/^\d{1,15}$/.test(timestamp)) {
    return { ok: false, reason: 'malformed_headers' };
  }
  const tolerance = input.toleranceSeconds ?? REPLAY_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - Number(timestamp)) > tolerance) return { ok: false, reason: 'timestamp_out_of_window' };
  const keys = input.secrets.map(secretKey).filter((key): key is Buffer => key !== undefined);
  if (keys.length === 0) return { ok: false, reason: 'no_secret' };
  const offered = signature.split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'))
    .filter((bytes) => bytes.length === 32);
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(input.body).digest();
    if (offered.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: 'signature_mismatch' };
}
