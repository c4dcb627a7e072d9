/** Scheduled reconciliation with node-cron; one run at a time, "off" disables it. */
import cron from 'node-cron';
import type { Logger } from '../logger.js';
import type { Reconciler } from './reconciler.js';

export function scheduleReconciliation(expression: string, reconciler: Reconciler, logger: Logger): { stop(): void } | undefined {
  if (expression === 'off') return undefined;
  if (!cron.validate(expression)) throw new Error(`reconcileSchedule: ${JSON.stringify(expression)} is not a cron expression (or "off")`);
  let running = false;
  const task = cron.schedule(expression, async () => {
    if (running) return;
    running = true;
    try {
      const reports = await reconciler.run({ fix: true });
      const drift = reports.reduce((sum, report) => sum + report.drift.length, 0);
      if (drift > 0) logger.warn({ drift, channels: reports.map((report) => ({ channel: report.channel, drift: report.drift.length, fixed: report.fixed })) }, 'reconciliation found drift');
      else logger.info('reconciliation: every channel matches the ledger');
    } catch (error) {
      logger.error({ err: String(error) }, 'reconciliation failed');
    } finally {
      running = false;
    }
  });
  return { stop: () => { void task.stop(); } };
}
