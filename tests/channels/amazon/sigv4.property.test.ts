/**
 * A1 for the one signature scheme on Amazon's side of Shelfguard: AWS SigV4 as verified by the
 * sandbox's SQS endpoint (SP-API notifications carry no payload signature of their own).
 */
import fc from 'fast-check';
import { signSigV4, verifySigV4, type SignableRequest } from '../../../daemon/src/sandbox/amazon/sigv4.js';

const RUNS = 1_000;
const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const KEYS = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const secretFor = (id: string) => (id === KEYS.accessKeyId ? KEYS.secretAccessKey : undefined);

const requestArbitrary = fc.record({
  body: fc.uint8Array({ minLength: 0, maxLength: 256 }),
  target: fc.constantFrom('AmazonSQS.ReceiveMessage', 'AmazonSQS.SendMessage', 'AmazonSQS.DeleteMessage'),
  id: fc.string({ minLength: 1, maxLength: 24 }).map((text) => text.replace(/[^\x21-\x7e]/g, 'x')),
});

function signed(input: { body: Uint8Array; target: string; id: string }): SignableRequest {
  const base: SignableRequest = { method: 'POST', path: '/', query: '', headers: { host: '127.0.0.1:9324', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': input.target, 'amz-sdk-invocation-id': input.id }, body: input.body };
  return { ...base, headers: signSigV4(base, KEYS, 'us-east-1', 'sqs', NOW_MS) };
}

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'latin1');
  const index = bit % (bytes.length * 8);
  bytes[index >> 3]! ^= 1 << (index & 7);
  return bytes.toString('latin1');
}

describe('SigV4 verification (A1)', () => {
  test('a genuine signature always verifies', () => {
    fc.assert(fc.property(requestArbitrary, (input) => verifySigV4(signed(input), secretFor, NOW_MS).ok), { numRuns: RUNS });
  });

  test('any one-bit change to the body fails', () => {
    fc.assert(fc.property(requestArbitrary.filter((input) => input.body.length > 0), fc.nat(), (input, bit) => {
      const request = signed(input);
      const body = Uint8Array.from(request.body);
      const index = bit % (body.length * 8);
      body[index >> 3]! ^= 1 << (index & 7);
      return !verifySigV4({ ...request, body }, secretFor, NOW_MS).ok;
    }), { numRuns: RUNS });
  });

  test('any one-bit change to a signed id header, the timestamp or the signature fails', () => {
    fc.assert(fc.property(requestArbitrary, fc.constantFrom('amz-sdk-invocation-id', 'x-amz-date', 'signature'), fc.nat(), (input, field, bit) => {
      const request = signed(input);
      const headers = { ...request.headers };
      if (field === 'signature') {
        const authorization = headers.authorization!;
        const at = authorization.indexOf('Signature=') + 'Signature='.length;
        headers.authorization = authorization.slice(0, at) + flipBit(authorization.slice(at), bit);
      } else {
        headers[field] = flipBit(headers[field]!, bit);
      }
      return !verifySigV4({ ...request, headers }, secretFor, NOW_MS).ok;
    }), { numRuns: RUNS });
  });

  test('arbitrary Authorization and X-Amz-Date strings are refused without an exception', () => {
    const header = fc.oneof(fc.constant(''), fc.string({ maxLength: 64 }), fc.base64String({ maxLength: 200 }), fc.constant('AWS4-HMAC-SHA256 Credential=AKIA/20260115/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00'), fc.constant('x'.repeat(10_240)));
    fc.assert(fc.property(requestArbitrary, header, header, (input, authorization, amzDate) => {
      const request = signed(input);
      const outcome = verifySigV4({ ...request, headers: { ...request.headers, authorization, 'x-amz-date': amzDate } }, secretFor, NOW_MS);
      return outcome.ok === false;
    }), { numRuns: RUNS });
  });

  test('a signature older than five minutes is stale and an unknown key is refused', () => {
    const request = signed({ body: new Uint8Array([1]), target: 'AmazonSQS.ReceiveMessage', id: 'a' });
    expect(verifySigV4(request, secretFor, NOW_MS + 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySigV4(request, () => undefined, NOW_MS)).toEqual({ ok: false, reason: 'unknown_key' });
  });
});
