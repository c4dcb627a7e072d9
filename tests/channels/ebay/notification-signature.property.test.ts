/**
 * RELIABILITY A1 for eBay's X-EBAY-SIGNATURE (ECDSA P-256, SHA-1, over the raw body): 1,000 runs
 * per property. eBay's scheme has no timestamp or message id outside the body, so the "id" is
 * the key id (kid) and the body's own notificationId/eventDate are covered by the body flips.
 * One key pair signs everything, to keep the runs cheap.
 */
import fc from 'fast-check';
import { decodeSignatureHeader, verifyNotificationSignature, type EbayPublicKey } from '../../../daemon/src/channels/ebay/notification-signature.js';
import { generateNotificationKey, notificationBody, signatureHeader } from '../../../daemon/src/sandbox/ebay/notification-signer.js';

const RUNS = 1_000;
const key = generateNotificationKey('5a2b1c3d-0000-4000-8000-00000000abcd');
const publicKeys = new Map<string, EbayPublicKey>([[key.kid, { algorithm: 'ECDSA', digest: 'SHA1', key: key.publicKeyPem }]]);

/** What the connector does: decode the header, look the kid up, verify the bytes. Never throws. */
function verifies(body: Buffer, header: string | undefined): boolean {
  const decoded = decodeSignatureHeader(header);
  if (!decoded.ok) return false;
  const publicKey = publicKeys.get(decoded.value.kid);
  return publicKey !== undefined && verifyNotificationSignature(body, decoded.value, publicKey);
}

function flipBit(bytes: Buffer, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  const index = Math.floor(bit / 8) % copy.length;
  copy[index] = (copy[index] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

const bodies = fc.oneof(
  fc.record({ orderId: fc.string({ maxLength: 30 }), lineItemId: fc.string({ maxLength: 30 }), quantity: fc.integer() }).map((data) => Buffer.from(notificationBody('ORDER_CONFIRMATION', data, Date.UTC(2026, 0, 1)))),
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
);

function headerFields(header: string): { alg: string; kid: string; signature: string; digest: string } {
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { alg: string; kid: string; signature: string; digest: string };
}
const encode = (fields: object) => Buffer.from(JSON.stringify(fields)).toString('base64');

describe('eBay X-EBAY-SIGNATURE properties (A1)', () => {
  test('a genuine signature over any body always verifies', () => {
    fc.assert(fc.property(bodies, (body) => verifies(body, signatureHeader(body, key))), { numRuns: RUNS });
  });

  test('any one-bit change to the body fails', () => {
    fc.assert(fc.property(bodies, fc.nat(), (body, bit) => !verifies(flipBit(body, bit), signatureHeader(body, key))), { numRuns: RUNS });
  });

  test('any one-bit change to the DER signature fails', () => {
    fc.assert(fc.property(bodies, fc.nat(), (body, bit) => {
      const fields = headerFields(signatureHeader(body, key));
      const tampered = flipBit(Buffer.from(fields.signature, 'base64'), bit).toString('base64');
      return !verifies(body, encode({ ...fields, signature: tampered }));
    }), { numRuns: RUNS });
  });

  test('any one-bit change to the key id fails', () => {
    fc.assert(fc.property(bodies, fc.nat(), (body, bit) => {
      const fields = headerFields(signatureHeader(body, key));
      const kid = flipBit(Buffer.from(fields.kid, 'latin1'), bit).toString('latin1');
      return !verifies(body, encode({ ...fields, kid }));
    }), { numRuns: RUNS });
  });

  test('any one-bit change anywhere in the header text fails', () => {
    fc.assert(fc.property(bodies, fc.nat(), (body, bit) => {
      const header = signatureHeader(body, key);
      return !verifies(body, flipBit(Buffer.from(header, 'latin1'), bit).toString('latin1'));
    }), { numRuns: RUNS });
  });

  test('arbitrary header strings are refused without an exception', () => {
    const headers = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 200 }),
      fc.base64String({ maxLength: 400 }),
      fc.string({ minLength: 10_240, maxLength: 10_240 }),
      fc.string({ maxLength: 100 }).map((text) => Buffer.from(text).toString('base64')),
      fc.record({ alg: fc.string(), kid: fc.string(), signature: fc.base64String(), digest: fc.constantFrom('SHA1', 'SHA256', 'sha1', '') }).map(encode),
    );
    fc.assert(fc.property(bodies, headers, (body, header) => {
      let result: boolean;
      expect(() => { result = verifies(body, header); }).not.toThrow();
      return result! === false;
    }), { numRuns: RUNS });
  });
});
