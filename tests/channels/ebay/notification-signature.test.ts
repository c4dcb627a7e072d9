import { createHash } from 'node:crypto';
import { challengeResponse, decodeSignatureHeader, verifyNotificationSignature } from '../../../daemon/src/channels/ebay/notification-signature.js';
import { parseNotification } from '../../../daemon/src/channels/ebay/notification-mapping.js';

/**
 * eBay's own test vector, from eBay/event-notification-nodejs-sdk test/test.json (Apache-2.0):
 * a MARKETPLACE_ACCOUNT_DELETION message, its X-EBAY-SIGNATURE, and getPublicKey's answer.
 * The signed bytes are the message's compact JSON in eBay's field order.
 */
const EBAY_VECTOR = {
  header: 'eyJhbGciOiJlY2RzYSIsImtpZCI6Ijk5MzYyNjFhLTdkN2ItNDYyMS1hMGYxLTk2Y2NiNDI4YWY0OSIsInNpZ25hdHVyZSI6Ik1FWUNJUUNmeGZJV3V4bVdjSUJRSjljNS9YN2lHREpxczJSQ0dzQkVhQWppbnlycmZBSWhBSVY2d0djVGlCdVY1S0pVaWYyaG9reXJMK1E5c3NIa2FkK214Mm5FRTI1dyIsImRpZ2VzdCI6IlNIQTEifQ==',
  body: JSON.stringify({
    metadata: { topic: 'MARKETPLACE_ACCOUNT_DELETION', schemaVersion: '1.0', deprecated: false },
    notification: {
      notificationId: '49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d',
      eventDate: '2021-03-19T20:43:59.462Z',
      publishDate: '2021-03-19T20:43:59.679Z',
      publishAttemptCount: 1,
      data: { username: 'test_user', userId: 'ma8vp1jySJC', eiasToken: 'nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6wJnY+gAZGEpwmdj6x9nY+seQ==' },
    },
  }),
  publicKey: {
    key: '-----BEGIN PUBLIC KEY-----MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZhhxXKtR+TOvtDbgTPCkSof02qgBB7IsYOyf76ilExJ/upAa/vKIKheOoCyOpcLmi4t0b4uepb7LLjmMr90FUg==-----END PUBLIC KEY-----',
    algorithm: 'ECDSA',
    digest: 'SHA1',
  },
};

describe('eBay notification signatures', () => {
  test('eBay\'s own SDK test vector verifies', () => {
    const header = decodeSignatureHeader(EBAY_VECTOR.header);
    expect(header).toMatchObject({ ok: true, value: { kid: '9936261a-7d7b-4621-a0f1-96ccb428af49', digest: 'SHA1' } });
    if (!header.ok) return;
    expect(verifyNotificationSignature(Buffer.from(EBAY_VECTOR.body), header.value, EBAY_VECTOR.publicKey)).toBe(true);
  });

  test('the same vector fails when the key claims SHA256, because eBay signs with SHA-1', () => {
    const header = decodeSignatureHeader(EBAY_VECTOR.header);
    if (!header.ok) throw new Error('vector header did not decode');
    expect(verifyNotificationSignature(Buffer.from(EBAY_VECTOR.body), { ...header.value, digest: 'SHA256' }, { ...EBAY_VECTOR.publicKey, digest: 'SHA256' })).toBe(false);
  });

  test('the vector fails when the body is pretty-printed, since signatures cover bytes', () => {
    const header = decodeSignatureHeader(EBAY_VECTOR.header);
    if (!header.ok) throw new Error('vector header did not decode');
    const pretty = JSON.stringify(JSON.parse(EBAY_VECTOR.body), null, 2);
    expect(verifyNotificationSignature(Buffer.from(pretty), header.value, EBAY_VECTOR.publicKey)).toBe(false);
  });

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['not base64', '%%%not-base64%%%'],
    ['base64 of text that is not JSON', Buffer.from('hello').toString('base64')],
    ['a JSON array', Buffer.from('[]').toString('base64')],
    ['another algorithm', Buffer.from(JSON.stringify({ alg: 'rsa', kid: 'k', signature: 'AAAA', digest: 'SHA1' })).toString('base64')],
    ['an unknown digest', Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: 'k', signature: 'AAAA', digest: 'MD5' })).toString('base64')],
    ['a kid with a slash', Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: '../x', signature: 'AAAA', digest: 'SHA1' })).toString('base64')],
  ])('a header that is %s is refused as invalid_signature', (_name, header) => {
    expect(decodeSignatureHeader(header)).toMatchObject({ ok: false, error: { code: 'invalid_signature' } });
  });

  test('the endpoint challenge is hex SHA-256 of challenge code, verification token and endpoint', () => {
    const expected = createHash('sha256').update('abc123tokentokentokentokentokentokenhttps://shop.example/hook').digest('hex');
    expect(challengeResponse('abc123', 'tokentokentokentokentokentoken', 'https://shop.example/hook')).toBe(expected);
  });
});

describe('eBay notification parsing', () => {
  test('ORDER_CONFIRMATION becomes order.created naming the order, keyed by notificationId', () => {
    const body = JSON.stringify({ metadata: { topic: 'ORDER_CONFIRMATION', schemaVersion: '1.0', deprecated: false }, notification: { notificationId: 'n-1', eventDate: '2026-01-01T00:00:00.000Z', publishDate: '2026-01-01T00:00:01.000Z', publishAttemptCount: 1, data: { orderId: '12-34567-89012' } } });
    expect(parseNotification(Buffer.from(body))).toEqual({ ok: true, value: [{ eventId: 'n-1', type: 'order.created', occurredAt: '2026-01-01T00:00:00.000Z', orderId: '12-34567-89012' }] });
  });

  test('a topic that does not concern stock is acknowledged with no events', () => {
    expect(parseNotification(Buffer.from(EBAY_VECTOR.body))).toEqual({ ok: true, value: [] });
  });

  test('a body without the envelope is refused with a message naming the missing fields', () => {
    const result = parseNotification(Buffer.from('{"hello":1}'));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    if (!result.ok) expect(result.error.message).toContain('metadata.topic');
  });
});
