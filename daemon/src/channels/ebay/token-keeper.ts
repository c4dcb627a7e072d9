/**
 * eBay OAuth tokens: the seller's user token (refresh_token grant) for the Sell APIs and the
 * Trading API's IAF header, and an application token (client_credentials grant) for
 * getPublicKey. Each is cached until shortly before it expires, refreshed once after a 401, and
 * fetched at most once at a time however many calls wait for it. Tokens and secrets never enter
 * a message.
 */
import { channelError, fail, ok, type Result } from '../channel.js';
import { parseJson, sendHttp } from '../http.js';
import { tokenFailure } from './ebay-errors.js';

/** Refresh this long before eBay's expiry, so a request never leaves with a token about to lapse. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
export const APPLICATION_SCOPE = 'https://api.ebay.com/oauth/api_scope';
export const SELL_SCOPES = [
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
];
export const TOKEN_PATH = '/identity/v1/oauth2/token';

export type TokenKind = 'user' | 'application';

export interface TokenKeeperOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  scopes: string[];
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
}

interface CachedToken { accessToken: string; expiresAt: number }

/** The form body of a token request: pure, so the grant shapes are unit-tested. */
export function tokenRequestBody(kind: TokenKind, refreshToken: string, scopes: string[]): string {
  const form = kind === 'user'
    ? new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: scopes.join(' ') })
    : new URLSearchParams({ grant_type: 'client_credentials', scope: APPLICATION_SCOPE });
  return form.toString();
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** Reads eBay's token answer ({access_token, expires_in, token_type}); anything else is invalid_response. */
export function parseTokenResponse(body: unknown, nowMs: number): Result<CachedToken> {
  const candidate = body as { access_token?: unknown; expires_in?: unknown } | null;
  if (!candidate || typeof candidate.access_token !== 'string' || candidate.access_token === '' || typeof candidate.expires_in !== 'number' || !(candidate.expires_in > 0)) {
    return fail(channelError('invalid_response', 'the token endpoint answered without access_token and a positive expires_in'));
  }
  return ok({ accessToken: candidate.access_token, expiresAt: nowMs + candidate.expires_in * 1000 });
}

export class TokenKeeper {
  private readonly cache = new Map<TokenKind, CachedToken>();
  private readonly inFlight = new Map<TokenKind, Promise<Result<CachedToken>>>();

  constructor(private readonly options: TokenKeeperOptions) {}

  async get(kind: TokenKind): Promise<Result<CachedToken>> {
    const cached = this.cache.get(kind);
    if (cached && cached.expiresAt - TOKEN_REFRESH_MARGIN_MS > this.options.now()) return ok(cached);
    const pending = this.inFlight.get(kind);
    if (pending) return pending;
    const request = this.request(kind).finally(() => this.inFlight.delete(kind));
    this.inFlight.set(kind, request);
    return request;
  }

  /** After a 401: forget the token unless another caller already replaced it. */
  invalidate(kind: TokenKind, accessToken: string): void {
    if (this.cache.get(kind)?.accessToken === accessToken) this.cache.delete(kind);
  }

  private async request(kind: TokenKind): Promise<Result<CachedToken>> {
    const { options } = this;
    if (!options.clientId || !options.clientSecret || (kind === 'user' && !options.refreshToken)) {
      return fail(channelError('unauthorized', `the eBay connection lacks ${kind === 'user' ? 'clientId, clientSecret or refreshToken' : 'clientId or clientSecret'}`));
    }
    const sent = await sendHttp(options.fetch, {
      method: 'POST',
      url: `${options.baseUrl}${TOKEN_PATH}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(options.clientId, options.clientSecret) },
      body: tokenRequestBody(kind, options.refreshToken, options.scopes),
      timeoutMs: options.timeoutMs,
    });
    if (!sent.ok) return sent;
    if (sent.value.status !== 200) return fail(tokenFailure(sent.value));
    const body = parseJson(sent.value, 'token request');
    if (!body.ok) return body;
    const token = parseTokenResponse(body.value, options.now());
    if (token.ok) this.cache.set(kind, token.value);
    return token;
  }
}
