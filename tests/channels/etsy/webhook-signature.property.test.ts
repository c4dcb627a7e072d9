/**
 * RELIABILITY A1 for Etsy's Standard Webhooks signatures: 1,000 runs per property. Messages are
 * signed by the `standardwebhooks` package (an implementation no one here wrote) and verified by
 * the connector's pure verifier.
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { verifyStandardWebhook } from '../../../daemon/src/channels/etsy/webhook-signature.js';

const RUNS = 1_000;
const TOLERANCE_SECONDS = 300;
const NOW_SECONDS = 1_800_000_000;
const secretArbitrary = fc.uint8Array({ minLength: 24, maxLength: 64 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
const messageArbitrary = fc.record({
  secret: secretArbitrary,
  id: fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'.split('')) }),
  offsetSeconds: fc.integer({ min: -TOLERANCE_SECONDS, max: TOLERANCE_SECONDS }),
  // Webhook bodies are JSON text: UTF-8, which is what the package signs.
  body: fc.string({ maxLength: 200, unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')),
});

function signed(message: { secret: string; id: string; offsetSeconds: number; body: Buffer }) {
  const timestamp = NOW_SECONDS + message.offsetSeconds;
  const signature = new Webhook(message.secret).sign(message.id, new Date(timestamp * 1000), message.body);
  return { id: message.id, timestamp: String(timestamp), signature, body: message.body };
}

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'latin1');
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] = bytes[index]! ^ (1 << (bit % 8));
  return bytes.toString('latin1');
}

describe('Etsy webhook signature verification (A1)', () => {
  test('accepts every genuinely signed message within the tolerance', () => {
    fc.assert(fc.property(messageArbitrary, (message) => verifyStandardWebhook(message.secret, signed(message), NOW_SECONDS, TOLERANCE_SECONDS).ok), { numRuns: RUNS });
  });

  test('refuses a message whose body differs by one bit', () => {
    fc.assert(fc.property(messageArbitrary.filter((message) => message.body.length > 0), fc.nat(), (message, bit) => {
      const genuine = signed(message);
      const body = Buffer.from(genuine.body);
      const index = Math.floor(bit / 8) % body.length;
      body[index] = body[index]! ^ (1 << (bit % 8));
      return !verifyStandardWebhook(message.secret, { ...genuine, body }, NOW_SECONDS, TOLERANCE_SECONDS).ok;
    }), { numRuns: RUNS });
  });

  test('refuses a message whose id differs by one bit', () => {
    fc.assert(fc.property(messageArbitrary, fc.nat(), (message, bit) => {
      const genuine = signed(message);
      return !verifyStandardWebhook(message.secret, { ...genuine, id: flipBit(genuine.id, bit) }, NOW_SECONDS, TOLERANCE_SECONDS).ok;
    }), { numRuns: RUNS });
  });

  test('refuses a message whose timestamp differs by one bit', () => {
    fc.assert(fc.property(messageArbitrary, fc.nat(), (message, bit) => {
      const genuine = signed(message);
      return !verifyStandardWebhook(message.secret, { ...genuine, timestamp: flipBit(genuine.timestamp, bit) }, NOW_SECONDS, TOLERANCE_SECONDS).ok;
    }), { numRuns: RUNS });
  });

  test('refuses a message whose signature differs by one bit', () => {
    fc.assert(fc.property(messageArbitrary, fc.nat(), (message, bit) => {
      const genuine = signed(message);
      const encoded = genuine.signature.slice(3);
      const raw = Buffer.from(encoded, 'base64');
      const index = Math.floor(bit / 8) % raw.length;
      raw[index] = raw[index]! ^ (1 << (bit % 8));
      const bitInRaw = `v1,${raw.toString('base64')}`;
      const bitInHeader = flipBit(genuine.signature, bit);
      return !verifyStandardWebhook(message.secret, { ...genuine, signature: bitInRaw }, NOW_SECONDS, TOLERANCE_SECONDS).ok
        && !verifyStandardWebhook(message.secret, { ...genuine, signature: bitInHeader }, NOW_SECONDS, TOLERANCE_SECONDS).ok;
    }), { numRuns: RUNS });
  });

  test('answers arbitrary header strings with false and never throws', () => {
    const header = fc.oneof(fc.constant(''), fc.string({ maxLength: 100 }), fc.string({ minLength: 10_000, maxLength: 10_240 }), fc.base64String({ maxLength: 100 }), fc.constant('v1,'), fc.constant('v1,!!!notbase64!!!'), fc.constant(undefined));
    fc.assert(fc.property(secretArbitrary, header, header, header, fc.uint8Array({ maxLength: 50 }), (secret, id, timestamp, signature, body) => {
      let result: ReturnType<typeof verifyStandardWebhook>;
      try {
        result = verifyStandardWebhook(secret, { id, timestamp, signature, body: Buffer.from(body) }, NOW_SECONDS, TOLERANCE_SECONDS);
      } catch {
        return false;
      }
      return result.ok === false;
    }), { numRuns: RUNS });
  });

  test('refuses a genuine signature just outside the tolerance window and accepts it just inside', () => {
    const message = { secret: `whsec_${Buffer.from('etsy-sandbox-secret-bytes!').toString('base64')}`, id: 'msg_window', offsetSeconds: 0, body: Buffer.from('{}') };
    for (const [offset, accepted] of [[299, true], [-299, true], [301, false], [-301, false]] as const) {
      expect(verifyStandardWebhook(message.secret, signed({ ...message, offsetSeconds: offset }), NOW_SECONDS, TOLERANCE_SECONDS).ok).toBe(accepted);
    }
  });

  test('accepts a header carrying several signatures when any one is valid (secret rotation)', () => {
    const message = { secret: `whsec_${Buffer.from('rotation-secret-number-one!!').toString('base64')}`, id: 'msg_rot', offsetSeconds: 0, body: Buffer.from('{"a":1}') };
    const genuine = signed(message);
    expect(verifyStandardWebhook(message.secret, { ...genuine, signature: `v1,${Buffer.alloc(32).toString('base64')} ${genuine.signature}` }, NOW_SECONDS, TOLERANCE_SECONDS).ok).toBe(true);
  });
});
