/**
 * Sealing marketplace credentials for the `channel_connection` table: AES-256-GCM under the
 * operator's SHELFGUARD_CREDENTIALS_KEY (32 bytes, never stored), a fresh 96-bit nonce per seal,
 * and the channel name as additional authenticated data, so a sealed row copied onto another
 * channel fails to open instead of lending it its credentials. Pure: values in, values out.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const SEAL_VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_HEX_LENGTH = 16;

export const CREDENTIALS_KEY_HELP = 'SHELFGUARD_CREDENTIALS_KEY must be 32 random bytes as base64 (44 characters) or hex (64 characters), e.g. `openssl rand -base64 32`';

/** The key's bytes, or undefined when the text is neither 64 hex digits nor base64 of 32 bytes. */
export function parseCredentialsKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

/** A one-way fingerprint of the key, stored beside each sealed row to tell "wrong key" from "tampered". */
export function credentialsKeyId(key: Buffer): string {
  return createHash('sha256').update('shelfguard-credentials-key-id\0').update(key).digest('hex').slice(0, KEY_ID_HEX_LENGTH);
}

/** Seals the credentials of one channel: `v1.<nonce>.<tag>.<ciphertext>`, base64url parts. */
export function sealCredentials(key: Buffer, channel: string, credentials: Record<string, string>): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`channel:${channel}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return [SEAL_VERSION, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export type Unsealed = { ok: true; credentials: Record<string, string> } | { ok: false; message: string };

/** Opens a sealed value; a wrong key, another channel's row or any tampering is a failure value. */
export function unsealCredentials(key: Buffer, channel: string, sealed: string): Unsealed {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== SEAL_VERSION) return { ok: false, message: 'the stored credentials are not in a format this daemon reads' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[1]!, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`channel:${channel}`, 'utf8'));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
    const parsed: unknown = JSON.parse(plaintext);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
      return { ok: false, message: 'the stored credentials are not an object of strings' };
    }
    return { ok: true, credentials: parsed as Record<string, string> };
  } catch {
    return { ok: false, message: 'the stored credentials do not open with this key (changed key, or the row was altered)' };
  }
}
