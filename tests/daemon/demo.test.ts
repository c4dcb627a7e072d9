/**
 * `shelfguard demo --json` as a new user runs it: a real process through bin/shelfguard.js, the
 * daemon on SQLite, the sandboxes over HTTP. The seller-standing part must show Walmart's
 * cancellation rate moving with protection off and staying flat with it on, for the same traffic.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface StandingSummary {
  channel: string; metric: string; limit_percent: number;
  rate_before_percent: number; rate_after_percent: number;
  orders_before: number; orders_after: number;
  seller_cancellations_before: number; seller_cancellations_after: number;
  buyer_cancellations_not_counted: number;
  level_before: string; level_after: string;
  official_rate_percent: number | null; official_trend: string | null;
  oversells: number; oversells_refused: number;
  alerts: Array<{ level: string; message: string }>;
  webhook_deliveries: number;
  protection_actions: Array<{ id: string; kind: string; channel: string; sku: string; reason: string }>;
  timeline: Array<{ after: string; rate_percent: number; level: string }>;
}

describe('shelfguard demo', () => {
  let folder: string;
  let summary: { orders: number; converged: boolean; standing: { protection_off: StandingSummary; protection_on: StandingSummary } };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'shelfguard-demo-'));
    // Its own working folder: the demo replaces ./var/demo wherever it runs.
    const result = spawnSync(process.execPath, [resolve('bin/shelfguard.js'), 'demo', '--seconds', '1', '--json'], { cwd: folder, encoding: 'utf8', timeout: 170_000, env: { ...process.env, SHELFGUARD_METRICS_PROTECTION: '', SHELFGUARD_METRICS_WEBHOOK_URL: '' } });
    if (result.status !== 0) throw new Error(`demo exited ${result.status}: ${result.stderr.slice(-2000)}`);
    summary = JSON.parse(result.stdout);
  }, 180_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('the store part sells and every channel agrees at the end', () => {
    expect(summary.orders).toBeGreaterThan(0);
    expect(summary.converged).toBe(true);
  });

  test('both runs start from the same standing: buyer cancellations are not counted against the seller', () => {
    const { protection_off: off, protection_on: on } = summary.standing;
    for (const run of [off, on]) {
      expect([run.channel, run.metric, run.limit_percent]).toEqual(['walmart', 'walmart_cancellation_rate', 2]);
      expect(run.buyer_cancellations_not_counted).toBe(3);
      expect(run.timeline[0]).toEqual({ after: 'the baseline', rate_percent: 0, seller_cancellations: 0, orders: 150, level: 'ok' });
    }
    expect([on.rate_before_percent, on.orders_before, on.seller_cancellations_before]).toEqual([off.rate_before_percent, off.orders_before, off.seller_cancellations_before]);
  });

  test('Walmart’s own Seller Performance summary agrees with Shelfguard’s estimate in both runs', () => {
    for (const run of [summary.standing.protection_off, summary.standing.protection_on]) expect(run.official_rate_percent).toBe(run.rate_after_percent);
  });

  test('with protection off the oversold orders push the cancellation rate over Walmart’s limit, and each alert reaches the chat webhook', () => {
    const off = summary.standing.protection_off;
    expect(off.protection_actions).toEqual([]);
    expect(off.oversells).toBe(5);
    expect(off.seller_cancellations_after).toBe(off.seller_cancellations_before + 3);
    expect(off.rate_after_percent).toBeGreaterThan(off.limit_percent);
    expect(off.rate_after_percent).toBeGreaterThan(off.rate_before_percent);
    expect(off.level_after).toBe('breached');
    expect(off.alerts.map((alert) => alert.level)).toEqual(['warning', 'critical', 'breached']);
    expect(off.webhook_deliveries).toBe(off.alerts.length);
  });

  test('with protection on the repeat overseller is paused, audited, and the rate stays flat', () => {
    const on = summary.standing.protection_on;
    expect(on.protection_actions).toEqual([expect.objectContaining({ kind: 'pause_listing', channel: 'walmart', sku: 'MUG-RED' })]);
    expect(on.protection_actions[0]!.id).toMatch(/^pa_[0-9A-Z]{26}$/);
    expect(on.oversells_refused).toBe(3);
    expect(on.rate_after_percent).toBe(on.rate_before_percent);
    expect(on.seller_cancellations_after).toBe(on.seller_cancellations_before);
    expect(on.rate_after_percent).toBeLessThanOrEqual(on.limit_percent);
    expect(on.alerts.map((alert) => alert.level)).not.toContain('breached');
    const incident = on.timeline.slice(3).map((point) => point.rate_percent);
    expect(new Set(incident)).toEqual(new Set([on.rate_before_percent]));
  });
});
