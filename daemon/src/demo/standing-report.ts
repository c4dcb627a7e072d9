/**
 * What the demo's seller-standing part prints and puts in `--json`: pure. Every figure comes from
 * the MetricsService's own snapshot and check results; nothing here computes a rate.
 */
import type { AlertRecord } from '../metrics/alert-message.js';
import type { MetricsSnapshot } from '../metrics/metrics-service.js';
import type { ExecutedAction } from '../metrics/protection-executor.js';
import { percentOf } from '../metrics/rate-math.js';

export interface MetricStanding {
  channel: string;
  metric: string;
  orders: number;
  sellerCancellations: number;
  /** Buyer (and other not-counted) cancellations: shown, never counted. */
  otherCancellations: number;
  ratePercent: number | null;
  limitPercent: number | null;
  headroom: number | null;
  alertLevel: string;
}

export interface CheckRecord {
  label: string;
  standing: MetricStanding;
  alerts: AlertRecord[];
  protection: ExecutedAction[];
  /** The `text` of each body the chat webhook received from this check. */
  webhookTexts: string[];
}

/** Walmart's own cancellation rate for the run's orders, read from its Seller Performance summary. */
export type OfficialRead = { ok: true; ratePercent: number | null; trend: string | null } | { ok: false; message: string };

export interface StandingRun {
  protection: boolean;
  checks: CheckRecord[];
  official: OfficialRead;
  /** How many checks (baseline, then the history rounds) came before the rounds that differ. */
  historyChecks: number;
  oversells: number;
  refused: number;
  webhookDeliveries: number;
}

export function standingOf(snapshot: MetricsSnapshot, metric: string): MetricStanding {
  const evaluation = snapshot.channels.flatMap((channel) => channel.metrics).find((candidate) => candidate.metric === metric);
  if (!evaluation) throw new Error(`the metrics snapshot has no ${metric}`);
  return {
    channel: evaluation.channel, metric, orders: evaluation.orders, sellerCancellations: evaluation.sellerCancellations, otherCancellations: evaluation.otherCancellations,
    ratePercent: percentOf(evaluation.rateBasisPoints) ?? 0, limitPercent: evaluation.limit ? evaluation.limit.limitBasisPoints / 100 : null,
    headroom: evaluation.headroom, alertLevel: evaluation.alertLevel,
  };
}

function figures(standing: MetricStanding): string {
  const limit = standing.limitPercent === null ? '' : ` (limit ${standing.limitPercent}%)`;
  return `${standing.channel} cancellation rate ${standing.ratePercent}%${limit}: ${standing.sellerCancellations} seller-caused of ${standing.orders} orders, ${standing.otherCancellations} by buyers not counted; headroom ${standing.headroom ?? '-'}; ${standing.alertLevel}`;
}

/** The lines one metrics check prints. */
export function describeCheck(record: CheckRecord): string[] {
  const lines = [`  check ${record.label}: ${figures(record.standing)}`];
  for (const alert of record.alerts) lines.push(`    ALERT ${alert.level}: ${alert.message}`);
  for (const text of record.webhookTexts) lines.push(`    → chat webhook received: ${text}`);
  for (const action of record.protection) {
    lines.push(action.error
      ? `    PROTECTION ${action.kind} ${action.channel} ${action.sku} failed: ${action.error}`
      : `    PROTECTION ${action.kind} ${action.channel} ${action.sku} (${action.reason}); recorded as ${action.id}, revert with POST /v1/admin/metrics/protection/${action.id}/revert`);
  }
  return lines;
}

export function describeOfficial(official: OfficialRead): string[] {
  return [official.ok
    ? `  Walmart's own Seller Performance summary for these orders: ${official.ratePercent ?? '-'}% (trend ${official.trend ?? '-'})`
    : `  Walmart's own Seller Performance summary could not be read: ${official.message}`];
}

/** The `standing.protection_off` / `standing.protection_on` object of `demo --json`. */
export function runSummary(run: StandingRun) {
  const before = run.checks[run.historyChecks - 1]!.standing;
  const after = run.checks[run.checks.length - 1]!.standing;
  return {
    channel: after.channel, metric: after.metric, limit_percent: after.limitPercent,
    rate_before_percent: before.ratePercent, rate_after_percent: after.ratePercent,
    orders_before: before.orders, orders_after: after.orders,
    seller_cancellations_before: before.sellerCancellations, seller_cancellations_after: after.sellerCancellations,
    buyer_cancellations_not_counted: after.otherCancellations,
    level_before: before.alertLevel, level_after: after.alertLevel,
    official_rate_percent: run.official.ok ? run.official.ratePercent : null, official_trend: run.official.ok ? run.official.trend : null,
    ...(run.official.ok ? {} : { official_error: run.official.message }),
    oversells: run.oversells, oversells_refused: run.refused,
    alerts: run.checks.flatMap((check) => check.alerts.map((alert) => ({ level: alert.level, message: alert.message }))),
    webhook_deliveries: run.webhookDeliveries,
    protection_actions: run.checks.flatMap((check) => check.protection.map((action) => ({ id: action.id, kind: action.kind, channel: action.channel, sku: action.sku, reason: action.reason, ...(action.error ? { error: action.error } : {}) }))),
    timeline: run.checks.map((check) => ({ after: check.label.replace(/^after /, ''), rate_percent: check.standing.ratePercent, seller_cancellations: check.standing.sellerCancellations, orders: check.standing.orders, level: check.standing.alertLevel })),
  };
}

/** The closing comparison of the two runs. */
export function compareRuns(off: StandingRun, on: StandingRun): string[] {
  const offSummary = runSummary(off);
  const onSummary = runSummary(on);
  return [
    `\nseller standing, same traffic twice (${offSummary.metric}, limit ${offSummary.limit_percent}%):`,
    `  protection off: ${offSummary.rate_before_percent}% → ${offSummary.rate_after_percent}% (${offSummary.level_before} → ${offSummary.level_after}); ${offSummary.oversells} oversells cancelled by the seller, ${offSummary.alerts.length} alerts`,
    `  protection on:  ${onSummary.rate_before_percent}% → ${onSummary.rate_after_percent}% (${onSummary.level_before} → ${onSummary.level_after}); ${onSummary.oversells} oversells, ${onSummary.oversells_refused} refused by the paused listing, ${onSummary.protection_actions.length} protection action(s), ${onSummary.alerts.length} alerts`,
  ];
}
