import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { signRequest, stringToSign } from '../../../daemon/src/channels/tiktok/tiktok-sign.js';
import { verifyTiktokWebhook, webhookSignature } from '../../../daemon/src/channels/tiktok/tiktok-webhook.js';
import { startSandbox } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/tiktok/index.js';
import { seedListings } from '../conformance.js';

describe('TikTok request signing', () => {
  test('reproduces the documented test vector', () => {
    const input = { appSecret: 'e59af819cc', path: '/authorization/202309/shops', query: { app_key: '29a39d', timestamp: '1623812664' } };
    expect(stringToSign(input)).toBe('e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc');
    expect(signRequest(input)).toBe('b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
  });

  test('leaves out sign and access_token, and the body of multipart requests', () => {
    const base = { appSecret: 's', path: '/p', query: { b: '2', a: '1', sign: 'x', access_token: 't' } };
    expect(stringToSign({ ...base, body: '{"k":1}' })).toBe('s/pa1b2{"k":1}s');
    expect(stringToSign({ ...base, body: 'file', contentType: 'multipart/form-data; boundary=z' })).toBe('s/pa1b2s');
  });

  test('an independent signer written from the documented algorithm is accepted by the sandbox', async () => {
    const sandbox = await startSandbox(createSandboxDefinition({ seed: 5 }), { rateLimits: 'unlimited' });
    try {
      await seedListings(sandbox, [{ sku: 'IND-T', quantity: 1 }]);
      const { app_key: appKey, app_secret: appSecret, refresh_token: refreshToken } = sandbox.credentials as Record<string, string>;
      const tokenAnswer = await (await fetch(`${sandbox.baseUrl}/api/v2/token/refresh?app_key=${appKey}&app_secret=${appSecret}&refresh_token=${refreshToken}&grant_type=refresh_token`)).json() as { data: { access_token: string } };
      // Written straight from the guide, sharing no code with tiktok-sign.ts.
      const path = '/product/202309/products/search';
      const params: Array<[string, string]> = [['page_size', '10'], ['app_key', appKey!], ['timestamp', String(Math.floor(Date.now() / 1000))], ['shop_cipher', 'x']];
      const body = '{ "status": "ACTIVATE" }';
      const base = appSecret + path + [...params].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => k + v).join('') + body + appSecret;
      const sign = createHmac('sha256', appSecret!).update(base).digest('hex');
      const url = `${sandbox.baseUrl}${path}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}&sign=${sign}`;
      const call = (signature: string, payload: string) => fetch(url.replace(sign, signature), { method: 'POST', headers: { 'x-tts-access-token': tokenAnswer.data.access_token, 'content-type': 'application/json', 'x-request-id': randomUUID() }, body: payload });
      const accepted = await (await call(sign, body)).json() as { code: number; data: { products: unknown[] } };
      expect(accepted.code).toBe(0);
      expect(accepted.data.products).toHaveLength(1);
      // Re-serialising the body changes its bytes: the sandbox verifies the bytes received.
      expect((await (await call(sign, JSON.stringify(JSON.parse(body)))).json() as { code: number }).code).toBe(106001);
      expect((await (await fetch(url.replace(`&sign=${sign}`, ''), { method: 'POST', body })).json() as { code: number }).code).toBe(36009004);
    } finally {
      await sandbox.close();
    }
  });
});

describe('TikTok webhook Authorization HMAC (A1, 1,000 runs each)', () => {
  const appKey = '29a39d';
  const appSecret = 'e59af819cc';
  const body = fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => Buffer.from(bytes));
  const flip = (text: string, bit: number) => { const bytes = Buffer.from(text, 'latin1'); const index = Math.floor(bit / 8) % bytes.length; bytes[index] = bytes[index]! ^ (1 << (bit % 8)); return bytes.toString('latin1'); };

  test('verifies every genuine signature', () => {
    fc.assert(fc.property(body, (raw) => verifyTiktokWebhook(appKey, appSecret, { authorization: webhookSignature(appKey, appSecret, raw) }, raw)), { numRuns: 1000 });
  });
  test('refuses any one-bit change of the body or of the signature', () => {
    fc.assert(fc.property(body, fc.nat(), fc.boolean(), (raw, bit, inBody) => {
      const signature = webhookSignature(appKey, appSecret, raw);
      if (!inBody) return !verifyTiktokWebhook(appKey, appSecret, { authorization: flip(signature, bit) }, raw);
      const tampered = Buffer.from(raw);
      const index = Math.floor(bit / 8) % tampered.length;
      tampered[index] = tampered[index]! ^ (1 << (bit % 8));
      return !verifyTiktokWebhook(appKey, appSecret, { authorization: signature }, tampered);
    }), { numRuns: 1000 });
  });
  test('refuses arbitrary header strings without throwing', () => {
    const header = fc.oneof(fc.constant(''), fc.string({ maxLength: 100 }), fc.string({ minLength: 64, maxLength: 64 }), fc.constant('z'.repeat(10 * 1024)));
    fc.assert(fc.property(body, header, (raw, value) => !verifyTiktokWebhook(appKey, appSecret, { authorization: value }, raw)), { numRuns: 1000 });
  });
});
