/** Etsy Open API v3 channel: `createChannel(connection)` and the documented `limits`. */
import type { Channel, ChannelConnection } from '../channel.js';
import { EtsyChannel } from './etsy-channel.js';

export { limits } from './limits.js';
export { buildAuthorizationUrl, codeChallengeS256, codeVerifierFrom } from './pkce.js';

export function createChannel(connection: ChannelConnection): Channel {
  return new EtsyChannel(connection);
}
