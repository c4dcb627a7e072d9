import fc from 'fast-check';
import { verifyWalmartWebhook, walmartHmacSignatures, type WalmartWebhookAuth } from '../../../daemon/src/channels/walmart/walmart-notification.js';

// A1 (shared/RELIABILITY.md): 1,000 runs per scheme; genuine passes, any 1-bit change fails,
// arbitrary header strings fail without throwing.
const RUNS = 1000;
const secret = 'sandbox-client-secret-0123456789';
const hmac: WalmartWebhookAuth = { method: 'HMAC', headerName: 'Authorization', clientSecret: secret };
const basic: WalmartWebhookAuth = { method: 'BASIC_AUTH', headerName: 'X-Walmart-Auth', userName: 'walmart', password: 'p4ss:word' };

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'latin1');
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] = bytes[index]! ^ (1 << (bit % 8));
  return bytes.toString('latin1');
}

const body = fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => Buffer.from(bytes));

describe('Walmart HMAC webhook authentication', () => {
  test('verifies the signature of any body in either encoding', () => {
    fc.assert(fc.property(body, fc.boolean(), (raw, hex) => {
      const signatures = walmartHmacSignatures(secret, raw);
      return verifyWalmartWebhook(hmac, { authorization: hex ? signatures.hex : signatures.base64 }, raw);
    }), { numRuns: RUNS });
  });

  test('refuses a body with any one bit changed', () => {
    fc.assert(fc.property(body, fc.nat(), (raw, bit) => {
      const signature = walmartHmacSignatures(secret, raw).base64;
      const tampered = Buffer.from(raw);
      const index = Math.floor(bit / 8) % tampered.length;
      tampered[index] = tampered[index]! ^ (1 << (bit % 8));
      return !verifyWalmartWebhook(hmac, { authorization: signature }, tampered);
    }), { numRuns: RUNS });
  });

  test('refuses a signature with any one bit changed, in either encoding', () => {
    fc.assert(fc.property(body, fc.nat(), fc.boolean(), (raw, bit, hex) => {
      const signatures = walmartHmacSignatures(secret, raw);
      const signature = hex ? signatures.hex : signatures.base64;
      return !verifyWalmartWebhook(hmac, { authorization: flipBit(signature, bit) }, raw);
    }), { numRuns: RUNS });
  });

  test('refuses arbitrary header strings without throwing', () => {
    const header = fc.oneof(fc.constant(''), fc.string({ maxLength: 100 }), fc.string({ minLength: 43, maxLength: 45 }), fc.stringMatching(/^[^A-Za-z0-9+/=]{1,64}$/), fc.constant('x'.repeat(10 * 1024)));
    fc.assert(fc.property(body, header, (raw, value) => !verifyWalmartWebhook(hmac, { authorization: value }, raw)), { numRuns: RUNS });
  });
});

describe('Walmart BASIC_AUTH webhook authentication', () => {
  const genuine = Buffer.from('walmart:p4ss:word').toString('base64');

  test('accepts the genuine header with or without the Basic prefix, for any body', () => {
    fc.assert(fc.property(body, fc.boolean(), (raw, prefixed) => verifyWalmartWebhook(basic, { 'x-walmart-auth': prefixed ? `Basic ${genuine}` : genuine }, raw)), { numRuns: RUNS });
  });

  test('refuses the header with any one bit changed', () => {
    fc.assert(fc.property(fc.nat(), (bit) => !verifyWalmartWebhook(basic, { 'x-walmart-auth': flipBit(genuine, bit) }, Buffer.from('{}'))), { numRuns: RUNS });
  });

  test('refuses arbitrary header strings without throwing', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.constant(''), fc.constant('B'.repeat(10 * 1024))), (value) => !verifyWalmartWebhook(basic, { 'x-walmart-auth': value }, Buffer.from('{}'))), { numRuns: RUNS });
  });
});
