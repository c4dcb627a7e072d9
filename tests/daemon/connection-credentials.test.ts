/**
 * The pure parts of connecting a marketplace: sealing credentials (AES-256-GCM under the
 * operator's key, bound to the channel), the key's accepted spellings, every marketplace's field
 * schema against the credentials its sandbox issues, and masking.
 */
import { randomBytes } from 'node:crypto';
import { CONNECTABLE_CHANNELS, credentialsSchema, fieldViews, maskSecret, scrubCredentials } from '../../daemon/src/channels/credentials-fields.js';
import { credentialsKeyId, parseCredentialsKey, sealCredentials, unsealCredentials } from '../../daemon/src/ledger/credentials-seal.js';
import { createSandboxDefinition as amazon } from '../../daemon/src/sandbox/amazon/index.js';
import { createSandboxDefinition as ebay } from '../../daemon/src/sandbox/ebay/index.js';
import { createSandboxDefinition as etsy } from '../../daemon/src/sandbox/etsy/index.js';
import { createSandboxDefinition as tiktok } from '../../daemon/src/sandbox/tiktok/index.js';
import { createSandboxDefinition as walmart } from '../../daemon/src/sandbox/walmart/index.js';

const SANDBOXES = { amazon, ebay, walmart, tiktok, etsy };

describe('sealing credentials', () => {
  const key = randomBytes(32);
  const credentials = { clientId: 'id-1', clientSecret: 'a-secret-that-must-stay-hidden' };

  test('a sealed value opens with the same key for the same channel, and never contains the secret', () => {
    const sealed = sealCredentials(key, 'walmart', credentials);
    expect(sealed).not.toContain(credentials.clientSecret);
    expect(sealed).not.toContain(Buffer.from(credentials.clientSecret).toString('base64url'));
    expect(unsealCredentials(key, 'walmart', sealed)).toEqual({ ok: true, credentials });
  });

  test('two seals of the same credentials differ (a fresh nonce each time)', () => {
    expect(sealCredentials(key, 'walmart', credentials)).not.toBe(sealCredentials(key, 'walmart', credentials));
  });

  test.each([
    ['another key', (sealed: string) => unsealCredentials(randomBytes(32), 'walmart', sealed)],
    ['another channel', (sealed: string) => unsealCredentials(key, 'ebay', sealed)],
    ['a changed ciphertext', (sealed: string) => unsealCredentials(key, 'walmart', `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'AB' : 'AA'}`)],
    ['an unknown format', () => unsealCredentials(key, 'walmart', 'v9.x.y.z')],
  ])('%s fails to open, with a message naming no value', (_name, open) => {
    const opened = open(sealCredentials(key, 'walmart', credentials));
    expect(opened.ok).toBe(false);
    expect(JSON.stringify(opened)).not.toContain(credentials.clientSecret);
  });

  test('the key is accepted as 64 hex digits or base64 of 32 bytes, and nothing else', () => {
    expect(parseCredentialsKey(key.toString('hex'))).toEqual(key);
    expect(parseCredentialsKey(key.toString('base64'))).toEqual(key);
    expect(parseCredentialsKey(key.toString('base64url'))).toEqual(key);
    for (const bad of ['', 'short', randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), 'z'.repeat(64)]) expect(parseCredentialsKey(bad)).toBeUndefined();
  });

  test('the key id tells keys apart and does not reveal the key', () => {
    expect(credentialsKeyId(key)).toBe(credentialsKeyId(Buffer.from(key)));
    expect(credentialsKeyId(key)).not.toBe(credentialsKeyId(randomBytes(32)));
    expect(key.toString('hex')).not.toContain(credentialsKeyId(key));
  });
});

describe('credential fields per marketplace', () => {
  test.each(CONNECTABLE_CHANNELS)('%s: the credentials its sandbox issues satisfy the schema unchanged', (channel) => {
    const issued = SANDBOXES[channel]().credentials;
    expect(credentialsSchema(channel).parse(issued)).toEqual(issued);
  });

  test.each(CONNECTABLE_CHANNELS)('%s: an empty object is refused naming a required field', (channel) => {
    const result = credentialsSchema(channel).safeParse({});
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.length).toBe(1);
  });

  test('TikTok Shop needs a refresh token or an authorization code', () => {
    const result = credentialsSchema('tiktok').safeParse({ app_key: 'k', app_secret: 's' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['refresh_token'], message: 'Give a refresh token or an authorization code' });
  });

  test('a refused value never appears in the error', () => {
    const result = credentialsSchema('etsy').safeParse({ keystring: 'k', sharedSecret: 'hidden-secret-value', refreshToken: 'r', shopId: 'my-shop-hidden-secret-value' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).not.toContain('hidden-secret-value');
  });

  test('secrets are masked to at most their last four characters, short ones to nothing', () => {
    expect(maskSecret('0123456789abcdefXYZW')).toBe('••••XYZW');
    expect(maskSecret('short-secret')).toBe('••••');
    const views = fieldViews('walmart', { clientId: 'client-id', clientSecret: '0123456789abcdefXYZW', surprise: 'unknown-field-value-1234' });
    expect(views.find((view) => view.name === 'clientId')).toMatchObject({ set: true, masked: 'client-id' });
    expect(views.find((view) => view.name === 'clientSecret')).toMatchObject({ set: true, masked: '••••XYZW' });
    expect(views.find((view) => view.name === 'surprise')).toMatchObject({ secret: true, masked: '••••1234' });
    expect(views.find((view) => view.name === 'shipNode')).toMatchObject({ set: false, masked: null });
  });

  test('a marketplace message quoting a credential is scrubbed', () => {
    expect(scrubCredentials('token refused for secret-abc-123', { clientSecret: 'secret-abc-123' })).toBe('token refused for [redacted]');
  });
});
