/**
 * The Amazon SP-API sandbox: Login with Amazon, Listings Items, Feeds (with document storage),
 * Reports (GET_MERCHANT_LISTINGS_ALL_DATA), Orders 2026-01-01, FBA inventory, and an SQS-compatible queue that receives ORDER_CHANGE
 * notifications, all on one base URL. Credentials are generated from the seed and are test-only.
 */
import type { Express, Response } from 'express';
import { AMAZON_OPERATIONS } from '../../channels/amazon/limits.js';
import type { MarketplaceSandbox, SandboxContext } from '../kit/sandbox-server.js';
import { seededRandom } from '../kit/seeded-random.js';
import { AccessTokens, installLwa } from './auth.js';
import { installFeedsRoutes } from './feeds-routes.js';
import { installListingsRoutes } from './listings-routes.js';
import { orderChangeNotification } from './order-model.js';
import { installOrdersRoutes } from './orders-routes.js';
import { installReportsRoutes } from './reports-routes.js';
import { sendInternalFailure, sendQuotaExceeded } from './responses.js';
import { installSqsEndpoint, SqsQueue } from './sqs-endpoint.js';

const ALPHANUMERIC_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

function randomText(random: () => number, alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

export function createSandboxDefinition(options: { seed?: number } = {}): MarketplaceSandbox {
  const random = seededRandom(options.seed ?? 20_210_801);
  const account = randomText(random, '0123456789', 12);
  const credentials: Record<string, string> = {
    client_id: `amzn1.application-oa2-client.${randomText(random, HEX, 32)}`,
    client_secret: `amzn1.oa2-cs.v1.${randomText(random, HEX, 64)}`,
    refresh_token: `Atzr|${randomText(random, HEX, 96)}`,
    seller_id: `A${randomText(random, ALPHANUMERIC_UPPER, 13)}`,
    marketplace_id: 'ATVPDKIKX0DER',
    // Relative URLs: the connector resolves them against the sandbox's base URL.
    lwa_token_url: '/auth/o2/token',
    sqs_queue_url: `/${account}/sp-api-notifications`,
    aws_access_key_id: `AKIA${randomText(random, ALPHANUMERIC_UPPER, 16)}`,
    aws_secret_access_key: randomText(random, `${ALPHANUMERIC_UPPER}abcdefghijklmnopqrstuvwxyz`, 40),
    aws_region: 'us-east-1',
  };
  const applicationId = credentials.client_id!.replace('application-oa2-client', 'sellerapps.app');
  const subscriptionId = `${randomText(random, HEX, 8)}-${randomText(random, HEX, 4)}-${randomText(random, HEX, 4)}-${randomText(random, HEX, 4)}-${randomText(random, HEX, 12)}`;
  const tokens = new AccessTokens();
  const queue = new SqsQueue();
  let asinSequence = 0;

  return {
    marketplace: 'amazon',
    credentials,
    operations: AMAZON_OPERATIONS,
    assignIdentifiers(listing) {
      asinSequence += 1;
      // The test surface passes the whole seed; only its shape's first fields are typed.
      const seed = listing as { sku: string; parentSku?: string; isParent?: boolean; fulfilledByMarketplace?: boolean; attributes?: Record<string, string> };
      const identifiers: Record<string, string> = {
        asin: `B0${String(asinSequence).padStart(8, '0')}`,
        productType: seed.attributes?.productType ?? 'PRODUCT',
        fulfillmentChannelCode: seed.fulfilledByMarketplace ? 'AMAZON_NA' : 'DEFAULT',
      };
      if (seed.isParent) identifiers.parentage = 'parent';
      return identifiers;
    },
    sendRateLimited(res: Response) {
      sendQuotaExceeded(res);
    },
    sendServerError(res: Response) {
      sendInternalFailure(res);
    },
    installRoutes(app: Express, context: SandboxContext) {
      installLwa(app, context, tokens);
      installSqsEndpoint(app, context, queue);
      installListingsRoutes(app, context, tokens);
      installFeedsRoutes(app, context, tokens);
      installOrdersRoutes(app, context, tokens);
      installReportsRoutes(app, context, tokens);
      app.get('/_sandbox/amazon/queue', (_req, res) => { res.json({ messages: queue.messages.map(({ messageId, body, receiveCount }) => ({ messageId, body: JSON.parse(body) as unknown, receiveCount })) }); });
    },
    onOrderChanged(orderId, _change, context) {
      const order = context.state.orders.get(orderId);
      if (!order) return;
      // Amazon delivers ORDER_CHANGE at least once: the duplicate knob sends a second copy.
      const copies = context.faults.duplicateNotificationRate > 0 && context.random() < context.faults.duplicateNotificationRate ? 2 : 1;
      const body = JSON.stringify(orderChangeNotification(order, context.state, credentials, applicationId, subscriptionId, context.nowMs()));
      for (let copy = 0; copy < copies; copy += 1) {
        const delayMs = context.faults.reorderWindowMs > 0 ? Math.floor(context.random() * context.faults.reorderWindowMs) : 0;
        if (delayMs === 0) queue.send(body, context.nowMs());
        else setTimeout(() => queue.send(body, context.nowMs()), delayMs).unref();
      }
    },
    describe() {
      return { notifications: 'ORDER_CHANGE goes to the SQS queue at credentials.sqs_queue_url (AWS JSON protocol on POST /)' };
    },
  };
}
