import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sign, verify } from '../../daemon/src/signing/standard-webhooks.js';

interface SigningVector { secret: string; id: string; timestamp: number; body: string; signature: string }
const vectors = (JSON.parse(readFileSync('contracts/fixtures/signing-vectors.json', 'utf8')) as { vectors: SigningVector[] }).vectors;
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const now = 1_800_000_000;

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] = bytes[index]! ^ (1 << (bit % 8));
  return bytes.toString('latin1');
}

describe('Standard Webhooks signatures', () => {
  test.each(vectors)('the daemon signs and verifies the shared vector $id byte for byte', (vector) => {
    expect(sign(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature);
    expect(verify({ secrets: [vector.secret], id: vector.id, timestamp: String(vector.timestamp), signature: vector.signature, body: vector.body, nowSeconds: vector.timestamp })).toEqual({ ok: true });
  });

  test('a genuine signature always verifies (1,000 runs)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }).map((id) => `msg_${Buffer.from(id).toString('hex').slice(0, 60)}`), fc.string({ maxLength: 2_000 }), (id, body) => {
      const signature = sign(secret, id, now, body);
      expect(verify({ secrets: [secret], id, timestamp: String(now), signature, body, nowSeconds: now })).toEqual({ ok: true });
    }), { numRuns: 1_000 });
  });

  test('any one-bit change to body, id, timestamp or signature fails (1,000 runs)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 500 }), fc.nat(), fc.constantFrom('body', 'id', 'timestamp', 'signature'), (body, bit, part) => {
      const id = 'msg_0123456789abcdef';
      const signature = sign(secret, id, now, body);
      const input = { secrets: [secret], id, timestamp: String(now), signature, body, nowSeconds: now };
      if (part === 'body') input.body = flipBit(body, bit);
      if (part === 'id') input.id = flipBit(id, bit);
      if (part === 'timestamp') input.timestamp = flipBit(String(now), bit);
      if (part === 'signature') {
        const bytes = Buffer.from(signature.slice(3), 'base64');
        const index = Math.floor(bit / 8) % bytes.length;
        bytes[index] = bytes[index]! ^ (1 << (bit % 8));
        input.signature = `v1,${bytes.toString('base64')}`;
      }
      if (part === 'body' && Buffer.from(input.body, 'latin1').equals(Buffer.from(body, 'utf8'))) return;
      expect(verify(input).ok).toBe(false);
    }), { numRuns: 1_000 });
  });

  test('arbitrary header strings fail without an exception (1,000 runs)', () => {
    const header = fc.oneof(fc.constant(''), fc.string({ maxLength: 100 }), fc.string({ minLength: 10_000, maxLength: 10_240 }), fc.constant('v1,'), fc.constant('v1,!!!!'), fc.base64String({ maxLength: 100 }).map((text) => `v1,${text}`), fc.constant(undefined));
    fc.assert(fc.property(header, header, header, fc.string({ maxLength: 100 }), (id, timestamp, signature, body) => {
      let result: ReturnType<typeof verify> | undefined;
      expect(() => { result = verify({ secrets: [secret], id, timestamp, signature, body, nowSeconds: now }); }).not.toThrow();
      expect(result!.ok).toBe(false);
    }), { numRuns: 1_000 });
  });

  test('during a rotation both the new and the previous secret verify, and only they do', () => {
    const previous = 'whsec_' + Buffer.from('previous-secret-of-sixteen-plus').toString('base64');
    const stranger = 'whsec_' + Buffer.from('some-other-secret-entirely!!').toString('base64');
    const check = (signingSecret: string) => verify({ secrets: [secret, previous], id: 'msg_1', timestamp: String(now), signature: sign(signingSecret, 'msg_1', now, '{}'), body: '{}', nowSeconds: now }).ok;
    expect(check(secret)).toBe(true);
    expect(check(previous)).toBe(true);
    expect(check(stranger)).toBe(false);
  });
});
