/**
 * Every channel's standing in one value: Shelfguard's live estimate of each metric beside the
 * marketplace's official figure where one was read, with the worst alert level per channel. Pure.
 */
import { severityOf, type AlertLevel } from './alert-level.js';
import { ebayStandardsLevel, type EbayStandardsLevel } from './ebay-standards.js';
import { evaluateMetric, type MetricEvaluation } from './evaluate-metric.js';
import { rulesFor } from './marketplace-rules.js';
import type { OrderFact } from './order-facts.js';
import { percentOf } from './rate-math.js';

/** A figure as the marketplace published it (Amazon's report, eBay Analytics, Walmart insights). */
export interface OfficialFigure {
  channel: string;
  /** The marketplace's own metric name (preFulfillmentCancellationRate, DEFECTIVE_TRANSACTION_RATE, …). */
  name: string;
  rateBasisPoints: number | null;
  targetBasisPoints: number | null;
  /** The marketplace's own status or level word (GOOD, BAD, TOP_RATED, …). */
  status: string | null;
  windowFrom: string | null;
  windowTo: string | null;
  /** When Shelfguard read it (ms). */
  readAtMs: number;
}

export interface ChannelStanding {
  channel: string;
  metrics: MetricEvaluation[];
  official: OfficialFigure[];
  ebayLevel?: EbayStandardsLevel | null;
  alertLevel: AlertLevel;
}

export interface MetricsReport {
  atMs: number;
  alertHeadroomCancellations: number;
  channels: ChannelStanding[];
}

export function worstLevel(levels: readonly AlertLevel[]): AlertLevel {
  return levels.reduce<AlertLevel>((worst, level) => (severityOf(level) > severityOf(worst) ? level : worst), 'ok');
}

export function buildMetricsReport(input: { facts: readonly OrderFact[]; channels: readonly string[]; official: readonly OfficialFigure[]; nowMs: number; alertHeadroomCancellations: number }): MetricsReport {
  const channels = input.channels.filter((channel) => rulesFor(channel).length > 0).map((channel): ChannelStanding => {
    const metrics = rulesFor(channel).map((rule) => evaluateMetric(rule, input.facts, input.nowMs, input.alertHeadroomCancellations));
    const standing: ChannelStanding = { channel, metrics, official: input.official.filter((figure) => figure.channel === channel), alertLevel: worstLevel(metrics.map((metric) => metric.alertLevel)) };
    if (channel === 'ebay') standing.ebayLevel = ebayStandardsLevel(metrics);
    return standing;
  });
  return { atMs: input.nowMs, alertHeadroomCancellations: input.alertHeadroomCancellations, channels };
}

/** One line per metric: what the demo and the CLI table show. */
export interface StandingLine {
  channel: string;
  metric: string;
  orders: number;
  sellerCancellations: number;
  ratePercent: number | null;
  limitPercent: number | null;
  comparison: string | null;
  headroom: number | null;
  trend: string;
  alertLevel: AlertLevel;
}

export function standingLines(report: MetricsReport): StandingLine[] {
  return report.channels.flatMap((channel) => channel.metrics.map((metric) => ({
    channel: channel.channel, metric: metric.metric, orders: metric.orders, sellerCancellations: metric.sellerCancellations,
    ratePercent: percentOf(metric.rateBasisPoints), limitPercent: metric.limit ? metric.limit.limitBasisPoints / 100 : null,
    comparison: metric.limit?.comparison ?? null, headroom: metric.headroom, trend: metric.trend.direction, alertLevel: metric.alertLevel,
  })));
}

/**
 * For the demo: the standing of every channel that has rules, from order facts alone. Call it
 * before and after a simulated oversell; with protection off a metric moves, with it on it stays.
 */
export function standingSnapshot(facts: readonly OrderFact[], nowMs: number, alertHeadroomCancellations = 2): StandingLine[] {
  const channels = [...new Set(facts.map((fact) => fact.channel))].sort();
  return standingLines(buildMetricsReport({ facts, channels, official: [], nowMs, alertHeadroomCancellations }));
}
