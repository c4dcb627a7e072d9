/**
 * Webhook deliveries in Walmart's format: ORDER_UPDATES with payload.subEventType and the order
 * under payload.order, authenticated as the subscription's authDetails say. Walmart does not say
 * whether its HMAC is hex or base64; this sandbox sends base64 (the connector accepts both).
 */
import { createHmac, randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { WalmartSandboxState, WebhookSubscriptionAuth } from './walmart-sandbox-state.js';
import { walmartOrderView } from './walmart-order-view.js';

type OrderChange = 'created' | 'cancelled' | 'shipped' | 'return_requested' | 'return_received';

/** Which ORDER_UPDATES sub-event a change produces; Walmart sends none for shipments or seller cancels. */
function subEventFor(change: OrderChange, cancelReason: string | undefined): string | undefined {
  if (change === 'created') return 'PO_CREATED';
  if (change !== 'cancelled') return undefined;
  if (cancelReason === 'marketplace') return 'PO_LINE_AUTOCANCELLED';
  if (cancelReason === 'buyer') return 'INTENT_TO_CANCEL';
  return undefined;
}

export function authHeaderValue(auth: WebhookSubscriptionAuth, body: string): string {
  if (auth.authMethod === 'HMAC') return createHmac('sha256', auth.clientSecret ?? '').update(body).digest('base64');
  return Buffer.from(`${auth.userName ?? ''}:${auth.password ?? ''}`, 'utf8').toString('base64');
}

export function notifyOrderChanged(orderId: string, change: OrderChange, context: SandboxContext, walmart: WalmartSandboxState): void {
  const order = context.state.orders.get(orderId);
  if (!order) return;
  const subEventType = subEventFor(change, order.lines[0]?.cancelReason);
  if (!subEventType) return;
  const body = JSON.stringify({
    source: { eventType: 'ORDER_UPDATES', eventTime: new Date(context.nowMs()).toISOString(), eventId: randomUUID() },
    payload: { subEventType, order: walmartOrderView(order, context.state.listings) },
  });
  context.notify({ headers: { 'content-type': 'application/json', [walmart.subscription.authHeaderName]: authHeaderValue(walmart.subscription, body) }, body });
}

const subscriptionSchema = z.discriminatedUnion('authMethod', [
  z.object({ authMethod: z.literal('HMAC'), authHeaderName: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/), clientSecret: z.string().min(1).max(200) }).strict(),
  z.object({ authMethod: z.literal('BASIC_AUTH'), authHeaderName: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/), userName: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict(),
]);

/** PUT /_sandbox/walmart/subscription: the authDetails deliveries use (OAUTH is not simulated). */
export function installSubscriptionSurface(app: Express, walmart: WalmartSandboxState): void {
  app.put('/_sandbox/walmart/subscription', express.json(), (req, res) => {
    const parsed = subscriptionSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) });
      return;
    }
    walmart.subscription = parsed.data;
    res.json({ authMethod: parsed.data.authMethod, authHeaderName: parsed.data.authHeaderName });
  });
}
