/**
 * The one parent of the metrics flow: read order facts and the official figures, evaluate every
 * channel, raise and deliver alerts, and, on channels that opted in, protect. Everything it
 * decides comes from the pure functions beside it.
 */
import type { Catalogue } from '../ledger/catalogue.js';
import type { Store } from '../ledger/store.js';
import type { AlertRecord } from './alert-message.js';
import { recordAlerts } from './alert-recorder.js';
import { recommendBuffer, salesVelocity, type BufferRecommendation } from './buffer-recommendation.js';
import type { MetricsSettings } from './metrics-settings.js';
import { buildMetricsReport, type MetricsReport, type OfficialFigure } from './metrics-report.js';
import { readOrderFacts } from './order-facts-reader.js';
import type { OrderFact } from './order-facts.js';
import { applyProtection, openActions, readListings, readPropagationLatencyMs, type ExecutedAction } from './protection-executor.js';
import { countOversells, planProtection } from './protection-plan.js';
import type { WebhookOptions } from './webhook-sender.js';

/** Reads one marketplace's official figures; failures are values (the live estimate still shows). */
export type OfficialReader = () => Promise<{ ok: true; figures: OfficialFigure[] } | { ok: false; channel: string; message: string }>;

export interface MetricsSnapshot extends MetricsReport {
  truncated: boolean;
  officialErrors: Array<{ channel: string; message: string }>;
  recommendations: BufferRecommendation[];
}

export interface MetricsServiceOptions {
  store: Store;
  catalogue?: Catalogue;
  settings: MetricsSettings;
  official?: OfficialReader[];
  webhook?: WebhookOptions;
  nowMs?: () => number;
}

export class MetricsService {
  private readonly nowMs: () => number;

  constructor(private readonly options: MetricsServiceOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Every channel's standing and buffer recommendations; changes nothing. */
  async snapshot(): Promise<MetricsSnapshot> {
    const nowMs = this.nowMs();
    const { facts, truncated } = await readOrderFacts(this.options.store, nowMs);
    const channels = (await this.options.store.db.selectFrom('channel').select('code').orderBy('code').execute()).map((row) => row.code);
    const official: OfficialFigure[] = [];
    const officialErrors: Array<{ channel: string; message: string }> = [];
    for (const read of this.options.official ?? []) {
      const result = await read();
      if (result.ok) official.push(...result.figures);
      else officialErrors.push({ channel: result.channel, message: result.message });
    }
    const report = buildMetricsReport({ facts, channels, official, nowMs, alertHeadroomCancellations: this.options.settings.alertHeadroomCancellations });
    return { ...report, truncated, officialErrors, recommendations: await this.recommendations(facts, nowMs) };
  }

  /** Evaluates, raises alerts and protects opted-in channels. */
  async check(): Promise<{ snapshot: MetricsSnapshot; alerts: AlertRecord[]; protection: ExecutedAction[] }> {
    const snapshot = await this.snapshot();
    const { store, settings } = this.options;
    const alerts = await recordAlerts(store, snapshot.channels.flatMap((channel) => channel.metrics), { ...(settings.webhookUrl ? { webhookUrl: settings.webhookUrl } : {}), ...(this.options.webhook ? { webhook: this.options.webhook } : {}) }, snapshot.atMs);
    let protection: ExecutedAction[] = [];
    if (this.options.catalogue && Object.keys(settings.protection).length > 0) {
      const { facts } = await readOrderFacts(store, snapshot.atMs);
      const plan = planProtection({
        settings: settings.protection, levels: Object.fromEntries(snapshot.channels.map((channel) => [channel.channel, channel.alertLevel])),
        listings: await readListings(store), recommendations: snapshot.recommendations, oversells: countOversells(facts, snapshot.atMs), open: await openActions(store),
      });
      protection = await applyProtection(store, this.options.catalogue, plan, snapshot.atMs);
    }
    return { snapshot, alerts, protection };
  }

  private async recommendations(facts: readonly OrderFact[], nowMs: number): Promise<BufferRecommendation[]> {
    const velocity = salesVelocity(facts, nowMs);
    const listings = await readListings(this.options.store);
    const latency = new Map<string, number>();
    for (const channel of new Set(listings.map((listing) => listing.channel))) latency.set(channel, await readPropagationLatencyMs(this.options.store, channel));
    return listings
      .map((listing) => recommendBuffer({ channel: listing.channel, sku: listing.sku, currentBuffer: listing.effectiveBuffer, propagationLatencyMs: latency.get(listing.channel)! }, velocity))
      .filter((recommendation) => recommendation.otherChannelsUnitsPerDay > 0);
  }
}
