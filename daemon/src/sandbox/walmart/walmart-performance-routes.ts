/**
 * Walmart's Seller Performance cancellations summary, computed from the sandbox's own orders:
 * seller-fulfilled orders placed in the last reportDuration days, of which those the seller (or
 * Walmart's auto-cancel) cancelled are impacted; buyer-requested cancellations are not. NOT
 * validated against an official model: the saved specs have no /v3/insights/performance path.
 * The path, reportDuration (14, 30, 60, 90), the trend words (GREEN_UP, GREEN_DOWN, NEUTRAL,
 * RED_UP, RED_DOWN, against the period ending the day before) and the names cumulativeRate and
 * cumulativeRateTrend are from Walmart's guide pages; the payload wrapper and the other field
 * names (impactedOrders, totalOrders, startDate, endDate) are this sandbox's assumption.
 */
import type { Router } from 'express';
import { PERFORMANCE_OPERATION_NAMES, WALMART_CANCELLATIONS_SUMMARY_PATH, WALMART_REPORT_DURATIONS_DAYS } from '../../metrics/walmart-performance-client.js';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxOrder } from '../kit/sandbox-state.js';
import { sendApiError, walmartErrorEntry } from './walmart-sandbox-errors.js';

const DAY_MS = 86_400_000;
const SELLER_CAUSES = new Set(['seller_out_of_stock', 'seller_other', 'marketplace']);

function isImpacted(order: SandboxOrder): boolean {
  return order.status === 'cancelled' && order.lines.some((line) => line.cancelReason !== undefined && SELLER_CAUSES.has(line.cancelReason));
}

/** Orders and impacted orders placed in (endMs - days, endMs]. */
function countWindow(orders: readonly SandboxOrder[], endMs: number, days: number): { totalOrders: number; impactedOrders: number; ratePercent: number } {
  const inWindow = orders.filter((order) => order.fulfillment === 'merchant' && order.createdAtMs > endMs - days * DAY_MS && order.createdAtMs <= endMs);
  const impactedOrders = inWindow.filter(isImpacted).length;
  return { totalOrders: inWindow.length, impactedOrders, ratePercent: inWindow.length === 0 ? 0 : Math.round((impactedOrders / inWindow.length) * 100 * 100) / 100 };
}

function trendOf(now: number, before: number): string {
  if (now === before) return 'NEUTRAL';
  // A falling cancellation rate is the good direction.
  return now < before ? 'GREEN_DOWN' : 'RED_UP';
}

export function installPerformanceRoutes(router: Router, context: SandboxContext): void {
  router.get(WALMART_CANCELLATIONS_SUMMARY_PATH, (req, res) => {
    if (!context.admit(PERFORMANCE_OPERATION_NAMES.getCancellationsSummary, res)) return;
    const text = String(req.query.reportDuration ?? '');
    const days = Number(text);
    if (!/^\d+$/.test(text) || !(WALMART_REPORT_DURATIONS_DAYS as readonly number[]).includes(days)) {
      return sendApiError(res, 400, walmartErrorEntry('INVALID_REQUEST_PARAM.GMP_INSIGHTS_API', 'reportDuration', `reportDuration must be one of ${WALMART_REPORT_DURATIONS_DAYS.join(', ')}, got ${JSON.stringify(text)}`, 'Request parameter is invalid.'));
    }
    const nowMs = context.nowMs();
    const orders = [...context.state.orders.values()];
    const current = countWindow(orders, nowMs, days);
    const previous = countWindow(orders, nowMs - DAY_MS, days);
    res.json({
      payload: {
        reportDuration: days, startDate: new Date(nowMs - days * DAY_MS).toISOString(), endDate: new Date(nowMs).toISOString(),
        cumulativeRate: current.ratePercent, cumulativeRateTrend: trendOf(current.ratePercent, previous.ratePercent),
        impactedOrders: current.impactedOrders, totalOrders: current.totalOrders,
      },
    });
  });
}
