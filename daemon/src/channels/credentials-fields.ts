/**
 * The credential fields each marketplace connector reads (see the connector folders beside this
 * file), as data: a label, whether the value is a secret (masked whenever shown), whether it is
 * required, and a zod schema per marketplace, so a connect request with a missing or malformed
 * field is refused naming the field and never echoing its value.
 */
import { z } from 'zod';
import type { ChannelName } from './channel.js';

export interface CredentialField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  help?: string;
}

/** Marketplaces a store owner can connect from the admin UI (WooCommerce is the store itself). */
export const CONNECTABLE_CHANNELS = ['amazon', 'ebay', 'walmart', 'tiktok', 'etsy'] as const satisfies readonly ChannelName[];
export type ConnectableChannel = (typeof CONNECTABLE_CHANNELS)[number];

/** Where each connector talks to when the connect request names no base URL. */
export const PRODUCTION_BASE_URLS: Record<ConnectableChannel, string> = {
  amazon: 'https://sellingpartnerapi-na.amazon.com',
  ebay: 'https://api.ebay.com',
  walmart: 'https://marketplace.walmartapis.com',
  tiktok: 'https://open-api.tiktokglobalshop.com',
  etsy: 'https://openapi.etsy.com',
};

const field = (name: string, label: string, secret: boolean, required: boolean, help?: string): CredentialField => ({ name, label, secret, required, ...(help ? { help } : {}) });

export const CREDENTIAL_FIELDS: Record<ConnectableChannel, CredentialField[]> = {
  amazon: [
    field('client_id', 'LWA client ID', false, true, 'Login with Amazon client identifier of the SP-API application'),
    field('client_secret', 'LWA client secret', true, true),
    field('refresh_token', 'Refresh token', true, true, 'Issued when the seller authorised the application (Atzr|…)'),
    field('seller_id', 'Seller ID', false, true),
    field('marketplace_id', 'Marketplace ID', false, true, 'e.g. ATVPDKIKX0DER for amazon.com'),
    field('lwa_token_url', 'LWA token URL', false, false, 'Only for a sandbox; a path is resolved against the base URL'),
    field('sqs_queue_url', 'SQS queue URL', false, false, 'The queue ORDER_CHANGE notifications are delivered to'),
    field('aws_access_key_id', 'AWS access key ID', true, false),
    field('aws_secret_access_key', 'AWS secret access key', true, false),
    field('aws_region', 'AWS region', false, false),
    field('sqs_endpoint', 'SQS endpoint', false, false),
  ],
  ebay: [
    field('clientId', 'App ID (client ID)', false, true),
    field('clientSecret', 'Cert ID (client secret)', true, true),
    field('refreshToken', 'User refresh token', true, true),
    field('marketplaceId', 'Marketplace ID', false, false, 'Default EBAY_US'),
    field('scopes', 'OAuth scopes', false, false, 'Space-separated; default the sell.inventory and sell.fulfillment scopes'),
    field('verificationToken', 'Notification verification token', true, false, 'Answers eBay\'s endpoint challenge'),
    field('notificationEndpoint', 'Notification endpoint URL', false, false, 'The exact URL registered with eBay'),
  ],
  walmart: [
    field('clientId', 'Client ID', false, true),
    field('clientSecret', 'Client secret', true, true),
    field('shipNode', 'Ship node', false, false, 'Only when inventory is kept per ship node'),
    field('webhookAuthMethod', 'Webhook authentication', false, false, 'HMAC (default), BASIC_AUTH or OAUTH'),
    field('webhookAuthHeaderName', 'Webhook auth header', false, false),
    field('webhookClientSecret', 'Webhook HMAC secret', true, false, 'Default: the client secret'),
    field('webhookUserName', 'Webhook user name', false, false),
    field('webhookPassword', 'Webhook password', true, false),
    field('webhookBearerTokens', 'Webhook bearer tokens', true, false, 'Comma-separated'),
  ],
  tiktok: [
    field('app_key', 'App key', false, true),
    field('app_secret', 'App secret', true, true),
    field('auth_code', 'Authorization code', true, false, 'Needed unless a refresh token is given'),
    field('refresh_token', 'Refresh token', true, false, 'Needed unless an authorization code is given'),
    field('shop_cipher', 'Shop cipher', false, false),
    field('auth_base_url', 'Authorization base URL', false, false, 'Where tokens are issued; default the base URL'),
  ],
  etsy: [
    field('keystring', 'Keystring (API key)', false, true),
    field('sharedSecret', 'Shared secret', true, true),
    field('refreshToken', 'Refresh token', true, true),
    field('shopId', 'Shop ID', false, true, 'The numeric shop id'),
    field('webhookSigningSecret', 'Webhook signing secret', true, false),
  ],
};

const VALUE_LENGTH_MAX = 4_096;

function valueSchema(definition: CredentialField): z.ZodType<string> {
  const text = z.string({ message: definition.required ? `${definition.label} is required` : `${definition.label} must be text` }).trim()
    .max(VALUE_LENGTH_MAX, { message: `${definition.label} is longer than ${VALUE_LENGTH_MAX} characters` })
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { message: `${definition.label} contains control characters` });
  if (definition.required) return text.refine((value) => value.length > 0, { message: `${definition.label} is required` }).refine((value) => definition.name !== 'shopId' || /^\d{1,20}$/.test(value), { message: 'Shop ID must be the numeric shop id' });
  if (definition.name === 'webhookAuthMethod') return text.refine((value) => value === '' || ['HMAC', 'BASIC_AUTH', 'OAUTH'].includes(value), { message: 'Webhook authentication must be HMAC, BASIC_AUTH or OAUTH' });
  return text;
}

/** The zod schema of one marketplace's credentials: required fields non-empty, unknown names refused. */
export function credentialsSchema(channel: ConnectableChannel): z.ZodType<Record<string, string>> {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const definition of CREDENTIAL_FIELDS[channel]) shape[definition.name] = definition.required ? valueSchema(definition) : valueSchema(definition).optional();
  const object = z.object(shape).strict();
  const withoutEmpty = object.transform((value) => Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')));
  if (channel !== 'tiktok') return withoutEmpty;
  return withoutEmpty.superRefine((value, context) => {
    if (!value.auth_code && !value.refresh_token) context.addIssue({ code: 'custom', path: ['refresh_token'], message: 'Give a refresh token or an authorization code' });
  });
}

export function isConnectable(channel: string): channel is ConnectableChannel {
  return (CONNECTABLE_CHANNELS as readonly string[]).includes(channel);
}

/** Characters of a secret shown at most, and only for secrets long enough that they stay unguessable. */
const MASK_VISIBLE_MAX = 4;
const MASK_VISIBLE_FROM_LENGTH = 16;

/** A secret as it may be shown: bullets and at most its last 4 characters, never the whole. */
export function maskSecret(value: string): string {
  return value.length >= MASK_VISIBLE_FROM_LENGTH ? `••••${value.slice(-MASK_VISIBLE_MAX)}` : '••••';
}

export interface FieldView {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  help?: string;
  set: boolean;
  /** The value for plain fields, the masked form for secrets; null when not set. */
  masked: string | null;
}

/** The fields of a marketplace with what is set, secrets masked. Unknown credential names (from a
 * config file) are listed as secrets, since nothing says they are not. */
export function fieldViews(channel: ConnectableChannel, credentials: Record<string, string> | undefined): FieldView[] {
  const known = CREDENTIAL_FIELDS[channel];
  const extra = Object.keys(credentials ?? {}).filter((name) => !known.some((definition) => definition.name === name)).map((name) => field(name, name, true, false));
  return [...known, ...extra].map((definition) => {
    const value = credentials?.[definition.name];
    const set = typeof value === 'string' && value !== '';
    return { ...definition, set, masked: set ? (definition.secret ? maskSecret(value) : value) : null };
  });
}

/** Replaces every credential value (4 characters or more) found in a text, for messages that
 * quote a marketplace's answer: a marketplace echoing a secret must not carry it further. */
export function scrubCredentials(text: string, credentials: Record<string, string>): string {
  let scrubbed = text;
  for (const value of Object.values(credentials)) if (value.length >= 4) scrubbed = scrubbed.split(value).join('[redacted]');
  return scrubbed;
}
