/**
 * The Etsy HTTP edge: the `x-api-key: keystring:shared_secret` header on every call, the OAuth
 * access token (cached, refreshed before it expires and once on a 401), and Etsy's error bodies
 * decoded into ChannelErrors. Credentials and tokens never enter an error message.
 */
import { channelError, fail, ok, type ChannelError, type Result } from '../channel.js';
import { httpFailure, parseJson, sendHttp, type HttpResponse } from '../http.js';
import { ETSY_TOKEN_REFRESH_MARGIN_MS } from './limits.js';

export interface EtsyCredentials {
  keystring: string;
  sharedSecret: string;
  refreshToken: string;
  shopId: string;
  webhookSigningSecret?: string;
}

const CREDENTIAL_NAMES = ['keystring', 'sharedSecret', 'refreshToken', 'shopId'] as const;

/** Names what is missing or malformed, never the values. */
export function readCredentials(credentials: Record<string, string>): { ok: true; value: EtsyCredentials } | { ok: false; message: string } {
  const missing = CREDENTIAL_NAMES.filter((name) => !credentials[name]);
  if (missing.length > 0) return { ok: false, message: `Etsy credentials lack ${missing.join(', ')}` };
  if (!/^\d+$/.test(credentials.shopId!)) return { ok: false, message: 'Etsy credential shopId must be the numeric shop id' };
  return { ok: true, value: credentials as unknown as EtsyCredentials };
}

interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
}

export interface EtsyRequest {
  method: 'GET' | 'PUT';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export class EtsyApi {
  private token: CachedToken | undefined;
  /** Told what every answer says is left of the app's daily budget (`x-remaining-today`). */
  private readonly dailyListeners: Array<(remaining: number, limit: number) => void> = [];
  private refreshing: Promise<Result<CachedToken>> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: EtsyCredentials,
    private readonly fetchImpl: typeof fetch,
    private readonly now: () => number,
    private readonly timeoutMs: number | undefined,
  ) {}

  get apiKeyHeader(): string {
    return `${this.credentials.keystring}:${this.credentials.sharedSecret}`;
  }

  /** A valid access token, refreshing it when it is within the margin of expiry. */
  async accessToken(force = false): Promise<Result<CachedToken>> {
    if (!force && this.token && this.token.expiresAtMs - ETSY_TOKEN_REFRESH_MARGIN_MS > this.now()) return ok(this.token);
    // One refresh at a time: concurrent pushes share it instead of each spending a request.
    this.refreshing ??= this.refresh().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async refresh(): Promise<Result<CachedToken>> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: this.credentials.keystring, refresh_token: this.credentials.refreshToken });
    const sent = await sendHttp(this.fetchImpl, {
      method: 'POST',
      url: `${this.baseUrl}/v3/public/oauth/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}),
    });
    if (!sent.ok) return sent;
    const response = sent.value;
    if (response.status !== 200) return fail(this.failure(response, 'Etsy token refresh'));
    const json = parseJson(response, 'Etsy token refresh');
    if (!json.ok) return json;
    const body = json.value as { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    if (typeof body.access_token !== 'string' || !/^\d+\./.test(body.access_token) || typeof body.expires_in !== 'number') {
      return fail(channelError('invalid_response', 'Etsy token refresh answered without access_token "{user_id}.{token}" and numeric expires_in'));
    }
    this.token = { accessToken: body.access_token, expiresAtMs: this.now() + body.expires_in * 1000 };
    return ok(this.token);
  }

  /** Decodes Etsy's `{error, error_description?}` bodies; maps OAuth grant refusals to unauthorized. */
  failure(response: HttpResponse, operation: string): ChannelError {
    let message: string | undefined;
    let code: string | undefined;
    try {
      const body = JSON.parse(response.text) as { error?: unknown; error_description?: unknown };
      if (typeof body.error === 'string') {
        code = body.error.length <= 40 && /^[a-z_]+$/.test(body.error) ? body.error : undefined;
        message = typeof body.error_description === 'string' ? `${body.error}: ${body.error_description}` : body.error;
      }
    } catch {
      message = undefined;
    }
    const error = httpFailure(response, operation, { ...(message ? { message: message.slice(0, 300) } : {}), ...(code ? { marketplaceCode: code } : {}) });
    // invalid_grant / invalid_client come with 400 but mean the stored credentials are refused.
    if (code === 'invalid_grant' || code === 'invalid_client') return { ...error, code: 'unauthorized', retryable: false };
    return error;
  }

  /** One authenticated call; on a 401 the token is refreshed once and the call repeated. */
  async call(request: EtsyRequest, operation: string): Promise<Result<HttpResponse>> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const token = await this.accessToken(attempt > 0);
      if (!token.ok) return token;
      const sent = await this.send(request, token.value.accessToken);
      if (!sent.ok) return sent;
      if (sent.value.status === 401 && attempt === 0) continue;
      if (sent.value.status < 200 || sent.value.status >= 300) return fail(this.failure(sent.value, operation));
      return sent;
    }
    throw new Error('unreachable: the loop returns on its second attempt');
  }

  /** Calls that need only the API key (openapi-ping). */
  async callWithKeyOnly(path: string, operation: string): Promise<Result<HttpResponse>> {
    const sent = await this.send({ method: 'GET', path }, undefined);
    if (!sent.ok) return sent;
    if (sent.value.status !== 200) return fail(this.failure(sent.value, operation));
    return sent;
  }

  observeDailyBudget(listener: (remaining: number, limit: number) => void): void {
    this.dailyListeners.push(listener);
  }

  private async send(request: EtsyRequest, accessToken: string | undefined): ReturnType<typeof sendHttp> {
    const sent = await this.sendNow(request, accessToken);
    if (sent.ok && this.dailyListeners.length > 0) {
      const remaining = Number(sent.value.headers.get('x-remaining-today') ?? NaN);
      const limit = Number(sent.value.headers.get('x-limit-per-day') ?? NaN);
      if (Number.isSafeInteger(remaining) && remaining >= 0 && Number.isSafeInteger(limit) && limit > 0) for (const listener of this.dailyListeners) listener(remaining, limit);
    }
    return sent;
  }

  private sendNow(request: EtsyRequest, accessToken: string | undefined): ReturnType<typeof sendHttp> {
    const url = new URL(request.path, this.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { 'x-api-key': this.apiKeyHeader, accept: 'application/json' };
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return sendHttp(this.fetchImpl, {
      method: request.method,
      url: url.toString(),
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}),
    });
  }

  /** Parses a JSON body and checks it with a schema's safeParse; names what is wrong. */
  static decode<T>(response: HttpResponse, operation: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }): Result<T> {
    const json = parseJson(response, operation);
    if (!json.ok) return json;
    const parsed = schema.safeParse(json.value);
    if (parsed.success) return ok(parsed.data);
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(body)'} ${issue.message}`).join('; ');
    return fail(channelError('invalid_response', `${operation} answered a body that is not Etsy's documented shape: ${issues}`, { status: response.status }));
  }
}
