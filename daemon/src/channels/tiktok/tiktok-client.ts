/**
 * The HTTP edge of the TikTok Shop connector: tokens from /api/v2/token/refresh (or /get with an
 * auth code), cached and refreshed before expiry and once on an expired-token answer, and every
 * API call signed over the exact bytes sent. Tokens and secrets never enter error messages.
 */
import { z } from 'zod';
import { channelError, fail, ok, type ChannelConnection, type ChannelError, type Result } from '../channel.js';
import { codeForStatus, parseRetryAfterMs, sendHttp, type HttpRequest, type HttpResponse } from '../http.js';
import { TIKTOK_TOKEN_REFRESH_MARGIN_MS } from './limits.js';
import { signRequest } from './tiktok-sign.js';

const envelopeSchema = z.object({ code: z.number().int(), message: z.string().optional(), request_id: z.string().optional(), data: z.unknown().optional() });
const tokenSchema = z.object({ access_token: z.string().min(1), access_token_expire_in: z.number().int(), refresh_token: z.string().min(1) });

/** TikTok codes meaning the access token is invalid or expired (a refresh may help). */
const TOKEN_CODES = new Set([105001, 105002]);

export interface TiktokCredentials { appKey: string; appSecret: string; authCode?: string; refreshToken?: string; shopCipher?: string }

export class TiktokClient {
  private token: { value: string; expiresAtMs: number; refreshToken: string } | undefined;
  private pending: Promise<Result<{ expiresAt: number }>> | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly baseUrl: string;

  constructor(private readonly connection: ChannelConnection, private readonly credentials: TiktokCredentials, private readonly authBaseUrl: string) {
    this.fetchImpl = connection.fetch ?? fetch;
    this.now = connection.now ?? Date.now;
    this.baseUrl = connection.baseUrl.replace(/\/+$/, '');
  }

  authenticate(force = false): Promise<Result<{ expiresAt: number }>> {
    if (!force && this.token && this.token.expiresAtMs - TIKTOK_TOKEN_REFRESH_MARGIN_MS > this.now()) return Promise.resolve(ok({ expiresAt: this.token.expiresAtMs }));
    this.pending ??= this.requestToken().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async requestToken(): Promise<Result<{ expiresAt: number }>> {
    const refreshToken = this.token?.refreshToken ?? this.credentials.refreshToken;
    const query = new URLSearchParams({ app_key: this.credentials.appKey, app_secret: this.credentials.appSecret });
    if (refreshToken) query.set('refresh_token', refreshToken), query.set('grant_type', 'refresh_token');
    else query.set('auth_code', this.credentials.authCode ?? ''), query.set('grant_type', 'authorized_code');
    const path = refreshToken ? '/api/v2/token/refresh' : '/api/v2/token/get';
    const sent = await this.send({ method: 'GET', url: `${this.authBaseUrl.replace(/\/+$/, '')}${path}?${query.toString()}` });
    if (!sent.ok) return sent;
    const envelope = this.envelope(sent.value, `GET ${path}`);
    if (!envelope.ok) {
      const error = envelope.error;
      // Refused app credentials or grants stay refused: the scheduler must not retry them.
      return fail(error.code === 'server_error' || error.code === 'rate_limited' ? error : { ...error, code: 'unauthorized', retryable: false });
    }
    const parsed = tokenSchema.safeParse(envelope.value);
    if (!parsed.success) return fail(channelError('invalid_response', `GET ${path} answered without access_token, access_token_expire_in and refresh_token`));
    const expiresAtMs = parsed.data.access_token_expire_in * 1000;
    this.token = { value: parsed.data.access_token, expiresAtMs, refreshToken: parsed.data.refresh_token };
    return ok({ expiresAt: expiresAtMs });
  }

  /** A signed API call; answers the envelope's `data` when code is 0. */
  async call(method: 'GET' | 'POST', path: string, params: Record<string, string>, body?: unknown): Promise<Result<unknown>> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const authenticated = await this.authenticate(attempt > 0);
      if (!authenticated.ok) return authenticated;
      const query: Record<string, string> = { ...params, app_key: this.credentials.appKey, timestamp: String(Math.floor(this.now() / 1000)) };
      if (this.credentials.shopCipher) query.shop_cipher = this.credentials.shopCipher;
      query.sign = signRequest({ appSecret: this.credentials.appSecret, path, query, body: text ?? '', contentType: 'application/json' });
      const sent = await this.send({ method, url: `${this.baseUrl}${path}?${new URLSearchParams(query).toString()}`, headers: { 'x-tts-access-token': this.token?.value ?? '', 'content-type': 'application/json' }, ...(text === undefined ? {} : { body: text }) });
      if (!sent.ok) return sent;
      const envelope = this.envelope(sent.value, `${method} ${path}`);
      if (!envelope.ok && envelope.error.code === 'unauthorized' && attempt === 0 && TOKEN_CODES.has(Number(envelope.error.marketplaceCode))) continue;
      return envelope;
    }
    return fail(channelError('unauthorized', `${method} ${path} was refused after a fresh token`));
  }

  private envelope(response: HttpResponse, operation: string): Result<unknown> {
    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch {
      return fail(channelError(response.status >= 500 ? 'server_error' : 'invalid_response', `${operation} answered ${response.status} with a body that is not JSON`, { status: response.status }));
    }
    const parsed = envelopeSchema.safeParse(json);
    if (!parsed.success) return fail(channelError('invalid_response', `${operation} answered ${response.status} without TikTok's {code, message, data} envelope`, { status: response.status }));
    if (parsed.data.code === 0 && response.status < 300) return ok(parsed.data.data);
    return fail(this.failure(response, operation, parsed.data.code, parsed.data.message));
  }

  private failure(response: HttpResponse, operation: string, code: number, message: string | undefined): ChannelError {
    const extra: Partial<ChannelError> = { status: response.status, marketplaceCode: String(code) };
    let kind = response.status >= 300 ? codeForStatus(response.status) : 'invalid_request';
    if (TOKEN_CODES.has(code) || code === 106001 || code === 36009004) kind = 'unauthorized';
    if (response.status === 429) extra.retryAfterMs = Math.max(1, parseRetryAfterMs(response.headers.get('retry-after'), this.now()) ?? 1000);
    return channelError(kind, `${operation} answered ${response.status} code ${code}${message ? `: ${message}` : ''}`, extra);
  }

  private send(request: HttpRequest): Promise<Result<HttpResponse>> {
    return sendHttp(this.fetchImpl, this.connection.requestTimeoutMs === undefined ? request : { ...request, timeoutMs: this.connection.requestTimeoutMs });
  }
}
