/**
 * What an alert says, for people and for chat tools: pure. The webhook body carries `text`
 * (Slack, Mattermost, Rocket.Chat, Google Chat) and `content` (Discord) with the same sentence,
 * plus the alert itself for anything that reads JSON.
 */
import type { AlertLevel } from './alert-level.js';
import type { MetricEvaluation } from './evaluate-metric.js';
import { percentOf } from './rate-math.js';

export interface AlertRecord {
  id: string;
  channel: string;
  metric: string;
  level: AlertLevel;
  rateBasisPoints: number | null;
  headroom: number | null;
  message: string;
  createdAtMs: number;
}

const CHAT_TEXT_MAX_CHARS = 1_900; // Discord refuses content over 2,000 characters.

export function alertMessage(evaluation: MetricEvaluation): string {
  const rate = percentOf(evaluation.rateBasisPoints);
  const limit = evaluation.limit ? `${evaluation.limit.comparison === 'below' ? 'below' : 'at most'} ${evaluation.limit.limitBasisPoints / 100}%` : 'no published limit';
  const figures = `${rate === null ? 'no orders' : `${rate}%`} (${evaluation.sellerCancellations} of ${evaluation.orders} orders; limit ${limit})`;
  const recovery = evaluation.recoversAtMs !== null ? ` Back within the limit on ${new Date(evaluation.recoversAtMs).toISOString()} if nothing else is cancelled.` : '';
  switch (evaluation.alertLevel) {
    case 'breached': return `${evaluation.channel}: ${evaluation.label} is ${figures}: the limit is missed.${recovery}`;
    case 'critical': return `${evaluation.channel}: ${evaluation.label} is ${figures}: one more seller-caused cancellation misses the limit.`;
    case 'warning': return `${evaluation.channel}: ${evaluation.label} is ${figures}: room for ${evaluation.headroom} more seller-caused cancellation${evaluation.headroom === 1 ? '' : 's'}.`;
    default: return `${evaluation.channel}: ${evaluation.label} is back to ${figures}.`;
  }
}

export function webhookBody(alert: AlertRecord): { text: string; content: string; alert: AlertRecord } {
  const icon = alert.level === 'ok' ? '✅' : alert.level === 'warning' ? '⚠️' : '🚨';
  const text = `${icon} Shelfguard: ${alert.message}`.slice(0, CHAT_TEXT_MAX_CHARS);
  return { text, content: text, alert };
}
