/**
 * eBay channel entry point. Credentials use eBay's own names: clientId (App ID), clientSecret
 * (Cert ID), refreshToken (the seller's OAuth refresh token), and optionally scopes,
 * marketplaceId (default EBAY_US), verificationToken and notificationEndpoint (for the
 * Notification API endpoint challenge).
 */
import type { Channel, ChannelConnection } from '../channel.js';
import { EbayChannel } from './ebay-channel.js';

export { limits } from './limits.js';

export function createChannel(connection: ChannelConnection): Channel {
  return new EbayChannel(connection);
}
