/**
 * The HTTP edge of the Walmart connector: the client-credentials token (cached, refreshed a
 * minute before its 900 s run out and once more on a 401) and the WM_* headers every call needs.
 * Tokens and secrets never enter an error message: failures name only the operation and path.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { channelError, fail, ok, type ChannelConnection, type ChannelError, type Result } from '../channel.js';
import { sendHttp, type HttpRequest, type HttpResponse } from '../http.js';
import { WALMART_TOKEN_REFRESH_MARGIN_MS } from './limits.js';
import { currentTokenCount, walmartFailure } from './walmart-errors.js';

/** WM_SVC.NAME as Walmart's own examples send it. */
export const WALMART_SERVICE_NAME = 'Walmart Marketplace';

const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number().int().positive() });

export interface WalmartCall {
  operation: string;
  method: HttpRequest['method'];
  /** Path and query, e.g. `/v3/inventory?sku=A%201`. */
  path: string;
  body?: string;
  contentType?: string;
}

/** Told what x-current-token-count said, per operation, after every answer that carried it. */
export type TokenCountListener = (operation: string, tokens: number) => void;

export class WalmartClient {
  private readonly tokenListeners: TokenCountListener[] = [];
  private token: { value: string; expiresAtMs: number } | undefined;
  private pendingToken: Promise<Result<{ expiresAt: number }>> | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly baseUrl: string;

  constructor(private readonly connection: ChannelConnection, private readonly clientId: string, private readonly clientSecret: string) {
    this.fetchImpl = connection.fetch ?? fetch;
    this.now = connection.now ?? Date.now;
    this.baseUrl = connection.baseUrl.replace(/\/+$/, '');
  }

  /** Every answer's x-current-token-count goes to `listener` (the scheduler's bucket for the
   * operation believes it: a restarted daemon learns what the killed run already spent). */
  observeTokenCounts(listener: TokenCountListener): void {
    this.tokenListeners.push(listener);
  }

  private noteTokens(operation: string, response: HttpResponse): void {
    const tokens = currentTokenCount(response.headers);
    if (tokens === undefined) return;
    for (const listener of this.tokenListeners) listener(operation, tokens);
  }

  /** Fetches a token unless a fresh one is cached; concurrent callers share one request. */
  authenticate(force = false): Promise<Result<{ expiresAt: number }>> {
    if (!force && this.token && this.token.expiresAtMs - WALMART_TOKEN_REFRESH_MARGIN_MS > this.now()) return Promise.resolve(ok({ expiresAt: this.token.expiresAtMs }));
    if (force) this.token = undefined;
    this.pendingToken ??= this.requestToken().finally(() => { this.pendingToken = undefined; });
    return this.pendingToken;
  }

  private async requestToken(): Promise<Result<{ expiresAt: number }>> {
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`, 'utf8').toString('base64');
    const sent = await this.send({
      method: 'POST',
      url: `${this.baseUrl}/v3/token`,
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'WM_SVC.NAME': WALMART_SERVICE_NAME,
        'WM_QOS.CORRELATION_ID': randomUUID(),
      },
      body: 'grant_type=client_credentials',
    });
    if (!sent.ok) return sent;
    const response = sent.value;
    this.noteTokens('getToken', response);
    if (response.status !== 200) {
      const error = walmartFailure(response, 'POST /v3/token', this.now());
      // Refused credentials will be refused again: the scheduler must not retry them.
      return fail(response.status === 401 || response.status === 400 ? { ...error, code: 'unauthorized', retryable: false } : error);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return fail(channelError('invalid_response', 'POST /v3/token answered 200 with a body that is not JSON', { status: 200 }));
    }
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) return fail(channelError('invalid_response', 'POST /v3/token answered 200 without access_token, token_type and expires_in', { status: 200 }));
    const expiresAtMs = this.now() + parsed.data.expires_in * 1000;
    this.token = { value: parsed.data.access_token, expiresAtMs };
    return ok({ expiresAt: expiresAtMs });
  }

  /** Sends one API call; a 401 refreshes the token once and repeats the call. Non-2xx is a ChannelError. */
  async call(call: WalmartCall): Promise<Result<HttpResponse>> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const authenticated = await this.authenticate(attempt > 0);
      if (!authenticated.ok) return authenticated;
      const headers: Record<string, string> = {
        'WM_SEC.ACCESS_TOKEN': this.token?.value ?? '',
        'WM_QOS.CORRELATION_ID': randomUUID(),
        'WM_SVC.NAME': WALMART_SERVICE_NAME,
        Accept: 'application/json',
      };
      if (call.contentType) headers['Content-Type'] = call.contentType;
      const sent = await this.send({ method: call.method, url: `${this.baseUrl}${call.path}`, headers, ...(call.body === undefined ? {} : { body: call.body }) });
      if (!sent.ok) return sent;
      this.noteTokens(call.operation, sent.value);
      if (sent.value.status === 401 && attempt === 0) continue;
      if (sent.value.status >= 200 && sent.value.status < 300) return sent;
      return fail(this.describe(sent.value, call));
    }
    return fail(channelError('unauthorized', `${call.method} ${call.path.split('?')[0]} was refused after a fresh token`));
  }

  private describe(response: HttpResponse, call: WalmartCall): ChannelError {
    return walmartFailure(response, `${call.method} ${call.path.split('?')[0]}`, this.now());
  }

  private send(request: HttpRequest): Promise<Result<HttpResponse>> {
    return sendHttp(this.fetchImpl, this.connection.requestTimeoutMs === undefined ? request : { ...request, timeoutMs: this.connection.requestTimeoutMs });
  }
}
