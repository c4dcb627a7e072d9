/**
 * `shelfguard metrics [--json]`: every channel's seller metrics, limits, headroom and forecast,
 * Shelfguard's live estimate beside the official figure where one was read, and the buffer
 * recommendations. Read-only: alerts and protection run in the daemon.
 */
import type { Config } from '../config.js';
import { openStore, type Store } from '../ledger/store.js';
import { MetricsService, type MetricsSnapshot, type OfficialReader } from '../metrics/metrics-service.js';
import { readMetricsSettings } from '../metrics/metrics-settings.js';
import { officialReadersFor } from '../metrics/official-readers.js';
import { standingLines, type StandingLine } from '../metrics/metrics-report.js';
import { percentOf } from '../metrics/rate-math.js';
import { CliError, formatTable, printJson } from './output.js';

export interface MetricsOutput {
  at: string;
  database: string;
  alertHeadroomCancellations: number;
  lines: StandingLine[];
  channels: MetricsSnapshot['channels'];
  official: Array<{ channel: string; name: string; ratePercent: number | null; targetPercent: number | null; status: string | null; windowFrom: string | null; windowTo: string | null }>;
  officialErrors: MetricsSnapshot['officialErrors'];
  recommendations: MetricsSnapshot['recommendations'];
  truncated: boolean;
}

/** The command's data, from an open store: what --json prints. */
export async function readMetricsOutput(store: Store, options: { env?: NodeJS.ProcessEnv; nowMs?: number; official?: OfficialReader[] } = {}): Promise<MetricsOutput> {
  const settings = readMetricsSettings(options.env ?? process.env);
  if (!settings.ok) throw new CliError(settings.problems.join('\n'));
  const service = new MetricsService({ store, settings: settings.settings, ...(options.official ? { official: options.official } : {}), ...(options.nowMs !== undefined ? { nowMs: () => options.nowMs! } : {}) });
  const snapshot = await service.snapshot();
  return {
    at: new Date(snapshot.atMs).toISOString(), database: store.description, alertHeadroomCancellations: snapshot.alertHeadroomCancellations,
    lines: standingLines(snapshot), channels: snapshot.channels,
    official: snapshot.channels.flatMap((channel) => channel.official.map((figure) => ({
      channel: figure.channel, name: figure.name, ratePercent: percentOf(figure.rateBasisPoints), targetPercent: percentOf(figure.targetBasisPoints), status: figure.status, windowFrom: figure.windowFrom, windowTo: figure.windowTo,
    }))),
    officialErrors: snapshot.officialErrors, recommendations: snapshot.recommendations, truncated: snapshot.truncated,
  };
}

export function printMetrics(output: MetricsOutput, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  write(`seller standing at ${output.at} (${output.database}); warn at ${output.alertHeadroomCancellations} cancellations of headroom\n\n`);
  if (output.lines.length === 0) write('no channel with seller metrics is registered\n');
  else write(`${formatTable(['channel', 'metric', 'orders', 'seller cancels', 'rate %', 'limit %', 'headroom', 'trend', 'alert'], output.lines.map((line) => [line.channel, line.metric, line.orders, line.sellerCancellations, line.ratePercent, line.limitPercent === null ? null : `${line.comparison === 'below' ? '<' : '≤'} ${line.limitPercent}`, line.headroom, line.trend, line.alertLevel]))}\n`);
  for (const channel of output.channels) for (const metric of channel.metrics) {
    if (metric.exits.length > 0) write(`\n${channel.channel} ${metric.metric}: next exits ${metric.exits.slice(0, 3).map((exit) => `${new Date(exit.atMs).toISOString()} → ${percentOf(exit.rateAfterBasisPoints) ?? '—'}%`).join(', ')}${metric.recoversAtMs !== null ? `; back within the limit ${new Date(metric.recoversAtMs).toISOString()}` : ''}\n`);
  }
  if (output.official.length > 0) write(`\nofficial figures:\n${formatTable(['channel', 'metric', 'rate %', 'target %', 'status', 'from', 'to'], output.official.map((figure) => [figure.channel, figure.name, figure.ratePercent, figure.targetPercent, figure.status, figure.windowFrom, figure.windowTo]))}\n`);
  for (const error of output.officialErrors) write(`official ${error.channel}: ${error.message}\n`);
  const raise = output.recommendations.filter((recommendation) => recommendation.recommendedBuffer > recommendation.currentBuffer);
  if (raise.length > 0) write(`\nbuffer recommendations:\n${formatTable(['channel', 'sku', 'buffer', 'recommended', 'oversell risk %'], raise.map((recommendation) => [recommendation.channel, recommendation.sku, recommendation.currentBuffer, recommendation.recommendedBuffer, Math.round(recommendation.oversellRiskFraction * 1_000) / 10]))}\n`);
  if (output.truncated) write('\nonly the newest order lines were read; the oldest were left out\n');
}

export async function metricsCommand(config: Config, options: { json?: boolean }): Promise<void> {
  const store = await openStore(config.databaseUrl);
  try {
    const output = await readMetricsOutput(store, { official: officialReadersFor(config.channels) });
    if (options.json) printJson(output);
    else printMetrics(output);
  } finally {
    await store.close();
  }
}
