/**
 * Verified Notification API messages turned into channel events. Envelope:
 * {metadata:{topic, schemaVersion, deprecated}, notification:{notificationId, eventDate,
 * publishDate, publishAttemptCount, data}} (marketplaces.md, corrections, ORDER_CONFIRMATION).
 * ORDER_CONFIRMATION carries little beyond the orderId, so events name the order and the engine
 * fetches it with getOrder.
 */
import { channelError, fail, ok, type ChannelEvent, type ChannelEventType, type Result } from '../channel.js';

/** Topics that concern stock, and what they mean to the engine. */
const TOPIC_EVENTS: Record<string, ChannelEventType> = {
  ORDER_CONFIRMATION: 'order.created',
  ITEM_MARKED_SHIPPED: 'order.shipped',
};

export function parseNotification(rawBody: Buffer): Result<ChannelEvent[]> {
  let message: { metadata?: { topic?: unknown }; notification?: { notificationId?: unknown; eventDate?: unknown; data?: { orderId?: unknown } } };
  try {
    message = JSON.parse(rawBody.toString('utf8')) as typeof message;
  } catch {
    return fail(channelError('invalid_request', 'the eBay notification body is not JSON'));
  }
  const topic = message?.metadata?.topic;
  const notification = message?.notification;
  if (typeof topic !== 'string' || typeof notification?.notificationId !== 'string' || typeof notification.eventDate !== 'string') {
    return fail(channelError('invalid_request', 'the eBay notification lacks metadata.topic, notification.notificationId or notification.eventDate'));
  }
  const type = TOPIC_EVENTS[topic];
  // Topics we do not act on (account deletion, feedback, ...) are acknowledged with no events.
  if (!type) return ok([]);
  const orderId = notification.data?.orderId;
  if (typeof orderId !== 'string' || orderId === '') return fail(channelError('invalid_request', `the eBay ${topic} notification has no data.orderId`));
  return ok([{ eventId: notification.notificationId, type, occurredAt: notification.eventDate, orderId }]);
}
