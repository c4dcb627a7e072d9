/**
 * The HTTP edge every connector uses: one place that turns timeouts, refused connections and
 * HTTP statuses into ChannelErrors, and reads Retry-After. Marketplace-specific error bodies and
 * throttling headers are decoded by each connector and passed in as `details`.
 */
import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { channelError, type ChannelError, type ChannelErrorCode, type Result } from './channel.js';

export const HTTP_TIMEOUT_MS_DEFAULT = 10_000;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as is: connectors that sign bodies serialise once and sign those exact bytes. */
  body?: string | Uint8Array;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A fetch that stands for Node's own HTTP client may carry, under this key, the sender sendHttp
 * is to use instead of calling it (see leaseCheckedFetch). */
export const NATIVE_SEND = Symbol.for('shelfguard.http.nativeSend');
export type NativeSend = (request: HttpRequest) => Promise<Result<HttpResponse>>;

/** Sends a request through `fetchImpl` — or, when that is the platform's fetch (or one marked with
 * NATIVE_SEND), through Node's HTTP client, which costs a third of fetch's CPU per request: at
 * thousands of pushes a second that is the difference between keeping up and falling behind.
 * Tests and tools that pass a fetch of their own get exactly that fetch. */
export async function sendHttp(fetchImpl: typeof fetch, request: HttpRequest): Promise<Result<HttpResponse>> {
  const native = fetchImpl === globalThis.fetch ? sendNative : (fetchImpl as { [NATIVE_SEND]?: NativeSend })[NATIVE_SEND];
  if (typeof native === 'function') return native(request);
  const timeoutMs = request.timeoutMs ?? HTTP_TIMEOUT_MS_DEFAULT;
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { ok: true, value: { status: response.status, headers: response.headers, text } };
  } catch (error) {
    // Read the name as a property: under jest's VM realms the DOMException that AbortSignal.timeout
    // raises is not an instance of this realm's Error, and a timeout must not pass for a network fault.
    const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, error: timeoutFailure(request, timeoutMs) };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { ok: false, error: networkFailure(request, cause) };
  }
}

/** Keep-alive connections, as fetch keeps them. An idle one closes after 4 s (sooner if the server
 * says it keeps them less): a server closing one just as it is reused would fail the request, and
 * Node's own server closes idle connections after 5 s. */
const AGENT_OPTIONS: http.AgentOptions = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' };
const agents = { http: new http.Agent(AGENT_OPTIONS), https: new https.Agent(AGENT_OPTIONS) };

/**
 * One request through Node's HTTP client, answered like fetch's path in sendHttp: a timeout covers
 * the whole exchange, body included; a refused or broken connection is a network error.
 * `beforeWrite` is asked as the request is handed its connection, just before it is written (and
 * again once a new connection is up, for a request that waited for one): an error it returns
 * aborts the request unsent.
 */
export function sendNative(request: HttpRequest, beforeWrite?: () => Error | undefined): Promise<Result<HttpResponse>> {
  const timeoutMs = request.timeoutMs ?? HTTP_TIMEOUT_MS_DEFAULT;
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      resolve({ ok: false, error: networkFailure(request, 'the URL cannot be parsed') });
      return;
    }
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      resolve({ ok: false, error: networkFailure(request, `unsupported protocol ${url.protocol}`) });
      return;
    }
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const headers: Record<string, string | number> = { accept: '*/*', 'user-agent': 'shelfguard', ...request.headers };
    if (body !== undefined) headers['content-length'] = body.byteLength;
    let settled = false;
    const finish = (result: Result<HttpResponse>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const failNetwork = (error: Error) => finish({ ok: false, error: networkFailure(request, error.message) });
    const outgoing = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', failNetwork);
      response.on('end', () => {
        const decoded = decodeBody(Buffer.concat(chunks), response.headers['content-encoding']);
        if (!decoded.ok) return failNetwork(decoded.error);
        const answered = new Headers();
        const raw = response.rawHeaders;
        for (let index = 0; index + 1 < raw.length; index += 2) answered.append(raw[index]!, raw[index + 1]!);
        // As fetch's text(): UTF-8, a leading byte order mark dropped.
        const text = decoded.value.toString('utf8');
        finish({ ok: true, value: { status: response.statusCode ?? 0, headers: answered, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text } });
      });
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish({ ok: false, error: timeoutFailure(request, timeoutMs) });
    }, timeoutMs);
    outgoing.on('error', failNetwork);
    if (beforeWrite) {
      const check = () => {
        const refused = beforeWrite();
        if (refused) { outgoing.destroy(refused); failNetwork(refused); }
      };
      // 'socket' comes right before the request is written to a connection it was handed; one
      // still connecting is written once connected, after this 'connect' listener has run.
      outgoing.once('socket', (socket) => {
        check();
        if (!settled && socket.connecting) socket.once(secure ? 'secureConnect' : 'connect', check);
      });
    }
    outgoing.end(body);
  });
}

function decodeBody(body: Buffer, encoding: string | undefined): { ok: true; value: Buffer } | { ok: false; error: Error } {
  try {
    if (!encoding || encoding === 'identity') return { ok: true, value: body };
    if (encoding === 'gzip' || encoding === 'x-gzip') return { ok: true, value: gunzipSync(body) };
    if (encoding === 'deflate') return { ok: true, value: inflateSync(body) };
    if (encoding === 'br') return { ok: true, value: brotliDecompressSync(body) };
    return { ok: false, error: new Error(`the answer's content-encoding ${encoding.slice(0, 40)} is not supported`) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** A request that got no answer in time (names only the path, see pathOf). */
function timeoutFailure(request: HttpRequest, timeoutMs: number): ChannelError {
  return channelError('timeout', `${request.method} ${pathOf(request.url)} got no answer within ${timeoutMs} ms`);
}

/** A request that was refused, broke on the wire or was never sent (names only the path). */
export function networkFailure(request: Pick<HttpRequest, 'method' | 'url'>, cause: string): ChannelError {
  return channelError('network', `${request.method} ${pathOf(request.url)} failed: ${cause}`);
}

/** Only the path: URLs may carry signed query strings or tokens that must not reach logs. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

export function codeForStatus(status: number): ChannelErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** A non-2xx response as a ChannelError; `details` carries what the marketplace's body said. */
export function httpFailure(response: HttpResponse, operation: string, details: { message?: string; marketplaceCode?: string; retryAfterMs?: number } = {}): ChannelError {
  const retryAfterMs = details.retryAfterMs ?? parseRetryAfterMs(response.headers.get('retry-after'));
  const extra: Partial<ChannelError> = { status: response.status };
  if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
  if (details.marketplaceCode !== undefined) extra.marketplaceCode = details.marketplaceCode;
  const message = `${operation} answered ${response.status}${details.message ? `: ${details.message}` : ''}`;
  return channelError(codeForStatus(response.status), message, extra);
}

/** Parses JSON or reports the marketplace's answer as not its documented shape. */
export function parseJson(response: HttpResponse, operation: string): Result<unknown> {
  try {
    return { ok: true, value: response.text === '' ? null : JSON.parse(response.text) };
  } catch {
    return { ok: false, error: channelError('invalid_response', `${operation} answered ${response.status} with a body that is not JSON`, { status: response.status }) };
  }
}
