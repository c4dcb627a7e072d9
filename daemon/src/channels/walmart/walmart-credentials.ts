/**
 * Reads the webhook subscription's authDetails from the connection's credentials. Names follow
 * Walmart's createSubscription `authDetails` (authMethod, authHeaderName, clientSecret, userName,
 * password), prefixed `webhook` so they do not collide with the API's own clientId/clientSecret.
 */
import { channelError, fail, ok, type Result } from '../channel.js';
import type { WalmartWebhookAuth } from './walmart-notification.js';

/** The header our subscriptions name in authHeaderName unless configured otherwise. */
export const WALMART_WEBHOOK_AUTH_HEADER_DEFAULT = 'Authorization';

export function walmartWebhookAuthFrom(credentials: Record<string, string>): Result<WalmartWebhookAuth> {
  const method = credentials.webhookAuthMethod || 'HMAC';
  const headerName = credentials.webhookAuthHeaderName || WALMART_WEBHOOK_AUTH_HEADER_DEFAULT;
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(headerName)) return fail(channelError('invalid_request', 'webhookAuthHeaderName is not a valid HTTP header name'));
  if (method === 'HMAC') {
    // Walmart keys the HMAC with the clientSecret given in the subscription; ours defaults to the API secret.
    const clientSecret = credentials.webhookClientSecret || credentials.clientSecret;
    if (!clientSecret) return fail(channelError('invalid_request', 'HMAC webhook authentication needs webhookClientSecret or clientSecret'));
    return ok({ method, headerName, clientSecret });
  }
  if (method === 'BASIC_AUTH') {
    const { webhookUserName: userName, webhookPassword: password } = credentials;
    if (!userName || !password) return fail(channelError('invalid_request', 'BASIC_AUTH webhook authentication needs webhookUserName and webhookPassword'));
    return ok({ method, headerName, userName, password });
  }
  if (method === 'OAUTH') {
    const tokens = (credentials.webhookBearerTokens ?? '').split(',').map((token) => token.trim()).filter(Boolean);
    if (tokens.length === 0) return fail(channelError('invalid_request', 'OAUTH webhook authentication needs webhookBearerTokens (the tokens our authUrl issued)'));
    return ok({ method, headerName, bearerTokens: tokens });
  }
  return fail(channelError('invalid_request', `webhookAuthMethod must be HMAC, BASIC_AUTH or OAUTH, got ${JSON.stringify(method.slice(0, 20))}`));
}
