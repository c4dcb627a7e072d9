/** WooCommerce channel (the Shelfguard plugin bridge): `createChannel(connection)` and `limits`. */
import type { Channel, ChannelConnection } from '../channel.js';
import { WooCommerceChannel } from './woocommerce-channel.js';

export { limits } from './woocommerce-channel.js';

export function createChannel(connection: ChannelConnection): Channel {
  return new WooCommerceChannel(connection);
}
