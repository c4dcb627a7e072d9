/**
 * The conformance suite every connector passes against its sandbox, over real HTTP, before
 * anything marketplace-specific is tested. A connector's test file calls
 * `describeChannelConformance(harness)`; adding a marketplace adds a harness, not tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel, ChannelEvent, ChannelName, InboundNotification, ListingRef, PushPath, QuantityUpdate } from '../../daemon/src/channels/channel.js';
import type { SandboxHandle, SandboxOptions } from '../../daemon/src/sandbox/kit/sandbox-server.js';

export interface ConformanceHarness {
  name: ChannelName;
  startSandbox(options: SandboxOptions): Promise<SandboxHandle>;
  /** A connector pointed at the sandbox; `credentials` overrides (to test refusals), `requestTimeoutMs` for timeout tests. */
  createChannel(sandbox: SandboxHandle, overrides?: { credentials?: Record<string, string>; requestTimeoutMs?: number }): Channel;
  /** Credentials the marketplace would refuse. */
  wrongCredentials(sandbox: SandboxHandle): Record<string, string>;
  /** What the channel cannot do by its nature; absent means every capability. WooCommerce, the
   * plugin bridge, has no order polling or pushed notifications on this interface (its orders
   * reach the daemon through the plugin's events) and no rate limit of its own. */
  capabilities?: { readsOrders?: boolean; pushesNotifications?: boolean; hasRateLimits?: boolean };
}

interface SeededListing { sku: string; identifiers: Record<string, string>; parentSku?: string }

export async function sandboxCall<T = unknown>(sandbox: SandboxHandle, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function seedListings(sandbox: SandboxHandle, listings: Array<{ sku: string; quantity?: number; parentSku?: string; isParent?: boolean; attributes?: Record<string, string> }>): Promise<ListingRef[]> {
  const { listings: seeded } = await sandboxCall<{ listings: SeededListing[] }>(sandbox, 'POST', '/listings', { listings });
  return seeded.map((listing) => ({ sku: listing.sku, identifiers: listing.identifiers, ...(listing.parentSku ? { parentSku: listing.parentSku } : {}) }));
}

export async function sandboxQuantity(sandbox: SandboxHandle, sku: string): Promise<number> {
  return (await sandboxCall<{ quantity: number }>(sandbox, 'GET', `/listings/${encodeURIComponent(sku)}`)).quantity;
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A local HTTP endpoint that stores what a sandbox delivers, raw bytes included. */
export async function startNotificationReceiver(): Promise<{ url: string; received: InboundNotification[]; close(): Promise<void> }> {
  const received: InboundNotification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      received.push({ method: req.method ?? 'POST', url: req.url ?? '/', headers, rawBody: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function update(listing: ListingRef, quantity: number, version = 1): QuantityUpdate {
  return { listing, quantity, version };
}

export function describeChannelConformance(harness: ConformanceHarness): void {
  const capable = (name: 'readsOrders' | 'pushesNotifications' | 'hasRateLimits') => harness.capabilities?.[name] !== false;
  const testIf = (name: 'readsOrders' | 'pushesNotifications' | 'hasRateLimits') => (capable(name) ? test : test.skip);
  describe(`${harness.name} connector conformance`, () => {
    let sandbox: SandboxHandle;
    let channel: Channel;
    let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;

    beforeAll(async () => {
      receiver = await startNotificationReceiver();
      sandbox = await harness.startSandbox({ notifyUrl: `${receiver.url}/v1/webhooks/${harness.name}`, asyncDelayMs: 0, rateLimits: 'unlimited' });
      channel = harness.createChannel(sandbox);
    });
    afterAll(async () => {
      await sandbox.close();
      await receiver.close();
    });
    beforeEach(async () => {
      await sandboxCall(sandbox, 'POST', '/reset');
      await sandboxCall(sandbox, 'PUT', '/faults', { rate429: 0, rate5xx: 0, timeoutRate: 0, dropAfterApplyRate: 0, latencyMs: 0 });
      await sandboxCall(sandbox, 'PUT', '/config', { rateLimits: 'unlimited' });
      receiver.received.length = 0;
    });

    test('authenticates with the sandbox test credentials', async () => {
      const result = await channel.authenticate();
      expect(result).toMatchObject({ ok: true });
    });

    test('refuses wrong credentials as unauthorized and not retryable', async () => {
      const wrong = harness.createChannel(sandbox, { credentials: harness.wrongCredentials(sandbox) });
      const result = await wrong.authenticate();
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(['unauthorized', 'forbidden', 'invalid_request']).toContain(result.error.code);
        expect(result.error.retryable).toBe(false);
      }
    });

    test('publishes a quantity on the single path and the sandbox shows it', async () => {
      const [listing] = await seedListings(sandbox, [{ sku: 'CONF-SINGLE', quantity: 5 }]);
      const [result] = await channel.pushQuantities([update(listing!, 7)], 'single');
      expect(result).toMatchObject({ sku: 'CONF-SINGLE', version: 1 });
      expect(['applied', 'accepted']).toContain(result!.status);
      await waitFor(async () => ((await sandboxQuantity(sandbox, 'CONF-SINGLE')) === 7 ? true : undefined), 5_000, 'quantity 7');
    });

    test('refreshes an expired access token by itself and the push still lands', async () => {
      const [listing] = await seedListings(sandbox, [{ sku: 'CONF-REFRESH', quantity: 1 }]);
      expect((await channel.authenticate()).ok).toBe(true);
      await sandboxCall(sandbox, 'POST', '/tokens/expire');
      const [result] = await channel.pushQuantities([update(listing!, 3)], 'single');
      expect(['applied', 'accepted']).toContain(result!.status);
      await waitFor(async () => ((await sandboxQuantity(sandbox, 'CONF-REFRESH')) === 3 ? true : undefined), 5_000, 'quantity 3');
    });

    for (const path of ['bulk', 'feed'] as PushPath[]) {
      test(`on its ${path} path gives one result per SKU and fails only the unknown SKU`, async () => {
        if (!channel.limits.pushOperation[path]) return; // the marketplace has no such path
        const listings = await seedListings(sandbox, [1, 2, 3].map((n) => ({ sku: `CONF-${path}-${n}`, quantity: 1 })));
        const unknown: ListingRef = { sku: `CONF-${path}-UNKNOWN`, identifiers: listings[0]!.identifiers };
        const updates = [...listings.map((listing, index) => update(listing, 10 + index)), update({ ...unknown, identifiers: {} }, 4)];
        let results = await channel.pushQuantities(updates, path);
        expect(results.map((result) => result.sku)).toEqual(updates.map((entry) => entry.listing.sku));
        if (path === 'feed') {
          const feedId = results[0]!.submissionId!;
          expect(feedId).toBeTruthy();
          results = await waitFor(async () => {
            const status = await channel.getFeedStatus(feedId);
            return status.ok && status.value.state !== 'in_progress' ? status.value.results : undefined;
          }, 10_000, 'feed processing');
          const bySku = new Map(results.map((result) => [result.sku, result]));
          expect(bySku.get(unknown.sku)?.status).toBe('failed');
          for (const listing of listings) expect(bySku.get(listing.sku)?.status).not.toBe('failed');
        } else {
          expect(results.slice(0, 3).every((result) => result.status !== 'failed')).toBe(true);
          expect(results[3]!.status).toBe('failed');
          expect(results[3]!.error?.retryable).toBe(false);
        }
        for (const [index, listing] of listings.entries()) {
          await waitFor(async () => ((await sandboxQuantity(sandbox, listing.sku)) === 10 + index ? true : undefined), 10_000, `${listing.sku} = ${10 + index}`);
        }
      });
    }

    test('reads every sellable listing through its paged bulk path, once each, parents excluded', async () => {
      const count = Math.min(channel.limits.pageSizeMax + 3, 260);
      const seeds = Array.from({ length: count }, (_, index) => ({ sku: `CONF-READ-${String(index).padStart(4, '0')}`, quantity: index % 17 }));
      await seedListings(sandbox, [{ sku: 'CONF-PARENT', isParent: true }, { sku: 'CONF-CHILD-RED', quantity: 4, parentSku: 'CONF-PARENT', attributes: { color: 'Red' } }, ...seeds]);
      const seen = new Map<string, number>();
      let cursor: string | undefined;
      for (let pages = 0; pages < 1_000; pages += 1) {
        const page = await channel.readQuantities(cursor);
        if (!page.ok) throw new Error(`readQuantities failed: ${page.error.message}`);
        for (const item of page.value.items) {
          expect(seen.has(item.listing.sku)).toBe(false);
          seen.set(item.listing.sku, item.quantity);
        }
        cursor = page.value.nextCursor;
        if (!cursor) break;
      }
      for (const seed of seeds) expect(seen.get(seed.sku)).toBe(seed.quantity);
      expect(seen.get('CONF-CHILD-RED')).toBe(4);
      expect(seen.has('CONF-PARENT')).toBe(false);
    });

    testIf('readsOrders')('reads orders since a cursor and does not repeat them', async () => {
      await seedListings(sandbox, [{ sku: 'CONF-ORDER', quantity: 9 }]);
      const before = await channel.readOrders(new Date(Date.now() - 60_000).toISOString());
      if (!before.ok) throw new Error(before.error.message);
      const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'CONF-ORDER', quantity: 2 }] });
      const first = await channel.readOrders(before.value.cursor);
      if (!first.ok) throw new Error(first.error.message);
      const found = first.value.orders.find((candidate) => candidate.orderId === order.orderId);
      expect(found).toBeDefined();
      expect(found!.lines).toEqual([expect.objectContaining({ sku: 'CONF-ORDER', quantity: 2 })]);
      const again = await channel.readOrders(first.value.cursor);
      if (!again.ok) throw new Error(again.error.message);
      expect(again.value.orders.find((candidate) => candidate.orderId === order.orderId && candidate.status === 'created')).toBeUndefined();
      const single = await channel.getOrder(order.orderId);
      expect(single).toMatchObject({ ok: true, value: { orderId: order.orderId } });
    });

    testIf('pushesNotifications')('turns the notification of a new order into an order event', async () => {
      await seedListings(sandbox, [{ sku: 'CONF-NOTIFY', quantity: 9 }]);
      const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'CONF-NOTIFY', quantity: 1 }] });
      const events = await receiveEvents(channel, receiver);
      const event = events.find((candidate) => (candidate.order?.orderId ?? candidate.orderId) === order.orderId);
      expect(event).toBeDefined();
      expect(event!.eventId).toBeTruthy();
      expect(['order.created', 'order.updated']).toContain(event!.type);
    });

    testIf('pushesNotifications')('refuses a pushed notification whose body changed by one byte', async () => {
      if (channel.receiveNotifications) return; // pull-based: the queue's own access control stands in for a signature
      await seedListings(sandbox, [{ sku: 'CONF-TAMPER', quantity: 9 }]);
      await sandboxCall(sandbox, 'POST', '/orders', { lines: [{ sku: 'CONF-TAMPER', quantity: 1 }] });
      const genuine = await waitFor(async () => receiver.received.find((entry) => entry.rawBody.length > 0), 5_000, 'a notification');
      const tampered = Buffer.from(genuine.rawBody);
      const middle = Math.floor(tampered.length / 2);
      tampered[middle] = (tampered[middle] ?? 0) ^ 0x01;
      const result = await channel.handleNotification({ ...genuine, rawBody: tampered });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_signature' } });
      const unsigned = await channel.handleNotification({ ...genuine, headers: {} });
      expect(unsigned).toMatchObject({ ok: false });
    });

    test('reports a 429 as rate_limited with the wait the marketplace announced', async () => {
      const [listing] = await seedListings(sandbox, [{ sku: 'CONF-429', quantity: 1 }]);
      await channel.authenticate();
      await sandboxCall(sandbox, 'PUT', '/faults', { rate429: 1, retryAfterSeconds: 2 });
      const [result] = await channel.pushQuantities([update(listing!, 2)], 'single');
      expect(result!.status).toBe('failed');
      expect(result!.error).toMatchObject({ code: 'rate_limited', retryable: true });
      expect(result!.error!.retryAfterMs).toBeGreaterThan(0);
    });

    test('reports a 5xx as a retryable server_error', async () => {
      const [listing] = await seedListings(sandbox, [{ sku: 'CONF-5XX', quantity: 1 }]);
      await channel.authenticate();
      await sandboxCall(sandbox, 'PUT', '/faults', { rate5xx: 1 });
      const [result] = await channel.pushQuantities([update(listing!, 2)], 'single');
      expect(result).toMatchObject({ status: 'failed', error: { code: 'server_error', retryable: true } });
    });

    test('reports a hung request as a retryable timeout', async () => {
      const [listing] = await seedListings(sandbox, [{ sku: 'CONF-HANG', quantity: 1 }]);
      const impatient = harness.createChannel(sandbox, { requestTimeoutMs: 300 });
      await impatient.authenticate();
      await sandboxCall(sandbox, 'PUT', '/faults', { timeoutRate: 1, hangMs: 2_000 });
      const [result] = await impatient.pushQuantities([update(listing!, 2)], 'single');
      expect(result).toMatchObject({ status: 'failed', error: { code: 'timeout', retryable: true } });
    });

    testIf('hasRateLimits')('with documented limits the sandbox throttles a burst above the rate', async () => {
      // Enough requests at once to overrun the documented bucket of the single-push operation.
      // On a loaded machine the requests may trickle in slowly enough to stay under the rate, so
      // the test checks the bucket itself: never more admitted than burst + rate × elapsed, and
      // throttling whenever more than that was sent.
      const singleOperation = channel.limits.pushOperation.single;
      const limit = singleOperation ? channel.limits.operations[singleOperation] : undefined;
      if (!singleOperation || !limit) return;
      const count = Math.min(300, Math.ceil(limit.burst + limit.ratePerSecond) * 2 + 5);
      const listings = await seedListings(sandbox, Array.from({ length: count }, (_, index) => ({ sku: `CONF-RATE-${index}`, quantity: 1 })));
      await channel.authenticate();
      await sandboxCall(sandbox, 'PUT', '/config', { rateLimits: 'documented' });
      const startedMs = Date.now();
      const results = (await Promise.all(listings.map((listing) => channel.pushQuantities([update(listing, 2)], 'single')))).flat();
      const elapsedSeconds = (Date.now() - startedMs) / 1000;
      const { requests } = await sandboxCall<{ requests: Array<{ operation?: string; status?: number }> }>(sandbox, 'GET', `/requests?since=${startedMs}`);
      const admitted = requests.filter((entry) => entry.operation === singleOperation && entry.status !== 429).length;
      const allowance = Math.ceil(limit.burst + limit.ratePerSecond * elapsedSeconds) + 1;
      expect(admitted).toBeLessThanOrEqual(allowance);
      if (count > allowance) expect(results.some((result) => result.error?.code === 'rate_limited')).toBe(true);
    });
  });
}

async function receiveEvents(channel: Channel, receiver: Awaited<ReturnType<typeof startNotificationReceiver>>): Promise<ChannelEvent[]> {
  return waitFor(async () => {
    if (channel.receiveNotifications) {
      const pulled = await channel.receiveNotifications(10);
      if (!pulled.ok || pulled.value.events.length === 0) return undefined;
      await pulled.value.acknowledge();
      return pulled.value.events;
    }
    const events: ChannelEvent[] = [];
    for (const notification of receiver.received.splice(0)) {
      const outcome = await channel.handleNotification(notification);
      if (outcome.ok && outcome.value.kind === 'events') events.push(...outcome.value.events);
    }
    return events.length > 0 ? events : undefined;
  }, 5_000, 'order notifications');
}
