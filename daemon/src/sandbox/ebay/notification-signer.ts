/**
 * The Notification API as the sandbox plays it: an ECDSA P-256 key pair made at start, served by
 * getPublicKey (GET /commerce/notification/v1/public_key/{id}) as eBay serves it — PEM markers
 * around unbroken base64 SPKI, algorithm ECDSA, digest SHA1 — and push messages in eBay's
 * envelope, sent as compact JSON and signed over exactly those bytes with SHA-1, in the
 * X-EBAY-SIGNATURE header: base64 of {"alg":"ecdsa","kid","signature" (base64 DER),"digest":"SHA1"}.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { OutboundNotification } from '../kit/notification-sender.js';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { EbayAuth } from './ebay-auth.js';
import { sendErrors } from './ebay-errors.js';

export interface NotificationKey { kid: string; privateKey: KeyObject; publicKeyPem: string }

export function generateNotificationKey(kid: string = randomUUID()): NotificationKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { kid, privateKey, publicKeyPem: `-----BEGIN PUBLIC KEY-----${spki}-----END PUBLIC KEY-----` };
}

/** The header for these exact bytes. */
export function signatureHeader(body: string | Buffer, key: NotificationKey): string {
  const signature = sign('sha1', Buffer.isBuffer(body) ? body : Buffer.from(body), { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');
  return Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: key.kid, signature, digest: 'SHA1' })).toString('base64');
}

export type EbayTopic = 'ORDER_CONFIRMATION' | 'ITEM_MARKED_SHIPPED';

/** One push message; eBay's field order, compact, because the signature covers these bytes. */
export function notificationBody(topic: EbayTopic, data: Record<string, unknown>, atMs: number): string {
  const at = new Date(atMs).toISOString();
  return JSON.stringify({
    metadata: { topic, schemaVersion: '1.0', deprecated: false },
    notification: { notificationId: randomUUID(), eventDate: at, publishDate: at, publishAttemptCount: 1, data },
  });
}

export function signedNotification(topic: EbayTopic, data: Record<string, unknown>, atMs: number, key: NotificationKey): OutboundNotification {
  const body = notificationBody(topic, data, atMs);
  return { body, headers: { 'content-type': 'application/json', 'x-ebay-signature': signatureHeader(body, key) } };
}

export function installPublicKeyRoute(app: Express, context: SandboxContext, auth: EbayAuth, key: NotificationKey): void {
  app.get('/commerce/notification/v1/public_key/:public_key_id', (req: Request, res: Response) => {
    // eBay documents an application token for this call; a user token is accepted as well.
    if (!context.admit('getPublicKey', res) || !auth.requireBearer(req, res, ['application', 'user'])) return;
    if (req.params.public_key_id !== key.kid) {
      return sendErrors(res, 404, [{ errorId: 195001, domain: 'API_NOTIFICATION', category: 'REQUEST', message: 'The specified key id is invalid.' }]);
    }
    res.json({ algorithm: 'ECDSA', digest: 'SHA1', key: key.publicKeyPem });
  });
}
