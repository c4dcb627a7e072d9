/**
 * Reading the reconciliation history (migration 0006): past runs newest first, one run with the
 * drift it found, and the latest drift per listing — each channel's newest run that read the
 * channel completely. Rows become the admin API's views here, in one place.
 */
import type { Selectable } from 'kysely';
import type { ReconcileDriftTable, ReconcileRunTable } from '../ledger/schema.js';
import type { Store } from '../ledger/store.js';

/** Runs kept (older ones are deleted with their drift when a run ends). */
export const RUNS_KEPT_MAX = 200;
/** Drift rows kept per run; the run's counts stay exact past it (`driftStored` says how many). */
export const DRIFT_ROWS_PER_RUN_MAX = 10_000;
/** Runs one history page answers at most. */
export const RUNS_PAGE_MAX = 100;

export type ReconcileTrigger = 'schedule' | 'cli' | 'admin';
export type RunStatus = 'running' | 'finished' | 'failed';

/** One channel's part of a run, as stored in `channel_reports`. */
export interface ChannelRunSummary {
  channel: string;
  ok: boolean;
  error?: string;
  listingsChecked: number;
  driftFound: number;
  driftFixed: number;
  apiCalls: number;
  seconds: number;
}

export interface RunView {
  id: string;
  trigger: ReconcileTrigger;
  fix: boolean;
  channels: string[];
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  listingsChecked: number;
  driftFound: number;
  driftFixed: number;
  /** Drift rows kept for this run (at most DRIFT_ROWS_PER_RUN_MAX). */
  driftStored: number;
  progress: { done: number; total: number };
  channelReports: ChannelRunSummary[];
  error?: string;
}

export interface RunDriftView {
  channel: string;
  sku: string;
  listingId: number | null;
  expected: number | null;
  shown: number | null;
  cause: string;
  /** Whether that run's fix corrected it (a push queued or a count made). */
  fixed: boolean;
}

/** A listing's drift as its channel's newest finished run found it. */
export interface LatestDriftView extends RunDriftView {
  runId: string;
  checkedAt: string;
}

function isoOf(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

function parseJsonArray<T>(text: string | null): T[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

export function runView(row: Selectable<ReconcileRunTable>): RunView {
  return {
    id: row.id, trigger: row.trigger_kind as ReconcileTrigger, fix: Number(row.fix) === 1, channels: parseJsonArray<string>(row.channels),
    startedAt: isoOf(row.started_at)!, finishedAt: isoOf(row.finished_at), status: row.status as RunStatus,
    listingsChecked: Number(row.listings_checked), driftFound: Number(row.drift_found), driftFixed: Number(row.drift_fixed), driftStored: Number(row.drift_stored),
    progress: { done: Number(row.progress_done), total: Number(row.progress_total) },
    channelReports: parseJsonArray<ChannelRunSummary>(row.channel_reports),
    ...(row.error ? { error: row.error } : {}),
  };
}

function driftView(row: Selectable<ReconcileDriftTable>): RunDriftView {
  return { channel: row.channel, sku: row.sku, listingId: row.listing_id === null ? null : Number(row.listing_id), expected: row.expected === null ? null : Number(row.expected), shown: row.shown === null ? null : Number(row.shown), cause: row.cause, fixed: Number(row.fixed) === 1 };
}

export class ReconcileHistory {
  constructor(private readonly store: Store) {}

  /** Newest first; `before` is a run id (the last one of the previous page). */
  async list(options: { limit: number; before?: string }): Promise<RunView[]> {
    let select = this.store.db.selectFrom('reconcile_run').selectAll().orderBy('id', 'desc').limit(Math.min(options.limit, RUNS_PAGE_MAX));
    if (options.before) select = select.where('id', '<', options.before);
    return (await select.execute()).map(runView);
  }

  async run(id: string): Promise<RunView | undefined> {
    const row = await this.store.db.selectFrom('reconcile_run').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? runView(row) : undefined;
  }

  async drift(runId: string): Promise<RunDriftView[]> {
    const rows = await this.store.db.selectFrom('reconcile_drift').selectAll().where('run_id', '=', runId).orderBy('channel').orderBy('sku').orderBy('id').execute();
    return rows.map(driftView);
  }

  /** For each channel, the drift of the newest run (finished, or failed on another channel) that
   * read that channel completely: what the channel showed the last time anyone looked. */
  async latestDrift(): Promise<LatestDriftView[]> {
    const runs = await this.store.db.selectFrom('reconcile_run').select(['id', 'channel_reports', 'finished_at']).where('status', 'in', ['finished', 'failed']).orderBy('id', 'desc').limit(RUNS_KEPT_MAX).execute();
    const newest = new Map<string, { runId: string; checkedAt: string }>();
    for (const run of runs) {
      for (const report of parseJsonArray<ChannelRunSummary>(run.channel_reports)) {
        if (report.ok && !newest.has(report.channel) && run.finished_at !== null) newest.set(report.channel, { runId: run.id, checkedAt: isoOf(run.finished_at)! });
      }
    }
    const drift: LatestDriftView[] = [];
    for (const [channel, { runId, checkedAt }] of [...newest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const rows = await this.store.db.selectFrom('reconcile_drift').selectAll().where('run_id', '=', runId).where('channel', '=', channel).orderBy('sku').orderBy('id').execute();
      for (const row of rows) {
        const { fixed, ...item } = driftView(row);
        drift.push({ ...item, fixed, runId, checkedAt });
      }
    }
    return drift;
  }

  /** Keeps the newest RUNS_KEPT_MAX runs that are not running; the rest go with their drift. */
  async prune(): Promise<number> {
    const cutoff = await this.store.db.selectFrom('reconcile_run').select('id').where('status', '!=', 'running').orderBy('id', 'desc').offset(RUNS_KEPT_MAX).limit(1).executeTakeFirst();
    if (!cutoff) return 0;
    const old = (await this.store.db.selectFrom('reconcile_run').select('id').where('status', '!=', 'running').where('id', '<=', cutoff.id).execute()).map((row) => row.id);
    for (let start = 0; start < old.length; start += 500) {
      const ids = old.slice(start, start + 500);
      await this.store.db.deleteFrom('reconcile_drift').where('run_id', 'in', ids).execute();
      await this.store.db.deleteFrom('reconcile_run').where('id', 'in', ids).execute();
    }
    return old.length;
  }
}
