/**
 * Etsy webhook payloads as Shelfguard events. Etsy delivers a flat
 * `{event_type, resource_url, shop_id}`; its docs describe `{event_type, event_id, created_at,
 * data}`, which developers reported as wrong; both are accepted (marketplaces.md corrections).
 * Events carry only the receipt id: the engine fetches the receipt with getOrder.
 */
import { z } from 'zod';
import type { ChannelEvent, ChannelEventType } from '../channel.js';

const EVENT_TYPES: Record<string, ChannelEventType> = {
  'order.paid': 'order.created',
  'order.canceled': 'order.cancelled',
  'order.shipped': 'order.shipped',
  'order.delivered': 'order.updated',
};

const payloadSchema = z.object({
  event_type: z.string().min(1).max(100),
  resource_url: z.string().max(2_000).optional(),
  shop_id: z.union([z.string(), z.number()]).optional(),
  event_id: z.string().max(256).optional(),
  created_at: z.union([z.string(), z.number()]).optional(),
  data: z.object({ receipt_id: z.union([z.string(), z.number()]).optional(), resource_url: z.string().max(2_000).optional() }).passthrough().optional(),
}).passthrough();

const RECEIPT_PATH = /\/v3\/application\/shops\/(\d+)\/receipts\/(\d+)(?:$|[/?#])/;

export type ParsedWebhook = { ok: true; events: ChannelEvent[] } | { ok: false; message: string };

function occurredAt(value: string | number | undefined, fallbackSeconds: number): string {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return new Date(fallbackSeconds * 1000).toISOString();
}

/** `messageId` is the verified webhook-id; `timestampSeconds` the verified webhook-timestamp. */
export function parseWebhook(rawBody: Buffer, messageId: string, timestampSeconds: number): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, message: 'Etsy webhook body is not JSON' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: `Etsy webhook body is not an Etsy event: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'} ${issue.message}`).join('; ')}` };
  const payload = parsed.data;
  const type = EVENT_TYPES[payload.event_type];
  if (!type) return { ok: true, events: [] }; // an event type we do not act on; acknowledged, not stored
  const url = payload.resource_url ?? payload.data?.resource_url;
  const receiptId = url?.match(RECEIPT_PATH)?.[2] ?? (payload.data?.receipt_id !== undefined ? String(payload.data.receipt_id) : undefined);
  if (!receiptId || !/^\d+$/.test(receiptId)) return { ok: false, message: `Etsy ${payload.event_type} webhook names no receipt (expected resource_url …/shops/{shop_id}/receipts/{receipt_id})` };
  return { ok: true, events: [{ eventId: messageId, type, occurredAt: occurredAt(payload.created_at, timestampSeconds), orderId: receiptId }] };
}
