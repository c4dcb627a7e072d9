/**
 * Shadow, live and paused. `validate` is the rehearsal before going live: reconcile the channel
 * without fixing anything and report how far what it shows is from what Shelfguard would push.
 * `promote` moves a channel to live only when that drift is within the threshold; going live
 * queues every listing for a push.
 */
import type { Catalogue } from '../ledger/catalogue.js';
import type { ChannelMode } from '../ledger/schema.js';
import type { DriftItem } from '../reconcile/drift.js';
import type { Reconciler } from '../reconcile/reconciler.js';

/** Share of listings that may differ before a promotion is refused. */
export const PROMOTE_DRIFT_RATIO_MAX = 0.02;
const REPORT_SAMPLE_MAX = 50;

export interface ValidationReport {
  channel: string;
  ok: boolean;
  error?: string;
  listingsChecked: number;
  drifted: number;
  driftRatio: number;
  byCause: Record<string, number>;
  sample: DriftItem[];
  promotable: boolean;
  threshold: number;
}

export async function validateChannel(reconciler: Reconciler, channel: string, threshold = PROMOTE_DRIFT_RATIO_MAX): Promise<ValidationReport> {
  const [report] = await reconciler.run({ channels: [channel] });
  if (!report) return { channel, ok: false, error: `${channel} is not connected (no credentials configured)`, listingsChecked: 0, drifted: 0, driftRatio: 0, byCause: {}, sample: [], promotable: false, threshold };
  const byCause: Record<string, number> = {};
  for (const item of report.drift) byCause[item.cause] = (byCause[item.cause] ?? 0) + 1;
  const checked = Math.max(report.listingsChecked, 1);
  const driftRatio = Math.round((report.drift.length / checked) * 10_000) / 10_000;
  return {
    channel, ok: report.ok, ...(report.error ? { error: report.error } : {}), listingsChecked: report.listingsChecked, drifted: report.drift.length, driftRatio, byCause,
    sample: report.drift.slice(0, REPORT_SAMPLE_MAX), promotable: report.ok && driftRatio <= threshold, threshold,
  };
}

export async function setChannelMode(catalogue: Catalogue, channel: string, mode: ChannelMode): Promise<{ ok: boolean; message: string }> {
  const result = await catalogue.upsertChannel({ code: channel, mode });
  return result.ok ? { ok: true, message: `${channel} is now ${mode}` } : { ok: false, message: result.error.message };
}

export async function promoteChannel(reconciler: Reconciler, catalogue: Catalogue, channel: string, threshold = PROMOTE_DRIFT_RATIO_MAX, force = false): Promise<{ promoted: boolean; report: ValidationReport; message: string }> {
  const report = await validateChannel(reconciler, channel, threshold);
  if (!report.promotable && !force) return { promoted: false, report, message: report.ok ? `${channel} stays in its mode: ${report.drifted} of ${report.listingsChecked} listings differ (${(report.driftRatio * 100).toFixed(2)}% > ${(threshold * 100).toFixed(2)}%)` : `${channel} cannot be validated: ${report.error}` };
  const moved = await setChannelMode(catalogue, channel, 'live');
  return { promoted: moved.ok, report, message: moved.message };
}
