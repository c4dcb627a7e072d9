/**
 * The Amazon SP-API connector: Listings Items patches and JSON_LISTINGS_FEED for quantities,
 * searchListingsItems (or the GET_MERCHANT_LISTINGS_ALL_DATA report past 1,000 SKUs) and FBA
 * inventory for bulk reads, Orders API 2026-01-01 for polling, and
 * ORDER_CHANGE through SQS for pushed orders. See README.md in this folder.
 */
import { channelError, fail, type Channel, type ChannelConnection, type InboundNotification, type PushPath, type PushResult, type QuantityUpdate } from '../channel.js';
import { limits } from './limits.js';
import { AmazonPusher } from './push.js';
import { AmazonReader } from './reads.js';
import { readSettings, SpApiClient } from './sp-api-client.js';
import { SqsNotifications } from './sqs-notifications.js';

export { limits } from './limits.js';

export function createChannel(connection: ChannelConnection): Channel {
  const settings = readSettings(connection);
  const client = settings.ok ? new SpApiClient(connection, settings.value) : undefined;
  const pusher = client ? new AmazonPusher(client) : undefined;
  const reader = client ? new AmazonReader(client, { now: connection.now ?? Date.now, sleep: (ms) => new Promise((resolve) => { setTimeout(resolve, ms); }) }) : undefined;
  const notifications = new SqsNotifications(connection);
  const misconfigured = settings.ok ? undefined : settings.error;
  const refuse = <T>() => Promise.resolve(fail<T>(misconfigured!));

  return {
    name: 'amazon',
    limits,
    async authenticate() {
      if (!client) return refuse();
      const token = await client.accessToken();
      return token.ok ? { ok: true, value: { expiresAt: token.value.expiresAtMs } } : token;
    },
    async pushQuantities(updates: QuantityUpdate[], path: PushPath): Promise<PushResult[]> {
      if (!pusher) return updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'failed', error: misconfigured! }));
      if (path === 'feed') return pusher.pushFeed(updates);
      if (path === 'bulk') {
        const error = channelError('unsupported', 'Amazon has no synchronous multi-SKU quantity call; use the feed path');
        return updates.map((update) => ({ sku: update.listing.sku, version: update.version, status: 'failed', error }));
      }
      // One call per SKU, in order: the scheduler decides how many run at once.
      const results: PushResult[] = [];
      for (const update of updates) results.push(await pusher.pushSingle(update));
      return results;
    },
    getFeedStatus: (feedId) => (pusher ? pusher.feedStatus(feedId) : refuse()),
    readQuantities: (cursor) => (reader ? reader.readQuantities(cursor) : refuse()),
    readOrders: (cursor) => (reader ? reader.readOrders(cursor) : refuse()),
    getOrder: (orderId) => (reader ? reader.getOrder(orderId) : refuse()),
    async handleNotification(_notification: InboundNotification) {
      return fail(channelError('unsupported', 'Amazon delivers ORDER_CHANGE through SQS only; there is no signed HTTP push to verify'));
    },
    receiveNotifications: (maxMessages) => notifications.receive(maxMessages),
  };
}
