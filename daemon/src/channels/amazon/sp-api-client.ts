/**
 * The SP-API edge: Login with Amazon token exchange, the `x-amz-access-token` header, one
 * refresh-and-retry when Amazon refuses a stale token, and Amazon's error bodies mapped to
 * ChannelErrors. Tokens and client secrets never leave this file: error messages carry paths,
 * operation names and Amazon's own codes only.
 */
import { channelError, fail, ok, type ChannelConnection, type Result } from '../channel.js';
import { sendHttp, type HttpResponse } from '../http.js';
import { amazonFailure, isTokenRefusal } from './errors.js';
import { TOKEN_REFRESH_MARGIN_MS } from './limits.js';

/** The real Login with Amazon endpoint; a relative `lwa_token_url` is resolved against baseUrl. */
export const LWA_TOKEN_URL_DEFAULT = 'https://api.amazon.com/auth/o2/token';
const USER_AGENT = 'Shelfguard/0.1 (Language=TypeScript)';
const REQUIRED_CREDENTIALS = ['client_id', 'client_secret', 'refresh_token', 'seller_id', 'marketplace_id'] as const;

export interface AmazonSettings {
  sellerId: string;
  marketplaceId: string;
  lwaTokenUrl: string;
}

/** Reads the connection's credentials; names what is missing instead of failing later. */
export function readSettings(connection: ChannelConnection): Result<AmazonSettings> {
  const missing = REQUIRED_CREDENTIALS.filter((name) => !connection.credentials[name]);
  if (missing.length > 0) return fail(channelError('unauthorized', `Amazon connection lacks credentials: ${missing.join(', ')}`));
  const tokenUrl = connection.credentials.lwa_token_url ?? LWA_TOKEN_URL_DEFAULT;
  return ok({
    sellerId: connection.credentials.seller_id!,
    marketplaceId: connection.credentials.marketplace_id!,
    lwaTokenUrl: tokenUrl.startsWith('/') ? connection.baseUrl.replace(/\/$/, '') + tokenUrl : tokenUrl,
  });
}

interface CachedToken { value: string; expiresAtMs: number }

export class SpApiClient {
  private token: CachedToken | undefined;
  private refreshing: Promise<Result<CachedToken>> | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly connection: ChannelConnection, readonly settings: AmazonSettings) {
    this.fetchImpl = connection.fetch ?? fetch;
    this.now = connection.now ?? Date.now;
  }

  /** A valid access token, refreshed ahead of expiry; concurrent callers share one refresh. */
  async accessToken(force = false): Promise<Result<CachedToken>> {
    if (!force && this.token && this.now() < this.token.expiresAtMs - TOKEN_REFRESH_MARGIN_MS) return ok(this.token);
    if (!this.refreshing) {
      this.refreshing = this.exchangeRefreshToken().finally(() => { this.refreshing = undefined; });
    }
    return this.refreshing;
  }

  private async exchangeRefreshToken(): Promise<Result<CachedToken>> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: this.connection.credentials.refresh_token ?? '',
      client_id: this.connection.credentials.client_id ?? '',
      client_secret: this.connection.credentials.client_secret ?? '',
    });
    const sent = await sendHttp(this.fetchImpl, {
      method: 'POST',
      url: this.settings.lwaTokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json', 'user-agent': USER_AGENT },
      body: form.toString(),
      ...(this.connection.requestTimeoutMs ? { timeoutMs: this.connection.requestTimeoutMs } : {}),
    });
    if (!sent.ok) return sent;
    const response = sent.value;
    if (response.status !== 200) return fail(amazonFailure(response, 'lwaToken'));
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      return fail(channelError('invalid_response', 'Login with Amazon answered 200 with a body that is not JSON', { status: 200 }));
    }
    if (typeof body.access_token !== 'string' || body.access_token === '' || typeof body.expires_in !== 'number' || !(body.expires_in > 0)) {
      return fail(channelError('invalid_response', 'Login with Amazon answered 200 without access_token and a positive expires_in', { status: 200 }));
    }
    this.token = { value: body.access_token, expiresAtMs: this.now() + body.expires_in * 1000 };
    return ok(this.token);
  }

  /**
   * One SP-API call. Non-2xx answers become ChannelErrors; a refusal of the token triggers one
   * refresh and one retry, so an expired token never reaches the caller as a failure.
   */
  async call(operation: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', pathAndQuery: string, body?: unknown): Promise<Result<HttpResponse>> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.accessToken(attempt > 1);
      if (!token.ok) return token;
      const headers: Record<string, string> = { 'x-amz-access-token': token.value.value, accept: 'application/json', 'user-agent': USER_AGENT };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const sent = await sendHttp(this.fetchImpl, {
        method,
        url: this.connection.baseUrl.replace(/\/$/, '') + pathAndQuery,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(this.connection.requestTimeoutMs ? { timeoutMs: this.connection.requestTimeoutMs } : {}),
      });
      if (!sent.ok) return fail({ ...sent.error, message: `${operation}: ${sent.error.message}` });
      const response = sent.value;
      if (response.status >= 200 && response.status < 300) return ok(response);
      if (attempt === 1 && isTokenRefusal(response)) continue;
      const error = amazonFailure(response, operation);
      // A token refused twice in a row is a credentials problem, not a transient one.
      return fail(isTokenRefusal(response) ? { ...error, code: 'unauthorized', retryable: false } : error);
    }
  }

  /** A plain HTTP call to a pre-signed document URL: no SP-API token goes to document storage. */
  async transfer(operation: string, method: 'GET' | 'PUT', url: string, body?: string, contentType?: string): Promise<Result<HttpResponse>> {
    const sent = await sendHttp(this.fetchImpl, {
      method,
      url: url.startsWith('/') ? this.connection.baseUrl.replace(/\/$/, '') + url : url,
      headers: contentType ? { 'content-type': contentType } : {},
      ...(body === undefined ? {} : { body }),
      ...(this.connection.requestTimeoutMs ? { timeoutMs: this.connection.requestTimeoutMs } : {}),
    });
    if (!sent.ok) return fail({ ...sent.error, message: `${operation}: ${sent.error.message}` });
    if (sent.value.status >= 200 && sent.value.status < 300) return sent;
    return fail(amazonFailure(sent.value, operation));
  }
}
