/**
 * Protection, opt-in per channel: when a channel's standing is at warning or worse, raise its
 * buffer for SKUs whose oversell risk calls for more, and pause SKUs that keep overselling there.
 * Planning is pure; the executor applies the plan through the catalogue and records every action
 * with what it replaced, so each can be reverted exactly.
 */
import { severityOf, type AlertLevel } from './alert-level.js';
import type { BufferRecommendation } from './buffer-recommendation.js';
import { DAY_MS, type OrderFact } from './order-facts.js';

export const PROTECTION_TRIGGER_LEVEL: AlertLevel = 'warning';
export const PAUSE_OVERSELLS_MIN = 2;
export const OVERSELL_LOOKBACK_DAYS = 30;
export const PROTECTION_ACTIONS_PER_RUN_MAX = 100;

export interface ChannelProtection {
  raiseBuffer: boolean;
  pauseRepeatOversellers: boolean;
}

/** Channels that opted in; a channel not named here is never touched. */
export type ProtectionSettings = Record<string, ChannelProtection>;

export interface ListingSettings {
  buffer: number | null;
  active: boolean;
}

export interface ListingView extends ListingSettings {
  channel: string;
  sku: string;
  /** The buffer in force: the listing's own, else the channel's. */
  effectiveBuffer: number;
}

export type ProtectionKind = 'raise_buffer' | 'pause_listing';

export interface ProtectionAction {
  kind: ProtectionKind;
  channel: string;
  sku: string;
  before: ListingSettings;
  after: ListingSettings;
  reason: string;
}

export interface ProtectionInput {
  settings: ProtectionSettings;
  levels: Record<string, AlertLevel>;
  listings: readonly ListingView[];
  recommendations: readonly BufferRecommendation[];
  oversells: Map<string, number>;
  /** Actions applied and not yet reverted: never planned twice. */
  open: ReadonlyArray<{ kind: ProtectionKind; channel: string; sku: string }>;
}

export const listingKey = (channel: string, sku: string): string => `${channel}\u0000${sku}`;

/** Oversold orders per channel and SKU over the look-back. */
export function countOversells(facts: readonly OrderFact[], nowMs: number, lookbackDays = OVERSELL_LOOKBACK_DAYS): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fact of facts) {
    if (!fact.isOversold || fact.placedAtMs <= nowMs - lookbackDays * DAY_MS || fact.placedAtMs > nowMs) continue;
    for (const sku of new Set(fact.lines.map((line) => line.sku))) counts.set(listingKey(fact.channel, sku), (counts.get(listingKey(fact.channel, sku)) ?? 0) + 1);
  }
  return counts;
}

function actionFor(listing: ListingView, channel: ChannelProtection, input: ProtectionInput, recommended: Map<string, BufferRecommendation>): ProtectionAction | undefined {
  if (!listing.active) return undefined; // a paused listing shows nothing: no buffer to raise
  const key = listingKey(listing.channel, listing.sku);
  const isOpen = (kind: ProtectionKind) => input.open.some((action) => action.kind === kind && action.channel === listing.channel && action.sku === listing.sku);
  const before = { buffer: listing.buffer, active: listing.active };
  const oversells = input.oversells.get(key) ?? 0;
  if (channel.pauseRepeatOversellers && listing.active && oversells >= PAUSE_OVERSELLS_MIN && !isOpen('pause_listing')) {
    return { kind: 'pause_listing', channel: listing.channel, sku: listing.sku, before, after: { ...before, active: false }, reason: `${oversells} oversold orders in ${OVERSELL_LOOKBACK_DAYS} days` };
  }
  const recommendation = recommended.get(key);
  if (channel.raiseBuffer && recommendation && recommendation.recommendedBuffer > listing.effectiveBuffer && !isOpen('raise_buffer')) {
    return {
      kind: 'raise_buffer', channel: listing.channel, sku: listing.sku, before, after: { ...before, buffer: recommendation.recommendedBuffer },
      reason: `oversell risk ${(recommendation.oversellRiskFraction * 100).toFixed(1)}% at buffer ${listing.effectiveBuffer}; ${recommendation.expectedUnitsDuringLatency.toFixed(2)} units sell elsewhere during ${recommendation.propagationLatencyMs} ms`,
    };
  }
  return undefined;
}

/** The actions to take now, at most PROTECTION_ACTIONS_PER_RUN_MAX, pauses before buffer raises. */
export function planProtection(input: ProtectionInput): ProtectionAction[] {
  const recommended = new Map(input.recommendations.map((recommendation) => [listingKey(recommendation.channel, recommendation.sku), recommendation]));
  const actions: ProtectionAction[] = [];
  for (const listing of input.listings) {
    const channel = input.settings[listing.channel];
    const level = input.levels[listing.channel] ?? 'ok';
    if (!channel || severityOf(level) < severityOf(PROTECTION_TRIGGER_LEVEL)) continue;
    const action = actionFor(listing, channel, input, recommended);
    if (action) actions.push(action);
  }
  return actions.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'pause_listing' ? -1 : 1)).slice(0, PROTECTION_ACTIONS_PER_RUN_MAX);
}

/** What reverting an action writes back: the listing's settings before it. */
export function planReversal(action: Pick<ProtectionAction, 'channel' | 'sku' | 'before'>): { channel: string; sku: string } & ListingSettings {
  return { channel: action.channel, sku: action.sku, buffer: action.before.buffer, active: action.before.active };
}
