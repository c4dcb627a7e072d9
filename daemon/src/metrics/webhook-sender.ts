/**
 * Delivers an alert to the configured webhook URL as JSON a chat tool takes, retrying network
 * failures, 429 and 5xx with capped exponential backoff; a 4xx other than 429 is final. The URL
 * holds the chat tool's secret token, so it never appears in a result or a log.
 */
import { webhookBody, type AlertRecord } from './alert-message.js';

export const WEBHOOK_ATTEMPTS_MAX = 5;
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_BACKOFF_BASE_MS = 500;
export const WEBHOOK_BACKOFF_MAX_MS = 30_000;

export type WebhookResult =
  | { ok: true; attempts: number; status: number }
  | { ok: false; attempts: number; code: 'rejected' | 'unreachable' | 'server_error'; message: string };

export interface WebhookOptions {
  attemptsMax?: number;
  timeoutMs?: number;
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffMs(attempt: number, baseMs = WEBHOOK_BACKOFF_BASE_MS): number {
  return Math.min(WEBHOOK_BACKOFF_MAX_MS, baseMs * 2 ** (attempt - 1));
}

async function attemptOnce(url: string, body: string, timeoutMs: number): Promise<{ status: number } | { error: string }> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Shelfguard' }, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    // The error's message may quote the URL; report only its kind.
    return { error: error instanceof Error ? error.name : 'error' };
  }
}

export async function sendAlertWebhook(url: string, alert: AlertRecord, options: WebhookOptions = {}): Promise<WebhookResult> {
  const attemptsMax = options.attemptsMax ?? WEBHOOK_ATTEMPTS_MAX;
  const sleep = options.sleep ?? defaultSleep;
  const body = JSON.stringify(webhookBody(alert));
  let last: WebhookResult = { ok: false, attempts: 0, code: 'unreachable', message: 'not attempted' };
  for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
    const outcome = await attemptOnce(url, body, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) return { ok: true, attempts: attempt, status: outcome.status };
    if ('status' in outcome && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) {
      return { ok: false, attempts: attempt, code: 'rejected', message: `the webhook answered ${outcome.status}; expected 2xx` };
    }
    last = 'status' in outcome
      ? { ok: false, attempts: attempt, code: 'server_error', message: `the webhook answered ${outcome.status} after ${attempt} attempts` }
      : { ok: false, attempts: attempt, code: 'unreachable', message: `the webhook could not be reached (${outcome.error}) after ${attempt} attempts` };
    if (attempt < attemptsMax) await sleep(backoffMs(attempt, options.backoffBaseMs));
  }
  return last;
}
