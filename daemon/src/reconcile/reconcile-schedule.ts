/** Scheduled reconciliation with node-cron, recorded in the history like every run; one run at a
 * time (a tick while any run — scheduled, CLI or admin — is running is skipped), "off" disables it. */
import cron from 'node-cron';
import type { Logger } from '../logger.js';
import type { ReconcileRuns } from './reconcile-runs.js';

export function scheduleReconciliation(expression: string, runs: ReconcileRuns, logger: Logger): { stop(): void } | undefined {
  if (expression === 'off') return undefined;
  if (!cron.validate(expression)) throw new Error(`reconcileSchedule: ${JSON.stringify(expression)} is not a cron expression (or "off")`);
  let running = false;
  const task = cron.schedule(expression, async () => {
    if (running) return;
    running = true;
    try {
      const started = await runs.start('schedule', { fix: true });
      if (!started.ok) {
        logger.info({ reason: started.code, ...(started.code === 'already_running' ? { runId: started.runningId } : {}) }, 'scheduled reconciliation skipped');
        return;
      }
      const { run } = await started.finished;
      const channels = run.channelReports.map((report) => ({ channel: report.channel, ok: report.ok, drift: report.driftFound, fixed: report.driftFixed }));
      if (run.status === 'failed') logger.error({ runId: run.id, err: run.error, channels }, 'reconciliation failed');
      else if (run.driftFound > 0) logger.warn({ runId: run.id, drift: run.driftFound, fixed: run.driftFixed, channels }, 'reconciliation found drift');
      else logger.info({ runId: run.id }, 'reconciliation: every channel matches the ledger');
    } catch (error) {
      logger.error({ err: String(error) }, 'reconciliation failed');
    } finally {
      running = false;
    }
  });
  return { stop: () => { void task.stop(); } };
}
