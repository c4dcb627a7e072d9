/**
 * sendHttp over Node's HTTP client (the connectors' default) against a real local server: answers,
 * timeouts, refused connections and compressed bodies read as fetch's path reads them, and a push
 * whose lease lapses before its request is written sends nothing (B8).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Channel, PushPath, PushResult, QuantityUpdate } from '../../daemon/src/channels/channel.js';
import { sendHttp } from '../../daemon/src/channels/http.js';
import type { LeaseState } from '../../daemon/src/ledger/outbox-claims.js';
import { fencedChannel, leaseCheckedFetch } from '../../daemon/src/sync/lease-guard.js';

let server: Server;
let baseUrl: string;
const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
let handler: (request: IncomingMessage, response: ServerResponse, body: string) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => { body += chunk; });
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  handler = (_request, response, body) => { response.setHeader('content-type', 'application/json'); response.setHeader('x-echo', 'yes'); response.end(JSON.stringify({ echoed: body })); };
});

describe('sendHttp through Node\'s HTTP client', () => {
  it('sends the method, headers and body, and returns status, headers and text', async () => {
    const sent = await sendHttp(fetch, { method: 'PUT', url: `${baseUrl}/v1/items/a?x=1`, headers: { 'content-type': 'application/json', 'x-token': 't' }, body: '{"quantity":7}' });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.value.status).toBe(200);
    expect(sent.value.headers.get('x-echo')).toBe('yes');
    expect(JSON.parse(sent.value.text)).toEqual({ echoed: '{"quantity":7}' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/v1/items/a?x=1', body: '{"quantity":7}' });
    expect(received[0]!.headers['x-token']).toBe('t');
    expect(received[0]!.headers['content-length']).toBe('14');
    // Node's client, not fetch (which says "node"): the path the connectors take by default.
    expect(received[0]!.headers['user-agent']).toBe('shelfguard');
  });

  it('returns a non-2xx answer as an answer, with its Retry-After readable', async () => {
    handler = (_request, response) => { response.statusCode = 429; response.setHeader('retry-after', '3'); response.end('slow down'); };
    const sent = await sendHttp(fetch, { method: 'GET', url: `${baseUrl}/limited` });
    expect(sent.ok && sent.value.status).toBe(429);
    expect(sent.ok && sent.value.headers.get('retry-after')).toBe('3');
    expect(sent.ok && sent.value.text).toBe('slow down');
  });

  it('decodes a gzip body a server sends unasked', async () => {
    handler = (_request, response) => { response.setHeader('content-encoding', 'gzip'); response.end(gzipSync('{"ok":true}')); };
    const sent = await sendHttp(fetch, { method: 'GET', url: `${baseUrl}/gzip` });
    expect(sent.ok && sent.value.text).toBe('{"ok":true}');
  });

  it('answers a hung request with a timeout, and a refused connection with a network error', async () => {
    handler = () => { /* never answers */ };
    const hung = await sendHttp(fetch, { method: 'GET', url: `${baseUrl}/hang`, timeoutMs: 200 });
    expect(hung).toEqual({ ok: false, error: expect.objectContaining({ code: 'timeout', retryable: true }) });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await sendHttp(fetch, { method: 'GET', url: `http://127.0.0.1:${port}/gone?token=secret` });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'network', retryable: true }) });
    // Only the path reaches the message: the query may carry a token.
    expect(!refused.ok && refused.error.message).not.toContain('secret');
  });
});

describe('a lease-checked push over Node\'s HTTP client', () => {
  /** A channel whose push makes one request through leaseCheckedFetch, as the daemon's connectors do. */
  function requestingChannel(): Channel {
    return {
      name: 'ebay',
      async pushQuantities(updates: QuantityUpdate[], _path: PushPath): Promise<PushResult[]> {
        const sent = await sendHttp(leaseCheckedFetch, { method: 'PUT', url: `${baseUrl}/push`, body: JSON.stringify(updates.map((update) => update.quantity)) });
        return updates.map((update) => (sent.ok ? { sku: update.listing.sku, version: update.version, status: 'applied' } : { sku: update.listing.sku, version: update.version, status: 'failed', error: sent.error }));
      },
    } as unknown as Channel;
  }
  const update: QuantityUpdate = { listing: { sku: 'A-1', identifiers: {} }, quantity: 4, version: 3 };

  it('is sent while the lease is held', async () => {
    const results = await fencedChannel(requestingChannel(), { leaseState: () => 'held' }).pushQuantities([update], 'single');
    expect(results[0]!.status).toBe('applied');
    expect(received).toHaveLength(1);
  });

  it('is not written when the lease lapses between the push\'s check and its connection', async () => {
    // Held at the wrapper's check, lapsed by the time the request is handed its connection.
    const states: LeaseState[] = ['held', 'held'];
    const results = await fencedChannel(requestingChannel(), { leaseState: () => states.shift() ?? 'lapsed' }).pushQuantities([update], 'single');
    expect(results[0]).toMatchObject({ status: 'failed', error: { code: 'network', message: expect.stringContaining('lease on this push lapsed') } });
    // Give a request that did leave the time to arrive: none may.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(0);
  });
});
