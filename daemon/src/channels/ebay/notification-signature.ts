/**
 * eBay Notification API verification, as eBay's event-notification SDKs do it
 * (marketplaces.md, "Verified corrections", X-EBAY-SIGNATURE):
 * the header is base64 of JSON {alg, kid, signature (base64 DER), digest}; the key comes from
 * getPublicKey as PEM markers around unbroken base64 SPKI; the signature is ECDSA with the
 * digest the key names (SHA1 today) over the compact JSON body, which we take as the raw bytes.
 * Pure and total: malformed input is `false` or a failure value, never an exception.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { channelError, fail, ok, type Result } from '../channel.js';

export interface SignatureHeader { alg: string; kid: string; signature: Buffer; digest: string }
export interface EbayPublicKey { algorithm: string; digest: string; key: string }

/** Headers longer than this are not eBay's (a real one is a few hundred bytes). */
export const SIGNATURE_HEADER_CHARS_MAX = 4_096;
const KID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
const DIGESTS: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

function strictBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64_PATTERN.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Only the canonical encoding counts, so no two header strings carry the same signature.
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function decodeSignatureHeader(header: string | undefined): Result<SignatureHeader> {
  const refuse = (why: string) => fail<SignatureHeader>(channelError('invalid_signature', `X-EBAY-SIGNATURE ${why}`));
  if (header === undefined || header === '') return refuse('is missing');
  if (header.length > SIGNATURE_HEADER_CHARS_MAX) return refuse(`is longer than ${SIGNATURE_HEADER_CHARS_MAX} characters`);
  const decoded = strictBase64(header.trim());
  if (!decoded) return refuse('is not base64');
  let parsed: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(decoded.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('does not decode to a JSON object');
    parsed = value as Record<string, unknown>;
  } catch {
    return refuse('does not decode to JSON');
  }
  const { alg, kid, signature, digest } = parsed;
  // Exact spellings, as eBay sends them: a header altered in any bit must not verify.
  if (alg !== 'ecdsa') return refuse('names an algorithm other than ecdsa');
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) return refuse('has no usable kid');
  if (typeof digest !== 'string' || !Object.hasOwn(DIGESTS, digest)) return refuse('names an unknown digest');
  const signatureBytes = typeof signature === 'string' ? strictBase64(signature) : undefined;
  if (!signatureBytes) return refuse('has a signature that is not base64');
  return ok({ alg, kid, signature: signatureBytes, digest });
}

/** getPublicKey's `key` has no line breaks; PEM readers want 64-character lines, as the SDKs re-wrap it. */
export function publicKeyFromPem(key: string): KeyObject | undefined {
  const match = /-----BEGIN PUBLIC KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----/.exec(key);
  if (!match?.[1]) return undefined;
  const body = match[1].replace(/\s+/g, '');
  const wrapped = `-----BEGIN PUBLIC KEY-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PUBLIC KEY-----\n`;
  try {
    return createPublicKey(wrapped);
  } catch {
    return undefined;
  }
}

/** True only for a genuine signature over exactly these bytes with the key eBay named. */
export function verifyNotificationSignature(rawBody: Buffer, header: SignatureHeader, publicKey: EbayPublicKey): boolean {
  if (publicKey.algorithm.toUpperCase() !== 'ECDSA') return false;
  const digest = Object.hasOwn(DIGESTS, publicKey.digest) ? DIGESTS[publicKey.digest] : undefined;
  if (!digest || publicKey.digest !== header.digest) return false;
  const key = publicKeyFromPem(publicKey.key);
  if (!key || key.asymmetricKeyType !== 'ec') return false;
  try {
    return verify(digest, rawBody, { key, dsaEncoding: 'der' }, header.signature);
  } catch {
    return false;
  }
}

/** The endpoint challenge: hex SHA-256 of challengeCode + verificationToken + endpoint, in that order. */
export function challengeResponse(challengeCode: string, verificationToken: string, endpoint: string): string {
  return createHash('sha256').update(challengeCode).update(verificationToken).update(endpoint).digest('hex');
}
