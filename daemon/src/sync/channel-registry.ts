/**
 * Every connector the daemon can build, by channel name. Adding a marketplace adds a line here
 * and a folder under channels/; the engine itself does not change.
 */
import type { Channel, ChannelConnection, ChannelLimits, ChannelName, QuantityUpdate } from '../channels/channel.js';
import * as amazon from '../channels/amazon/index.js';
import * as ebay from '../channels/ebay/index.js';
import * as etsy from '../channels/etsy/index.js';
import * as tiktok from '../channels/tiktok/index.js';
import * as walmart from '../channels/walmart/index.js';
import * as woocommerce from '../channels/woocommerce/index.js';

export interface ConnectorModule {
  createChannel(connection: ChannelConnection): Channel;
  limits: ChannelLimits;
}

export const CONNECTORS: Record<ChannelName, ConnectorModule> = { amazon, ebay, walmart, tiktok, etsy, woocommerce };

export const MARKETPLACE_NAMES: ChannelName[] = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'];

export function createConnector(name: ChannelName, connection: ChannelConnection): Channel {
  return CONNECTORS[name].createChannel(connection);
}

/** Channels whose bulk call can only carry SKUs of one group: TikTok Shop updates inventory per
 * product, so a "bulk" of SKUs from different products is one request per product, and the
 * scheduler must batch (and spend tokens) per product to stay inside the rate limit. */
export const BULK_GROUP_KEYS: Partial<Record<string, (update: QuantityUpdate) => string>> = {
  tiktok: (update) => update.listing.identifiers.productId ?? update.listing.sku,
};
