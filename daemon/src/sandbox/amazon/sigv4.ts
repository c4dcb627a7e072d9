/**
 * AWS Signature Version 4, pure: the sandbox's SQS endpoint verifies the signatures the AWS SDK
 * computes, so the connector's SQS client is tested with real request signing. Verification
 * never throws on input: any malformed header is a refusal with a reason.
 * Algorithm: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses requests whose X-Amz-Date is more than 5 minutes from its clock. */
export const SIGV4_CLOCK_SKEW_MS_MAX = 5 * 60 * 1000;

export interface SignableRequest {
  method: string;
  /** The path as sent on the wire (already percent-encoded), without the query. */
  path: string;
  /** The raw query string without '?', possibly empty. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: Uint8Array;
}

export type SigV4Refusal = 'missing' | 'malformed' | 'unknown_key' | 'stale' | 'mismatch';
export type SigV4Outcome = { ok: true; accessKeyId: string; region: string; service: string } | { ok: false; reason: SigV4Refusal };

const AUTHORIZATION_PATTERN = /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]{1,128})\/(\d{8})\/([a-z0-9-]{1,32})\/([a-z0-9-]{1,32})\/aws4_request, ?SignedHeaders=([a-z0-9;-]{1,2048}), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').filter(Boolean).map((pair) => {
    const [key = '', value = ''] = pair.split('=');
    const decode = (part: string) => { try { return decodeURIComponent(part.replace(/\+/g, ' ')); } catch { return part; } };
    return [encodeRfc3986(decode(key)), encodeRfc3986(decode(value))] as const;
  });
  return pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)).map(([key, value]) => `${key}=${value}`).join('&');
}

/** Non-S3 services encode each path segment once more on top of its wire form. */
function canonicalUri(path: string): string {
  return path.split('/').map((segment) => encodeRfc3986(segment)).join('/') || '/';
}

function stringToSign(request: SignableRequest, signedHeaders: string[], amzDate: string, scope: string): string {
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = request.headers['x-amz-content-sha256'] ?? sha256Hex(request.body);
  const canonicalRequest = [request.method.toUpperCase(), canonicalUri(request.path), canonicalQuery(request.query), canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
}

function signature(secret: string, date: string, region: string, service: string, toSign: string): string {
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

function amzDateMs(amzDate: string): number | undefined {
  const match = AMZ_DATE_PATTERN.exec(amzDate);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Verifies a SigV4 `Authorization` header against the secret of its access key id. */
export function verifySigV4(request: SignableRequest, secretFor: (accessKeyId: string) => string | undefined, nowMs: number): SigV4Outcome {
  const authorization = request.headers.authorization;
  const amzDate = request.headers['x-amz-date'];
  if (!authorization || !amzDate) return { ok: false, reason: 'missing' };
  const match = AUTHORIZATION_PATTERN.exec(authorization);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaderList = '', given = ''] = match;
  const signedHeaders = signedHeaderList.split(';');
  const sortedUnique = signedHeaders.every((name, index) => name !== '' && (index === 0 || signedHeaders[index - 1]! < name));
  if (!sortedUnique || !signedHeaders.includes('host') || !amzDate.startsWith(date)) return { ok: false, reason: 'malformed' };
  const signedAtMs = amzDateMs(amzDate);
  if (signedAtMs === undefined) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowMs - signedAtMs) > SIGV4_CLOCK_SKEW_MS_MAX) return { ok: false, reason: 'stale' };
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return { ok: false, reason: 'unknown_key' };
  const expected = signature(secret, date, region, service, stringToSign(request, signedHeaders, amzDate, `${date}/${region}/${service}/aws4_request`));
  const same = timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
  return same ? { ok: true, accessKeyId, region, service } : { ok: false, reason: 'mismatch' };
}

/** Signs a request as the AWS SDK would (host and x-amz-date always signed); for tests and tools. */
export function signSigV4(request: SignableRequest, credentials: { accessKeyId: string; secretAccessKey: string }, region: string, service: string, nowMs: number): Record<string, string> {
  const amzDate = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string | undefined> = { ...request.headers, 'x-amz-date': amzDate };
  const signedHeaders = Object.keys(headers).filter((name) => headers[name] !== undefined && name !== 'authorization').sort();
  const toSign = stringToSign({ ...request, headers }, signedHeaders, amzDate, `${date}/${region}/${service}/aws4_request`);
  const authorization = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${date}/${region}/${service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature(credentials.secretAccessKey, date, region, service, toSign)}`;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return { ...result, authorization };
}
