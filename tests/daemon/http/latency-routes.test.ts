/**
 * GET /v1/admin/pushes/latency over real HTTP on a real daemon connected to a marketplace sandbox:
 * pushes the engine made and records planted at known minutes both land in the right per-minute
 * bucket with nearest-rank p50/p99; bad queries are refused naming the field.
 */
import { startSandboxFleet, type SandboxFleet } from '../../../daemon/src/bench/sandbox-fleet.js';
import { MINUTE_MS, latencyHistory } from '../../../daemon/src/sync/latency-history.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { STORE_KINDS, type StoreKind } from '../../helpers/stores.js';
import { until } from '../../helpers/until.js';

describe('latencyHistory', () => {
  const now = Date.UTC(2026, 0, 1, 12, 30, 20);
  test('puts each sample in its minute and leaves empty minutes without percentiles', () => {
    const samples = [
      { channel: 'etsy', atMs: Date.UTC(2026, 0, 1, 12, 29, 59), latencyMs: 40 },
      { channel: 'etsy', atMs: Date.UTC(2026, 0, 1, 12, 30, 0), latencyMs: 10 },
      { channel: 'etsy', atMs: Date.UTC(2026, 0, 1, 12, 30, 1), latencyMs: 30 },
      { channel: 'etsy', atMs: Date.UTC(2026, 0, 1, 12, 27, 59), latencyMs: 999 },
    ];
    const [ebay, etsy] = latencyHistory(samples, ['etsy', 'ebay'], now, 3);
    expect(etsy!.buckets).toEqual([
      { at: '2026-01-01T12:28:00.000Z', p50_ms: null, p99_ms: null, pushes: 0 },
      { at: '2026-01-01T12:29:00.000Z', p50_ms: 40, p99_ms: 40, pushes: 1 },
      { at: '2026-01-01T12:30:00.000Z', p50_ms: 10, p99_ms: 30, pushes: 2 },
    ]);
    expect(ebay!.buckets.every((bucket) => bucket.pushes === 0 && bucket.p50_ms === null)).toBe(true);
  });
  test('lists channels sorted by code, including channels that only appear in samples', () => {
    expect(latencyHistory([{ channel: 'amazon', atMs: now, latencyMs: 1 }], ['tiktok'], now, 1).map((series) => series.channel)).toEqual(['amazon', 'tiktok']);
  });
});

describe.each(STORE_KINDS)('GET /v1/admin/pushes/latency on %s', (kind: StoreKind) => {
  let daemon: TestDaemon;
  let fleet: SandboxFleet;
  let plantedMinuteMs: number;

  beforeAll(async () => {
    fleet = await startSandboxFleet(['etsy'], { asyncDelayMs: 0 });
    const member = fleet.get('etsy');
    daemon = await startTestDaemon(kind, { channels: { etsy: { baseUrl: member.sandbox.baseUrl, credentials: member.sandbox.credentials, mode: 'live', requestTimeoutMs: 10_000 } }, reconcileSchedule: 'off', syncPollMs: 100, logLevel: 'warn' });
    const { catalogue, ledger, store } = daemon.daemon;
    expect((await catalogue.upsertChannel({ code: 'ebay', mode: 'shadow' })).ok).toBe(true);
    expect((await catalogue.upsertSku({ code: 'MUG', name: 'Mug', kind: 'simple' })).ok).toBe(true);
    expect((await ledger.adjust({ key: 'latency:receive:MUG', channel: null, actor: 'test', sku: 'MUG', location: 'main', delta: 9, reason: 'received' })).ok).toBe(true);
    await fleet.seedListings(catalogue, [{ sku: 'MUG', quantity: 0 }]);
    await until(async () => fleet.shown('etsy', 'MUG') === 9, 'Etsy to show 9', 30_000);

    // Ten pushes five minutes ago (10 … 100 ms), one failed push and one from two hours ago that must not count.
    plantedMinuteMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS;
    const push = (index: number, status: string, latencyMs: number, atMs: number) => ({
      id: `push_planted_${index}`, listing_id: 1, channel: 'etsy', sku: 'MUG', quantity: 9, version: 1, status, path: 'single', attempts: 1, latency_ms: latencyMs, error: null, created_at: atMs,
    });
    await store.db.insertInto('push').values([
      ...Array.from({ length: 10 }, (_, index) => push(index, index % 2 === 0 ? 'applied' : 'accepted', (index + 1) * 10, plantedMinuteMs + index * 1_000)),
      push(10, 'failed', 99_999, plantedMinuteMs + 30_000),
      push(11, 'applied', 77_777, plantedMinuteMs - 115 * MINUTE_MS),
    ]).execute();
  });
  afterAll(async () => {
    await daemon?.stop();
    await fleet?.close();
  });

  test('answers one bucket per minute for every channel, the planted minute with its p50 and p99', async () => {
    const answer = await daemon.admin('/v1/admin/pushes/latency?minutes=60');
    expect(answer.status).toBe(200);
    expect(answer.json.minutes).toBe(60);
    // The daemon knows its WooCommerce channel itself; with eBay it has no pushes here.
    expect(answer.json.channels.map((series: { channel: string }) => series.channel)).toEqual(['ebay', 'etsy', 'woocommerce']);
    const etsy = answer.json.channels[1].buckets as Array<{ at: string; p50_ms: number | null; p99_ms: number | null; pushes: number }>;
    expect(etsy).toHaveLength(60);
    expect(etsy.find((bucket) => bucket.at === new Date(plantedMinuteMs).toISOString())).toEqual({ at: new Date(plantedMinuteMs).toISOString(), p50_ms: 50, p99_ms: 100, pushes: 10 });
    expect(etsy.some((bucket) => (bucket.p99_ms ?? 0) > 1_000)).toBe(false);
    expect(answer.json.channels[0].buckets.every((bucket: { pushes: number; p50_ms: number | null }) => bucket.pushes === 0 && bucket.p50_ms === null)).toBe(true);
  });

  test('counts the push the engine made to the sandbox in a recent minute', async () => {
    const answer = await daemon.admin('/v1/admin/pushes/latency?channel=etsy&minutes=3');
    const buckets = answer.json.channels[0].buckets as Array<{ pushes: number; p50_ms: number | null }>;
    expect(buckets).toHaveLength(3);
    const recent = buckets.filter((bucket) => bucket.pushes > 0);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((bucket) => typeof bucket.p50_ms === 'number' && bucket.p50_ms >= 0)).toBe(true);
  });

  test('a shorter window leaves the planted minute out', async () => {
    const answer = await daemon.admin('/v1/admin/pushes/latency?minutes=5&channel=etsy');
    expect(answer.json.channels[0].buckets.map((bucket: { at: string }) => bucket.at)).not.toContain(new Date(plantedMinuteMs).toISOString());
  });

  test.each([
    ['minutes=0', /^minutes: /],
    ['minutes=181', /^minutes: /],
    ['minutes=ten', /^minutes: /],
    ['channel=E%20BAY', /^channel: expected a channel code/],
    ['since=1', /since/],
  ])('refuses %s with 400 naming the field', async (query, message) => {
    const answer = await daemon.admin(`/v1/admin/pushes/latency?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_query');
    expect(answer.json.message).toMatch(message);
  });

  test('answers 404 for a channel the daemon does not know', async () => {
    const answer = await daemon.admin('/v1/admin/pushes/latency?channel=walmart');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: 'unknown_channel', message: 'no channel "walmart"' });
  });

  test('refuses a caller without the admin token', async () => {
    const response = await fetch(`${daemon.daemon.url}/v1/admin/pushes/latency`);
    expect(response.status).toBe(401);
  });
});
