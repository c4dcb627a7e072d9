/**
 * TikTok Shop request signing (202309), pure. From the official "Sign your API request" guide
 * (shared/marketplaces.md, corrections): every query parameter except `sign` and `access_token`,
 * sorted by key, joined as key+value with no separators, prefixed by the path, followed by the
 * raw body unless the request is multipart/form-data, wrapped in app_secret on both sides;
 * sign = lower-case hex HMAC-SHA256 keyed with app_secret.
 */
import { createHmac } from 'node:crypto';

export interface SignInput {
  appSecret: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** The exact body bytes sent (empty for none). */
  body?: string | Buffer;
  contentType?: string;
}

export function stringToSign(input: SignInput): string {
  const keys = Object.keys(input.query).filter((key) => key !== 'sign' && key !== 'access_token').sort();
  const params = keys.map((key) => `${key}${input.query[key]}`).join('');
  const mediaType = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const body = mediaType === 'multipart/form-data' || input.body === undefined ? '' : Buffer.isBuffer(input.body) ? input.body.toString('utf8') : input.body;
  return `${input.appSecret}${input.path}${params}${body}${input.appSecret}`;
}

export function signRequest(input: SignInput): string {
  return createHmac('sha256', input.appSecret).update(stringToSign(input), 'utf8').digest('hex');
}
