/** Alert levels from headroom, and when a change of level is worth telling someone: pure. */

export const ALERT_LEVELS = ['ok', 'warning', 'critical', 'breached'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Warn while the window absorbs this many more seller-caused cancellations or fewer. */
export const DEFAULT_ALERT_HEADROOM_CANCELLATIONS = 2;

/**
 * breached: the limit is missed now. critical: the next seller-caused cancellation misses it.
 * warning: headroom at or below the configured level. ok otherwise, and for metrics without a limit.
 */
export function alertLevelOf(meets: boolean | null, headroom: number | null, alertHeadroomCancellations: number): AlertLevel {
  if (meets === null || headroom === null) return 'ok';
  if (!meets) return 'breached';
  if (headroom === 0) return 'critical';
  return headroom <= alertHeadroomCancellations ? 'warning' : 'ok';
}

export function severityOf(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

/**
 * Whether to raise an alert when a metric moves from `previous` (the level of its latest alert,
 * or undefined for none) to `current`: on every worsening, and once on recovery to ok.
 */
export function shouldAlert(previous: AlertLevel | undefined, current: AlertLevel): boolean {
  if (previous === undefined) return current !== 'ok';
  if (current === previous) return false;
  return severityOf(current) > severityOf(previous) || current === 'ok';
}
