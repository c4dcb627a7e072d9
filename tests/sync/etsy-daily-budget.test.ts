/**
 * Etsy's 10,000 requests a day are shared by every call of the app, order polling included. A
 * large repush must not spend them all, or Etsy's orders would stop coming in and the other
 * channels would oversell what Etsy sold. Against the real Etsy sandbox over HTTP with its daily
 * limit lowered: pushes stop at the reserve (DAILY_RESERVE_SHARE) and wait unfailed, sending
 * nothing; the order poll still gets through, and when an answer says the window gave budget back
 * the pushes finish. Where nothing else calls, one listing probes now and then.
 */
import { createChannel as createEtsyChannel } from '../../daemon/src/channels/etsy/index.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/etsy/index.js';
import { startSandbox, type SandboxHandle } from '../../daemon/src/sandbox/kit/sandbox-server.js';
import { ChannelScheduler, DAILY_RESERVE_SHARE, type PushOutcome } from '../../daemon/src/sync/channel-scheduler.js';
import { sandboxCall, sandboxQuantity, seedListings } from '../channels/conformance.js';
import { until } from '../helpers/until.js';

const PER_DAY = 80;

describe('pushes and Etsy\'s daily budget', () => {
  let sandbox: SandboxHandle;
  afterAll(() => sandbox?.close());

  test('stop at the reserve, leave the order poll its requests, and finish once an answer says the budget is back', async () => {
    sandbox = await startSandbox(createSandboxDefinition({ seed: 9 }), { rateLimits: 'documented' });
    const listings = await seedListings(sandbox, Array.from({ length: 120 }, (_, index) => ({ sku: `DAILY-${index}`, quantity: 1 })));
    await sandboxCall(sandbox, 'PUT', '/etsy/config', { requestsPerDay: PER_DAY });
    const channel = createEtsyChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    expect((await channel.authenticate()).ok).toBe(true);
    const scheduler = new ChannelScheduler(channel);
    const settled: PushOutcome[] = [];
    try {
      const outcomes = listings.map((listing, index) => scheduler.submit(listing.sku, { listing, quantity: 20 + index, version: 1 }).then((outcome) => { settled.push(outcome); return outcome; }));
      const reserve = Math.ceil(PER_DAY * DAILY_RESERVE_SHARE);
      // What the sandbox counted against the day: every API request it admitted.
      const remainingToday = () => PER_DAY - sandbox.requests.filter((request) => request.path.startsWith('/v3/') && request.status !== 429).length;
      // The pushes spend the budget down to the reserve, then wait.
      await until(() => scheduler.stats().inFlight === 0 && scheduler.stats().pending > 0 && remainingToday() <= reserve + 1, 'the pushes to stop at the reserve', 20_000);
      const stoppedAt = sandbox.requests.length;
      // Held: nothing more goes (no probe before DAILY_PROBE_MS_DEFAULT)...
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(sandbox.requests.length).toBe(stoppedAt);
      expect(sandbox.requests.filter((request) => request.status === 429)).toEqual([]);
      // ...and the order poll gets its answer.
      expect((await channel.readOrders(new Date(0).toISOString())).ok).toBe(true);
      expect(settled.filter((outcome) => outcome.status === 'failed')).toEqual([]);

      // The window gives budget back (the sandbox's day starts again); the next order poll's answer
      // says so, and the pushes go on.
      await sandboxCall(sandbox, 'PUT', '/etsy/config', { requestsPerDay: 10_000 });
      expect((await channel.readOrders(new Date(0).toISOString())).ok).toBe(true);
      expect((await Promise.all(outcomes)).map((outcome) => outcome.status)).toEqual(listings.map(() => 'applied'));
      for (const [index, listing] of listings.entries()) expect(await sandboxQuantity(sandbox, listing.sku)).toBe(20 + index);
    } finally {
      scheduler.close();
    }
  }, 60_000);

  test('with slow answers, pushes on the wire together still stop at the reserve, not past it', async () => {
    const local = await startSandbox(createSandboxDefinition({ seed: 11 }), { rateLimits: 'documented' });
    let scheduler: ChannelScheduler | undefined;
    try {
      const listings = await seedListings(local, Array.from({ length: 120 }, (_, index) => ({ sku: `SLOW-${index}`, quantity: 1 })));
      await sandboxCall(local, 'PUT', '/etsy/config', { requestsPerDay: PER_DAY });
      // Every answer 300 ms late: each says what was left when its request arrived, while the
      // next pushes already go out on the bucket's refill.
      await sandboxCall(local, 'PUT', '/faults', { latencyMs: 300 });
      const channel = createEtsyChannel({ baseUrl: local.baseUrl, credentials: local.credentials });
      expect((await channel.authenticate()).ok).toBe(true);
      scheduler = new ChannelScheduler(channel);
      const pushing = scheduler;
      for (const [index, listing] of listings.entries()) void pushing.submit(listing.sku, { listing, quantity: 60 + index, version: 1 });
      const reserve = Math.ceil(PER_DAY * DAILY_RESERVE_SHARE);
      const admitted = () => local.requests.filter((request) => request.path.startsWith('/v3/') && request.status !== 429).length;
      await until(() => pushing.stats().inFlight === 0 && pushing.stats().pending > 0 && PER_DAY - admitted() <= reserve + 1, 'the pushes to stop at the reserve', 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(local.requests.filter((request) => request.status === 429)).toEqual([]);
      expect(PER_DAY - admitted()).toBeGreaterThanOrEqual(reserve);
    } finally {
      scheduler?.close();
      await local.close();
    }
  }, 60_000);

  test('where nothing else calls, one listing probes each interval, and its answer lifts the hold', async () => {
    const probeMs = 300;
    const local = await startSandbox(createSandboxDefinition({ seed: 10 }), { rateLimits: 'documented' });
    const listings = await seedListings(local, Array.from({ length: 120 }, (_, index) => ({ sku: `PROBE-${index}`, quantity: 1 })));
    await sandboxCall(local, 'PUT', '/etsy/config', { requestsPerDay: PER_DAY });
    const channel = createEtsyChannel({ baseUrl: local.baseUrl, credentials: local.credentials });
    expect((await channel.authenticate()).ok).toBe(true);
    const scheduler = new ChannelScheduler(channel, { dailyProbeMs: probeMs });
    try {
      const outcomes = listings.map((listing, index) => scheduler.submit(listing.sku, { listing, quantity: 40 + index, version: 1 }));
      await until(() => scheduler.stats().inFlight === 0 && scheduler.stats().pending > 0 && PER_DAY - local.requests.filter((request) => request.path.startsWith('/v3/')).length <= Math.ceil(PER_DAY * DAILY_RESERVE_SHARE) + 1, 'the pushes to stop at the reserve', 20_000);
      const heldAt = local.requests.length;
      // Held for a little over two intervals: a probe each interval, each one listing (a read, a write).
      await new Promise((resolve) => setTimeout(resolve, 2 * probeMs + 150));
      const probes = local.requests.slice(heldAt).filter((request) => request.method === 'PUT');
      expect(probes.length).toBeGreaterThanOrEqual(1);
      expect(probes.length).toBeLessThanOrEqual(3);
      expect(local.requests.slice(heldAt).length).toBeLessThanOrEqual(2 * probes.length + 1);
      // The day starts again: the next probe's answer says so, and the rest go.
      await sandboxCall(local, 'PUT', '/etsy/config', { requestsPerDay: 10_000 });
      expect((await Promise.all(outcomes)).map((outcome) => outcome.status)).toEqual(listings.map(() => 'applied'));
    } finally {
      scheduler.close();
      await local.close();
    }
  }, 60_000);
});
