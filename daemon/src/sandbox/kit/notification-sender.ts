/**
 * Delivers a sandbox's signed notifications over real HTTP, as the marketplace would: with a few
 * retries on failure, and with the duplicate and reorder knobs that tests use to prove the
 * daemon's deduplication and convergence.
 */
import type { SandboxFaults } from './faults.js';

export interface OutboundNotification {
  headers: Record<string, string>;
  /** The exact bytes to send; the signature in headers covers them. */
  body: string;
  /** Appended to notifyUrl (e.g. a query string some marketplaces add). */
  pathSuffix?: string;
}

export interface DeliveryRecord {
  atMs: number;
  url: string;
  status: number | 'network_error';
  attempt: number;
  body: string;
}

const ATTEMPTS_MAX = 4;
const RETRY_DELAY_MS = 200;
const DELIVERY_LOG_MAX = 5_000;
const DELIVERY_TIMEOUT_MS = 5_000;

export class NotificationSender {
  readonly deliveries: DeliveryRecord[] = [];
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly random: () => number) {}

  send(url: string, notification: OutboundNotification, faults: SandboxFaults): void {
    const copies = faults.duplicateNotificationRate > 0 && this.random() < faults.duplicateNotificationRate ? 2 : 1;
    for (let copy = 0; copy < copies; copy += 1) {
      const delayMs = faults.reorderWindowMs > 0 ? Math.floor(this.random() * faults.reorderWindowMs) : 0;
      this.schedule(() => void this.deliver(url + (notification.pathSuffix ?? ''), notification, 1), delayMs);
    }
  }

  private schedule(work: () => void, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => { this.timers.delete(timer); work(); }, delayMs);
    this.timers.add(timer);
  }

  private async deliver(url: string, notification: OutboundNotification, attempt: number): Promise<void> {
    if (this.stopped) return;
    let status: number | 'network_error';
    try {
      const response = await fetch(url, { method: 'POST', headers: notification.headers, body: notification.body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 'network_error';
    }
    if (this.deliveries.length >= DELIVERY_LOG_MAX) this.deliveries.shift();
    this.deliveries.push({ atMs: Date.now(), url, status, attempt, body: notification.body });
    const delivered = typeof status === 'number' && status >= 200 && status < 300;
    if (!delivered && attempt < ATTEMPTS_MAX) this.schedule(() => void this.deliver(url, notification, attempt + 1), RETRY_DELAY_MS * 2 ** (attempt - 1));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
