/**
 * POST/GET /v1/webhooks/:channel — marketplace notifications. The channel verifies the raw bytes
 * (signatures cover bytes, not parsed JSON) and parses; verified events go into the durable inbox
 * and the sender is answered as soon as that commit is done. Handshakes (eBay's challenge_code,
 * Etsy/TikTok verification) are answered as the channel says. Nothing is written from a request
 * that failed verification (I7).
 */
import express, { type Request, type Router } from 'express';
import type { Channel, InboundNotification } from '../channels/channel.js';
import type { OrderInbox } from '../orders/order-inbox.js';
import { HttpError } from './errors.js';

const WEBHOOK_BODY_BYTES_MAX = 1_000_000;

function toInbound(req: Request): InboundNotification {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return { method: req.method, url: req.originalUrl, headers, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) };
}

export function webhooksRouter(channelOf: (name: string) => Channel | undefined, inbox: OrderInbox): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_BYTES_MAX });
  router.all('/v1/webhooks/:channel', raw, async (req, res, next) => {
    try {
      if (req.method !== 'POST' && req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'webhooks take POST (and GET for handshakes)');
      const name = String(req.params.channel);
      const channel = channelOf(name);
      if (!channel) throw new HttpError(404, 'unknown_channel', `no connected channel ${JSON.stringify(name.slice(0, 32))}`);
      const outcome = await channel.handleNotification(toInbound(req));
      if (!outcome.ok) {
        const status = outcome.error.code === 'invalid_signature' || outcome.error.code === 'unauthorized' ? 401 : 400;
        throw new HttpError(status, outcome.error.code, outcome.error.message);
      }
      if (outcome.value.kind === 'challenge') {
        res.status(outcome.value.status).type(outcome.value.contentType).send(outcome.value.body);
        return;
      }
      const result = await inbox.accept(name, outcome.value.events);
      res.status(200).json({ received: outcome.value.events.length, ...result });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
