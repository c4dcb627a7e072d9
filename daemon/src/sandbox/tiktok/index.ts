/**
 * The TikTok Shop (202309) sandbox: signed requests verified over the exact bytes received,
 * the timestamp window, x-tts-access-token, token get/refresh, per-product inventory updates with
 * partial failures in data.errors, product and order search with page tokens, and webhooks signed
 * with Authorization = hex HMAC-SHA256(app_secret, app_key + body). No official model exists:
 * bodies are checked against fixtures written from the documentation (schemas/requests.json).
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { limits } from '../../channels/tiktok/limits.js';
import { webhookSignature } from '../../channels/tiktok/tiktok-webhook.js';
import type { MarketplaceSandbox } from '../kit/sandbox-server.js';
import { seededRandom } from '../kit/seeded-random.js';
import { CODE_RATE_LIMIT, fixtureProblems, send } from './tiktok-envelope.js';
import { installTiktokRoutes, type TiktokSandboxState } from './tiktok-routes.js';

/** The one sales warehouse of the sandbox shop. */
export const SANDBOX_WAREHOUSE_ID = '7068517275539719942';

export function createSandboxDefinition(options: { seed?: number } = {}): MarketplaceSandbox {
  const random = seededRandom((options.seed ?? 1) ^ 0x7f7f);
  const text = (length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const credentials = { app_key: text(13), app_secret: text(40), auth_code: `ROW_${text(40)}`, refresh_token: `ROW_${text(60)}`, shop_cipher: `ROW_${text(30)}` };
  const tiktok: TiktokSandboxState = { tokens: new Map(), zeroQuantityAllowed: true };
  fixtureProblems('envelope', {});
  const productIds = new Map<string, string>();
  let sequence = 0;
  const nextId = () => { sequence += 1; return `1729${String(sequence).padStart(15, '0')}`; };
  return {
    marketplace: 'tiktok',
    credentials,
    operations: limits.operations,
    assignIdentifiers(listing) {
      // A parent is a product; its children are SKUs of that product; a lone SKU is a product of one SKU.
      const owner = listing.parentSku ?? listing.sku;
      if (!productIds.has(owner)) productIds.set(owner, nextId());
      const productId = productIds.get(owner)!;
      return { productId, skuId: nextId(), warehouseId: SANDBOX_WAREHOUSE_ID };
    },
    sendRateLimited(res, retryAfterMs) {
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      send(res, 429, CODE_RATE_LIMIT, 'Too many requests');
    },
    sendServerError(res) {
      send(res, 500, 36009000, 'Internal error');
    },
    installRoutes(app, context) {
      app.put('/_sandbox/tiktok/config', express.json(), (req, res) => {
        const parsed = z.object({ zeroQuantityAllowed: z.boolean() }).strict().safeParse(req.body);
        if (!parsed.success) { res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues.map((issue) => issue.message) }); return; }
        tiktok.zeroQuantityAllowed = parsed.data.zeroQuantityAllowed;
        res.json(parsed.data);
      });
      const router = express.Router();
      installTiktokRoutes(router, context, tiktok);
      app.use(router);
    },
    onOrderChanged(orderId, change, context) {
      const order = context.state.orders.get(orderId);
      if (!order) return;
      const nowS = Math.floor(context.nowMs() / 1000);
      const type = change === 'return_requested' || change === 'return_received' ? 12 : 1;
      const status = change === 'created' ? 'AWAITING_SHIPMENT' : change === 'cancelled' ? 'CANCELLED' : change === 'shipped' ? 'IN_TRANSIT' : 'DELIVERED';
      const data = type === 12 ? { order_id: orderId, return_id: `R${orderId}`, update_time: nowS } : { order_id: orderId, order_status: status, is_on_hold_order: false, update_time: nowS };
      const body = JSON.stringify({ type, tts_notification_id: randomUUID(), shop_id: '7494049642642441621', timestamp: nowS, data });
      context.notify({ headers: { 'content-type': 'application/json', authorization: webhookSignature(credentials.app_key, credentials.app_secret, Buffer.from(body)) }, body });
    },
  };
}
