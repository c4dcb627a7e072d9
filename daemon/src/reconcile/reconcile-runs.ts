/**
 * Every reconciliation run — scheduled, from the CLI, from the admin API — is recorded: a row
 * while it runs (progress and a heartbeat), its counts and per-channel results when it ends, and
 * each drifted listing. One run at a time across every process sharing the ledger: the run row's
 * unique `running_slot` is the lock, and a running row whose heartbeat went silent (its process
 * died) is closed as failed before the next start.
 */
import { newId } from '../ledger/ids.js';
import type { Store } from '../ledger/store.js';
import { DRIFT_ROWS_PER_RUN_MAX, ReconcileHistory, runView, type ChannelRunSummary, type ReconcileTrigger, type RunView } from './reconcile-history.js';
import type { ChannelReconcileReport, Reconciler } from './reconciler.js';
import { redactErrorText } from './redact-error-text.js';

const HEARTBEAT_INTERVAL_MS = 10_000;
/** A running row without a heartbeat this long was left by a process that died. */
export const RUN_STALE_AFTER_MS = 120_000;
/** Progress is written at most this often (a 10,000-listing channel reports every page). */
const PROGRESS_WRITE_INTERVAL_MS = 500;
const DRIFT_INSERT_CHUNK = 500;
const SKU_LENGTH_MAX = 100;

export interface StartOptions {
  channels?: string[];
  fix: boolean;
  /** Also told of every page read (the CLI's progress bar). */
  onProgress?: (channel: string, listingsRead: number, listingsExpected: number) => void;
}

export type StartResult =
  | { ok: true; runId: string; finished: Promise<{ run: RunView; reports: ChannelReconcileReport[] }> }
  | { ok: false; code: 'already_running'; runningId: string; message: string }
  | { ok: false; code: 'unknown_channel'; message: string }
  | { ok: false; code: 'stopping'; message: string };

export class ReconcileRuns {
  readonly history: ReconcileHistory;
  private active: { runId: string; finished: Promise<unknown> } | undefined;
  private stopped = false;

  constructor(private readonly store: Store, private readonly reconciler: Reconciler, private readonly secrets: () => string[] = () => [], private readonly nowMs: () => number = Date.now) {
    this.history = new ReconcileHistory(store);
  }

  /** Starts a run and answers at once; `finished` settles when it ends (it never rejects). */
  async start(trigger: ReconcileTrigger, options: StartOptions): Promise<StartResult> {
    if (this.stopped) return { ok: false, code: 'stopping', message: 'the daemon is shutting down; start the run again once it is back' };
    const channels = await this.reconciler.channelsFor(options.channels);
    const missing = (options.channels ?? []).filter((name) => !channels.includes(name));
    if (missing.length > 0) return { ok: false, code: 'unknown_channel', message: `channel: no connected channel named ${missing.map((name) => JSON.stringify(name)).join(', ')}` };
    await this.closeAbandoned();
    const expected = await this.expectedCounts(channels);
    const total = [...expected.values()].reduce((sum, count) => sum + count, 0);
    const now = this.nowMs();
    const runId = newId('rr', now);
    try {
      await this.store.db.insertInto('reconcile_run').values({
        id: runId, trigger_kind: trigger, fix: options.fix ? 1 : 0, channels: JSON.stringify(channels), status: 'running', running_slot: 1,
        listings_checked: 0, drift_found: 0, drift_fixed: 0, drift_stored: 0, progress_done: 0, progress_total: total, channel_reports: null, error: null,
        started_at: now, heartbeat_at: now, finished_at: null, created_at: now,
      }).execute();
    } catch (error) {
      const running = await this.store.db.selectFrom('reconcile_run').select('id').where('status', '=', 'running').executeTakeFirst();
      if (!running) throw error;
      return { ok: false, code: 'already_running', runningId: running.id, message: `reconciliation run ${running.id} is still running; one run at a time` };
    }
    const meta: RunMeta = { runId, trigger, fix: options.fix, channels, startedAtMs: now, total };
    const finished = this.execute(meta, expected, options);
    this.active = { runId, finished };
    void finished.finally(() => { if (this.active?.runId === runId) this.active = undefined; });
    return { ok: true, runId, finished };
  }

  /** On shutdown: the run in progress is recorded as failed (its reads cannot finish without the
   * schedulers), and nothing it does afterwards is written. */
  async stop(): Promise<void> {
    this.stopped = true;
    const active = this.active;
    if (!active) return;
    await this.store.db.updateTable('reconcile_run').set({ status: 'failed', running_slot: null, error: 'interrupted: the daemon stopped during the run', finished_at: this.nowMs() }).where('id', '=', active.runId).where('status', '=', 'running').execute();
  }

  private async execute(meta: RunMeta, expected: Map<string, number>, options: StartOptions): Promise<{ run: RunView; reports: ChannelReconcileReport[] }> {
    const { runId, channels } = meta;
    const done = new Map<string, number>();
    let lastWriteMs = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const writeProgress = () => {
      const progress = [...done.values()].reduce((sum, count) => sum + count, 0);
      writing = writing.then(() => this.store.db.updateTable('reconcile_run').set({ progress_done: progress, heartbeat_at: this.nowMs() }).where('id', '=', runId).where('status', '=', 'running').execute()).catch(() => undefined);
    };
    const heartbeat = setInterval(writeProgress, HEARTBEAT_INTERVAL_MS);
    heartbeat.unref();
    let reports: ChannelReconcileReport[] = [];
    let failure: string | undefined;
    try {
      reports = await this.reconciler.run({
        channels, fix: options.fix,
        onProgress: (channel, read, listingsExpected) => {
          done.set(channel, Math.min(read, expected.get(channel) ?? listingsExpected));
          options.onProgress?.(channel, read, listingsExpected);
          if (this.nowMs() - lastWriteMs >= PROGRESS_WRITE_INTERVAL_MS) {
            lastWriteMs = this.nowMs();
            writeProgress();
          }
        },
      });
    } catch (error) {
      failure = redactErrorText(`the run stopped: ${error instanceof Error ? error.message : String(error)}`, this.secrets());
    } finally {
      clearInterval(heartbeat);
      await writing;
    }
    return this.record(meta, reports, failure);
  }

  /** Writes the run's outcome and its drift in one transaction, then applies retention. */
  private async record(meta: RunMeta, reports: ChannelReconcileReport[], failure: string | undefined): Promise<{ run: RunView; reports: ChannelReconcileReport[] }> {
    const { runId } = meta;
    const failed = reports.filter((report) => !report.ok).map((report) => redactErrorText(`${report.channel}: ${report.error ?? 'failed'}`, this.secrets()));
    const error = [failure, ...failed].filter((text): text is string => text !== undefined).join('; ');
    const summaries: ChannelRunSummary[] = reports.map((report) => ({
      channel: report.channel, ok: report.ok, ...(report.ok ? {} : { error: redactErrorText(report.error ?? 'failed', this.secrets()) }),
      listingsChecked: report.listingsChecked, driftFound: report.drift.length, driftFixed: report.fixed, apiCalls: report.apiCalls, seconds: report.seconds,
    }));
    const now = this.nowMs();
    const rows = reports.flatMap((report) => report.drift.map((item) => ({
      run_id: runId, channel: report.channel, listing_id: item.listingId, sku: item.sku.slice(0, SKU_LENGTH_MAX), expected: item.expected, shown: item.shown, cause: item.cause, fixed: item.fixed ? 1 : 0, created_at: now,
    }))).slice(0, DRIFT_ROWS_PER_RUN_MAX);
    const outcome = {
      status: error ? 'failed' : 'finished', running_slot: null, listings_checked: reports.reduce((sum, report) => sum + report.listingsChecked, 0),
      drift_found: reports.reduce((sum, report) => sum + report.drift.length, 0), drift_fixed: reports.reduce((sum, report) => sum + report.fixed, 0), drift_stored: rows.length,
      channel_reports: JSON.stringify(summaries), error: error ? error.slice(0, 1000) : null, finished_at: now, heartbeat_at: now,
    };
    if (!this.stopped) {
      await this.store.transaction(async (trx) => {
        for (let start = 0; start < rows.length; start += DRIFT_INSERT_CHUNK) await trx.insertInto('reconcile_drift').values(rows.slice(start, start + DRIFT_INSERT_CHUNK)).execute();
        await trx.updateTable('reconcile_run').set((eb) => ({ ...outcome, progress_done: eb.ref('progress_total') })).where('id', '=', runId).where('status', '=', 'running').execute();
      }).catch(async (writeError: unknown) => {
        // The drift could not be written (a database outage): the run still must not stay "running".
        const text = redactErrorText(`the outcome could not be recorded: ${writeError instanceof Error ? writeError.message : String(writeError)}`, this.secrets());
        await this.store.db.updateTable('reconcile_run').set({ status: 'failed', running_slot: null, error: text.slice(0, 1000), finished_at: this.nowMs() }).where('id', '=', runId).execute().catch(() => undefined);
      });
      await this.history.prune().catch(() => undefined);
    }
    const row = this.stopped ? undefined : await this.store.db.selectFrom('reconcile_run').selectAll().where('id', '=', runId).executeTakeFirst().catch(() => undefined);
    // Read back what was written; when the database cannot answer, what this process knows.
    return { run: row ? runView(row) : runView({
      id: runId, trigger_kind: meta.trigger, fix: meta.fix ? 1 : 0, channels: JSON.stringify(meta.channels), started_at: meta.startedAtMs, created_at: meta.startedAtMs,
      progress_done: meta.total, progress_total: meta.total, ...outcome, status: this.stopped ? 'failed' : outcome.status,
    }), reports };
  }

  /** Closes running rows whose process died (no heartbeat for RUN_STALE_AFTER_MS). */
  private async closeAbandoned(): Promise<void> {
    const now = this.nowMs();
    await this.store.db.updateTable('reconcile_run').set({ status: 'failed', running_slot: null, error: 'interrupted: the process running it stopped answering', finished_at: now })
      .where('status', '=', 'running').where('heartbeat_at', '<', now - RUN_STALE_AFTER_MS).execute();
  }

  /** Listings the ledger has on each channel: what a complete read checks. */
  private async expectedCounts(channels: string[]): Promise<Map<string, number>> {
    const counts = new Map(channels.map((name) => [name, 0]));
    if (channels.length === 0) return counts;
    const rows = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').select(['channel.code', (eb) => eb.fn.countAll<number>().as('listings')]).where('channel.code', 'in', channels).groupBy('channel.code').execute();
    for (const row of rows) counts.set(row.code, Number(row.listings));
    return counts;
  }
}

interface RunMeta {
  runId: string;
  trigger: ReconcileTrigger;
  fix: boolean;
  channels: string[];
  startedAtMs: number;
  total: number;
}
