/**
 * Parses a verified Walmart webhook body into Shelfguard events. Pure and total.
 *
 * Walmart's envelope is `{source:{eventType,eventTime,eventId}, payload:{...}}`. Order events come
 * as ORDER_UPDATES with `payload.subEventType` (PO_CREATED, PO_LINE_AUTOCANCELLED,
 * INTENT_TO_CANCEL, FRAUD_CANCEL) and the order under `payload.order`; the standalone PO_CREATED,
 * PO_LINE_AUTOCANCELLED and INTENT_TO_CANCEL events are deprecated (removal 2026-12-15) but still
 * accepted (shared/marketplaces.md, corrections).
 */
import { z } from 'zod';
import { channelError, fail, ok, type ChannelEvent, type ChannelEventType, type Result } from '../channel.js';
import { describeIssues } from './walmart-payloads.js';
import { mapWalmartOrder } from './walmart-orders.js';

const envelopeSchema = z.object({
  source: z.object({ eventType: z.string().min(1), eventTime: z.string().min(1), eventId: z.string().min(1) }),
  payload: z.record(z.string(), z.unknown()),
});

const ORDER_SUB_EVENTS: Record<string, ChannelEventType> = {
  PO_CREATED: 'order.created',
  PO_LINE_AUTOCANCELLED: 'order.cancelled',
  FRAUD_CANCEL: 'order.cancelled',
  // The customer asked to cancel; stock moves only when the seller or Walmart cancels the line.
  INTENT_TO_CANCEL: 'order.updated',
};

export function parseWalmartEvents(rawBody: Buffer): Result<ChannelEvent[]> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return fail(channelError('invalid_request', 'Walmart notification body is not JSON'));
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return fail(channelError('invalid_request', `Walmart notification is not {source:{eventType,eventTime,eventId},payload}: ${describeIssues(parsed.error)}`));
  const { source, payload } = parsed.data;
  const subEventType = source.eventType === 'ORDER_UPDATES' ? payload.subEventType : source.eventType;
  const type = typeof subEventType === 'string' ? ORDER_SUB_EVENTS[subEventType] : undefined;
  // Other subscribed events (items, prices, reports) carry nothing the stock ledger needs.
  if (!type) return ok([]);
  const orderBody = payload.order ?? (typeof payload.purchaseOrderId === 'string' ? payload : undefined);
  const occurredAt = Number.isNaN(Date.parse(source.eventTime)) ? new Date(0).toISOString() : new Date(Date.parse(source.eventTime)).toISOString();
  const event: ChannelEvent = { eventId: source.eventId, type, occurredAt };
  const mapped = orderBody === undefined ? undefined : mapWalmartOrder(orderBody);
  if (mapped?.ok) {
    event.order = mapped.value;
    event.orderId = mapped.value.orderId;
  } else if (orderBody && typeof (orderBody as Record<string, unknown>).purchaseOrderId === 'string') {
    // A partial order still names the purchase order; the engine fetches it with getOrder.
    event.orderId = (orderBody as Record<string, string>).purchaseOrderId;
  } else {
    return fail(channelError('invalid_request', `Walmart ${String(subEventType)} notification ${source.eventId} names no purchase order`));
  }
  return ok([event]);
}
