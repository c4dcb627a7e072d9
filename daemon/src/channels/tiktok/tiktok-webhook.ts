/**
 * TikTok Shop webhook verification and parsing, pure and total. The `Authorization` header is
 * lower-case hex HMAC-SHA256 keyed with app_secret over app_key followed by the raw body
 * (shared/marketplaces.md §4.5 and corrections). Events carry ids only; the engine re-reads orders.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { channelError, fail, ok, type ChannelEvent, type ChannelEventType, type Result } from '../channel.js';

export function webhookSignature(appKey: string, appSecret: string, rawBody: Buffer): string {
  return createHmac('sha256', appSecret).update(Buffer.concat([Buffer.from(appKey, 'utf8'), rawBody])).digest('hex');
}

/** A SHA-256 hex digest is 64 characters; anything else is refused unread. */
const SIGNATURE_HEX_CHARS = 64;

export function verifyTiktokWebhook(appKey: string, appSecret: string, headers: Record<string, string | undefined>, rawBody: Buffer): boolean {
  const received = headers.authorization;
  if (typeof received !== 'string' || received.length !== SIGNATURE_HEX_CHARS) return false;
  const expected = Buffer.from(webhookSignature(appKey, appSecret, rawBody), 'utf8');
  const given = Buffer.from(received, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const envelopeSchema = z.object({
  type: z.number().int(),
  tts_notification_id: z.string().min(1),
  shop_id: z.string().optional(),
  timestamp: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});

function orderStatusEvent(status: unknown): ChannelEventType {
  if (status === 'AWAITING_SHIPMENT' || status === 'UNPAID' || status === 'ON_HOLD') return 'order.created';
  // The webhook guide spells it CANCEL, the order API CANCELLED: accept both.
  if (status === 'CANCEL' || status === 'CANCELLED') return 'order.cancelled';
  if (status === 'AWAITING_COLLECTION' || status === 'IN_TRANSIT' || status === 'PARTIALLY_SHIPPING') return 'order.shipped';
  return 'order.updated';
}

export function parseTiktokEvents(rawBody: Buffer): Result<ChannelEvent[]> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return fail(channelError('invalid_request', 'TikTok notification body is not JSON'));
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return fail(channelError('invalid_request', `TikTok notification is not {type, tts_notification_id, timestamp, data}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`));
  const { type, tts_notification_id: eventId, timestamp, data } = parsed.data;
  const orderId = typeof data.order_id === 'string' ? data.order_id : undefined;
  let eventType: ChannelEventType | undefined;
  if (type === 1) eventType = orderStatusEvent(data.order_status);
  else if (type === 11) eventType = data.cancel_status === 'CANCELLATION_REQUEST_SUCCESS' || data.cancel_status === 'CANCELLATION_REQUEST_COMPLETE' ? 'order.cancelled' : 'order.updated';
  else if (type === 12) eventType = 'return.requested';
  // Other types (address, package, product) carry nothing the stock ledger needs.
  if (!eventType) return ok([]);
  if (!orderId) return fail(channelError('invalid_request', `TikTok notification ${eventId} of type ${type} names no order_id`));
  return ok([{ eventId, type: eventType, occurredAt: new Date(timestamp * 1000).toISOString(), orderId }]);
}
