import { afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertRecord } from '../../daemon/src/metrics/alert-message.js';
import { backoffMs, sendAlertWebhook } from '../../daemon/src/metrics/webhook-sender.js';

const alert: AlertRecord = { id: 'al_01', channel: 'amazon', metric: 'amazon_cancellation_rate', level: 'critical', rateBasisPoints: 225, headroom: 0, message: 'amazon: Pre-fulfilment cancel rate is 2.25%', createdAtMs: 0 };

/** A local chat-tool stand-in answering each request with the next status in `statuses`. */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.statusCode = statuses[Math.min(bodies.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/secret-token`, bodies, server };
}

let open: Server | undefined;
afterEach(async () => { await new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve())); open = undefined; });
const noSleep = async () => {};

describe('alert webhook', () => {
  test('delivers JSON a chat tool takes: text for Slack-style tools, content for Discord, and the alert', async () => {
    const hook = await receiver([200]);
    open = hook.server;
    expect(await sendAlertWebhook(hook.url, alert, { sleep: noSleep })).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(hook.bodies[0]).toEqual({ text: '🚨 Shelfguard: amazon: Pre-fulfilment cancel rate is 2.25%', content: '🚨 Shelfguard: amazon: Pre-fulfilment cancel rate is 2.25%', alert });
  });

  test('retries a 503 and a 429 and succeeds on the third attempt', async () => {
    const hook = await receiver([503, 429, 204]);
    open = hook.server;
    expect(await sendAlertWebhook(hook.url, alert, { sleep: noSleep })).toEqual({ ok: true, attempts: 3, status: 204 });
  });

  test('a 404 is final: the URL is wrong and retrying cannot help', async () => {
    const hook = await receiver([404]);
    open = hook.server;
    const result = await sendAlertWebhook(hook.url, alert, { sleep: noSleep });
    expect(result).toEqual({ ok: false, attempts: 1, code: 'rejected', message: 'the webhook answered 404; expected 2xx' });
  });

  test('gives up after the attempt limit and never reveals the URL with its token', async () => {
    const hook = await receiver([500]);
    open = hook.server;
    const result = await sendAlertWebhook(hook.url, alert, { sleep: noSleep, attemptsMax: 3 });
    expect([result.ok, result.attempts, hook.bodies.length]).toEqual([false, 3, 3]);
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });

  test('an unreachable receiver is retried and reported without the URL', async () => {
    const hook = await receiver([200]);
    await new Promise<void>((resolve) => hook.server.close(() => resolve()));
    const result = await sendAlertWebhook(hook.url, alert, { sleep: noSleep, attemptsMax: 2 });
    expect([result.ok, result.attempts, !result.ok && result.code]).toEqual([false, 2, 'unreachable']);
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });

  test('backoff doubles from half a second and stops growing at 30 seconds', () => {
    expect([1, 2, 3, 10].map((attempt) => backoffMs(attempt))).toEqual([500, 1_000, 2_000, 30_000]);
  });
});
