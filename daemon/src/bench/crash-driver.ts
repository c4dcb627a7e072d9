/**
 * The crash bench's driver: a seeded plan of relative WooCommerce order-line events (reductions
 * and restores of earlier reductions), each with its own idempotency key, and a sender that signs
 * each one with Standard Webhooks and retries on any error or timeout until the daemon answers
 * 200 with `applied` or `duplicate`. The plan knows each SKU's expected level: pure arithmetic.
 */
import { signedHeaders } from '../signing/standard-webhooks.js';
import { sleep } from './crash-daemon-process.js';

export const CRASH_SITE = 'crash.bench';
const RESTORE_SHARE = 0.2;
const QUANTITY_MAX = 3;
const ATTEMPT_TIMEOUT_MS = 5_000;
const ATTEMPTS_MAX = 5_000;
const RETRY_DELAY_MS = 40;

export interface PlannedEvent {
  key: string;
  skuIndex: number;
  /** Change to the SKU's available level the driver expects from this event. */
  delta: number;
  body: Record<string, unknown>;
}

export interface CrashPlan {
  events: PlannedEvent[];
  expected: number[];
}

/** N events over S SKUs of `opening` units each; never takes more than a SKU has. Pure. */
export function planCrashEvents(options: { movements: number; skus: number; opening: number; random: () => number }): CrashPlan {
  const expected = Array.from({ length: options.skus }, () => options.opening);
  const restorable: Array<{ itemId: number; skuIndex: number; quantity: number }> = [];
  const events: PlannedEvent[] = [];
  const occurredAt = new Date().toISOString();
  for (let index = 0; index < options.movements; index += 1) {
    const skuIndex = Math.floor(options.random() * options.skus);
    const quantity = 1 + Math.floor(options.random() * QUANTITY_MAX);
    const restore = restorable.length > 0 && (options.random() < RESTORE_SHARE || expected[skuIndex]! < quantity);
    if (restore) {
      const [line] = restorable.splice(Math.floor(options.random() * restorable.length), 1);
      expected[line!.skuIndex]! += line!.quantity;
      events.push(lineEvent('restore', line!.itemId, line!.skuIndex, line!.quantity, occurredAt));
      continue;
    }
    if (expected[skuIndex]! < quantity) throw new Error(`the plan ran out of stock on SKU ${skuIndex}: raise the opening level`);
    const itemId = index + 1;
    expected[skuIndex]! -= quantity;
    restorable.push({ itemId, skuIndex, quantity });
    events.push(lineEvent('reduce', itemId, skuIndex, quantity, occurredAt));
  }
  return { events, expected };
}

export function productIdOf(skuIndex: number): number {
  return 10_000 + skuIndex;
}

function lineEvent(kind: 'reduce' | 'restore', itemId: number, skuIndex: number, quantity: number, occurredAt: string): PlannedEvent {
  const key = `wc:${CRASH_SITE}:${itemId}:${kind}:1`;
  return {
    key, skuIndex, delta: kind === 'reduce' ? -quantity : quantity,
    body: { id: key, type: kind === 'reduce' ? 'order.line.reduced' : 'order.line.restored', occurred_at: occurredAt, order_id: 500_000 + itemId, order_item_id: itemId, seq: 1, product: { id: productIdOf(skuIndex) }, quantity },
  };
}

export interface SendStats {
  attempts: number;
  failedAttempts: number;
  applied: number;
  duplicate: number;
}

/** Sends every event, `concurrency` at a time, a restore never before the reduce it restores. */
export async function sendAll(url: string, secret: string, events: PlannedEvent[], concurrency: number): Promise<SendStats> {
  const stats: SendStats = { attempts: 0, failedAttempts: 0, applied: 0, duplicate: 0 };
  const acknowledged = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const event = events[next]!;
      next += 1;
      const reduceKey = event.key.replace(':restore:', ':reduce:');
      for (let waits = 0; reduceKey !== event.key && !acknowledged.has(reduceKey); waits += 1) {
        if (waits > ATTEMPTS_MAX) throw new Error(`${event.key} waited too long for ${reduceKey}`);
        await sleep(RETRY_DELAY_MS);
      }
      const status = await sendOne(url, secret, event, stats);
      stats[status] += 1;
      acknowledged.add(event.key);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return stats;
}

/** One event until it is acknowledged; the message id is the event key on every attempt. */
async function sendOne(url: string, secret: string, event: PlannedEvent, stats: SendStats): Promise<'applied' | 'duplicate'> {
  const text = JSON.stringify({ site: CRASH_SITE, events: [event.body] });
  const messageId = `msg_${event.key}`;
  for (let attempt = 1; attempt <= ATTEMPTS_MAX; attempt += 1) {
    stats.attempts += 1;
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(`${url}/v1/events`, {
        method: 'POST', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS), body: text,
        headers: signedHeaders(secret, messageId, timestamp, text),
      });
      const answer = await response.json().catch(() => null) as { results?: Array<{ status: string; code?: string; message?: string }> } | null;
      const result = answer?.results?.[0];
      if (response.status === 200 && (result?.status === 'applied' || result?.status === 'duplicate')) return result.status;
      if (response.status === 200 && result?.status === 'rejected') throw new Error(`${event.key} was rejected: ${result.code ?? ''} ${result.message ?? ''}`);
    } catch (error) {
      if (error instanceof Error && error.message.includes('was rejected')) throw error;
    }
    stats.failedAttempts += 1;
    await sleep(RETRY_DELAY_MS);
  }
  throw new Error(`${event.key} was not acknowledged after ${ATTEMPTS_MAX} attempts`);
}
