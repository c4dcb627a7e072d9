/**
 * Records an alert when a metric's level changes in a way worth telling (alert-level.ts), then
 * delivers it to the webhook if one is configured. wp-admin notices and e-mail are the plugin's:
 * it polls GET /v1/admin/metrics/alerts and sends each new alert through wp_mail once.
 */
import { newId } from '../ledger/ids.js';
import type { Store } from '../ledger/store.js';
import { shouldAlert, type AlertLevel } from './alert-level.js';
import { alertMessage, type AlertRecord } from './alert-message.js';
import type { MetricEvaluation } from './evaluate-metric.js';
import { sendAlertWebhook, type WebhookOptions } from './webhook-sender.js';

export interface AlertDelivery {
  webhookUrl?: string;
  webhook?: WebhookOptions;
}

async function latestLevel(store: Store, channel: string, metric: string): Promise<AlertLevel | undefined> {
  const row = await store.db.selectFrom('metric_alert').select('level').where('channel', '=', channel).where('metric', '=', metric)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.level as AlertLevel | undefined;
}

/** Raises and delivers the alerts the evaluations call for; returns the ones raised. */
export async function recordAlerts(store: Store, evaluations: readonly MetricEvaluation[], delivery: AlertDelivery, nowMs: number): Promise<AlertRecord[]> {
  const raised: AlertRecord[] = [];
  for (const evaluation of evaluations) {
    if (!evaluation.limit) continue;
    if (!shouldAlert(await latestLevel(store, evaluation.channel, evaluation.metric), evaluation.alertLevel)) continue;
    const alert: AlertRecord = {
      id: newId('al', nowMs), channel: evaluation.channel, metric: evaluation.metric, level: evaluation.alertLevel,
      rateBasisPoints: evaluation.rateBasisPoints === null ? null : Math.round(evaluation.rateBasisPoints), headroom: evaluation.headroom,
      message: alertMessage(evaluation).slice(0, 400), createdAtMs: nowMs,
    };
    await store.db.insertInto('metric_alert').values({
      id: alert.id, channel: alert.channel, metric: alert.metric, level: alert.level, rate_basis_points: alert.rateBasisPoints, headroom: alert.headroom,
      message: alert.message, webhook_state: delivery.webhookUrl ? 'pending' : 'none', webhook_attempts: 0, webhook_error: null, acknowledged_at: null, created_at: nowMs,
    }).execute();
    raised.push(alert);
  }
  if (delivery.webhookUrl) for (const alert of raised) await deliver(store, delivery.webhookUrl, alert, delivery.webhook);
  return raised;
}

async function deliver(store: Store, url: string, alert: AlertRecord, options: WebhookOptions | undefined): Promise<void> {
  const result = await sendAlertWebhook(url, alert, options);
  await store.db.updateTable('metric_alert').set({
    webhook_state: result.ok ? 'delivered' : 'failed', webhook_attempts: result.attempts, webhook_error: result.ok ? null : `${result.code}: ${result.message}`.slice(0, 400),
  }).where('id', '=', alert.id).execute();
}

/** Alerts newest first, for the admin route the plugin polls. */
export async function listAlerts(store: Store, options: { sinceMs?: number; limit: number; unacknowledgedOnly?: boolean }) {
  let query = store.db.selectFrom('metric_alert').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.sinceMs !== undefined) query = query.where('created_at', '>', options.sinceMs);
  if (options.unacknowledgedOnly) query = query.where('acknowledged_at', 'is', null);
  return query.execute();
}
