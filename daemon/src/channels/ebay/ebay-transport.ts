/**
 * The HTTP edge of the eBay connector: REST calls with the user (or application) bearer token
 * and Trading calls with the IAF header, each refreshing the token once after eBay refuses it.
 * Everything else in the connector is pure mapping around these two functions.
 */
import { fail, ok, type Result } from '../channel.js';
import { parseJson, sendHttp, type HttpResponse } from '../http.js';
import { restFailure } from './ebay-errors.js';
import type { TokenKeeper, TokenKind } from './token-keeper.js';
import { isTokenRefusal, parseTradingResponse, TRADING_PATH, tradingHeaders, type TradingResponse } from './trading-xml.js';

export interface TransportOptions {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  marketplaceId: string;
}

export interface RestRequest {
  operation: string;
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/sell/inventory/v1/inventory_item?limit=200&offset=0`. */
  path: string;
  body?: unknown;
  token?: TokenKind;
}

export class EbayTransport {
  constructor(private readonly options: TransportOptions, private readonly tokens: TokenKeeper) {}

  /** A REST call whose 2xx JSON body is returned; any other answer is a ChannelError. */
  async rest(request: RestRequest): Promise<Result<{ status: number; body: unknown }>> {
    const kind = request.token ?? 'user';
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.tokens.get(kind);
      if (!token.ok) return token;
      const sent = await this.send(request, token.value.accessToken);
      if (!sent.ok) return sent;
      const response = sent.value;
      if (response.status === 401 && attempt === 1) {
        this.tokens.invalidate(kind, token.value.accessToken);
        continue;
      }
      if (response.status < 200 || response.status >= 300) return fail(restFailure(response, request.operation));
      const body = parseJson(response, request.operation);
      return body.ok ? ok({ status: response.status, body: body.value }) : body;
    }
  }

  private send(request: RestRequest, accessToken: string): Promise<Result<HttpResponse>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/json',
      'x-ebay-c-marketplace-id': this.options.marketplaceId,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return sendHttp(this.options.fetch, {
      method: request.method,
      url: `${this.options.baseUrl}${request.path}`,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      timeoutMs: this.options.timeoutMs,
    });
  }

  /** A Trading call; its XML answer is parsed, and an IAF-token refusal refreshes once. */
  async trading(callName: string, xml: string): Promise<Result<TradingResponse>> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.tokens.get('user');
      if (!token.ok) return token;
      const sent = await sendHttp(this.options.fetch, {
        method: 'POST',
        url: `${this.options.baseUrl}${TRADING_PATH}`,
        headers: tradingHeaders(callName, token.value.accessToken),
        body: xml,
        timeoutMs: this.options.timeoutMs,
      });
      if (!sent.ok) return sent;
      if (sent.value.status !== 200) return fail(restFailure(sent.value, callName));
      const parsed = parseTradingResponse(sent.value.text, `${callName}Response`);
      if (!parsed.ok) return parsed;
      if (isTokenRefusal(parsed.value) && attempt === 1) {
        this.tokens.invalidate('user', token.value.accessToken);
        continue;
      }
      return parsed;
    }
  }
}
