import { randomUUID } from 'node:crypto';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/walmart/index.js';
import { walmartShapeProblems, type WalmartShape } from '../../../daemon/src/sandbox/walmart/walmart-schemas.js';
import { multipartFeedBody } from '../../../daemon/src/channels/walmart/walmart-payloads.js';
import { sandboxCall, seedListings, waitFor } from '../conformance.js';

let sandbox: SandboxHandle;
let token: string;

async function walmart(method: string, path: string, init: { body?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'WM_SEC.ACCESS_TOKEN': token, 'WM_QOS.CORRELATION_ID': randomUUID(), 'WM_SVC.NAME': 'Walmart Marketplace', Accept: 'application/json', ...init.headers };
  if (init.contentType) headers['Content-Type'] = init.contentType;
  for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
  const response = await fetch(`${sandbox.baseUrl}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
  return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

function expectShape(shape: WalmartShape, value: unknown): void {
  expect(walmartShapeProblems(shape, value)).toEqual([]);
}

function expectWalmartError(body: Record<string, unknown>, code: string): void {
  const entries = (body.errors ?? body.error) as unknown[];
  expect(Array.isArray(entries)).toBe(true);
  for (const entry of entries) expectShape('gatewayError', entry);
  expect(entries[0]).toMatchObject({ code });
}

beforeAll(async () => {
  sandbox = await startSandbox(createSandboxDefinition({ seed: 7 }), { rateLimits: 'unlimited' });
  const basic = Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64');
  const response = await fetch(`${sandbox.baseUrl}/v3/token`, { method: 'POST', headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', 'WM_SVC.NAME': 'Walmart Marketplace', 'WM_QOS.CORRELATION_ID': randomUUID() }, body: 'grant_type=client_credentials' });
  const body = await response.json() as { access_token: string };
  expectShape('tokenResponse', body);
  token = body.access_token;
});
afterAll(() => sandbox.close());
beforeEach(async () => { await seedListings(sandbox, [{ sku: 'SB-1', quantity: 3 }, { sku: 'SB-PARENT', isParent: true }, { sku: 'SB-CHILD', parentSku: 'SB-PARENT', quantity: 2 }]); });

describe('the Walmart sandbox refuses what Walmart refuses', () => {
  test('refuses a call without WM_QOS.CORRELATION_ID or WM_SVC.NAME with the gateway header error', async () => {
    for (const header of ['WM_QOS.CORRELATION_ID', 'WM_SVC.NAME']) {
      const response = await walmart('GET', '/v3/inventories', { headers: { [header]: '' } });
      expect(response.status).toBe(400);
      expectWalmartError(response.body, 'INVALID_REQUEST_HEADER.GMP_GATEWAY_API');
      expect((response.body.error as Array<{ field: string }>)[0]!.field).toBe(header);
    }
  });

  test('refuses a missing, unknown or expired token with the gateway 401', async () => {
    expectWalmartError((await walmart('GET', '/v3/inventories', { headers: { 'WM_SEC.ACCESS_TOKEN': '' } })).body, 'UNAUTHORIZED.GMP_GATEWAY_API');
    expect((await walmart('GET', '/v3/inventories', { headers: { 'WM_SEC.ACCESS_TOKEN': 'eyJforged' } })).status).toBe(401);
  });

  test('refuses wrong client credentials and unsupported grants at the token API', async () => {
    const post = (authorization: string, body: string) => fetch(`${sandbox.baseUrl}/v3/token`, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded', 'WM_SVC.NAME': 'x', 'WM_QOS.CORRELATION_ID': 'y' }, body });
    const wrong = await post(`Basic ${Buffer.from(`${sandbox.credentials.clientId}:nope`).toString('base64')}`, 'grant_type=client_credentials');
    expect(wrong.status).toBe(401);
    expectWalmartError(await wrong.json() as Record<string, unknown>, 'UNAUTHORIZED.GMP_GATEWAY_API');
    const grant = await post(`Basic ${Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')}`, 'grant_type=password');
    expect(grant.status).toBe(400);
  });

  test('refuses inventory bodies that break the official Inventory model', async () => {
    const cases = ['{"sku":"SB-1"}', '{"sku":"SB-1","quantity":{"unit":"BOX","amount":1}}', '{"sku":"SB-1","quantity":{"unit":"EACH","amount":-1}}', '{"sku":"OTHER","quantity":{"unit":"EACH","amount":1}}', 'not json'];
    for (const body of cases) {
      const response = await walmart('PUT', '/v3/inventory?sku=SB-1', { body, contentType: 'application/json' });
      expect(response.status).toBe(400);
      expectWalmartError(response.body, 'INVALID_REQUEST_CONTENT.GMP_INVENTORY_API');
    }
    expect((await walmart('PUT', '/v3/inventory?sku=SB-PARENT', { body: '{"sku":"SB-PARENT","quantity":{"unit":"EACH","amount":1}}', contentType: 'application/json' })).status).toBe(404);
  });

  test('refuses a page size above 50, a forged cursor, and a feed that is not the documented file', async () => {
    expect((await walmart('GET', '/v3/inventories?limit=51')).status).toBe(400);
    expect((await walmart('GET', '/v3/inventories?nextCursor=Zm9yZ2Vk')).status).toBe(400);
    expect((await walmart('GET', '/v3/orders?limit=201')).status).toBe(400);
    const wrongFile = multipartFeedBody('{"Inventory":[{"sku":"SB-1"}]}', 'b');
    const feed = await walmart('POST', '/v3/feeds?feedType=inventory', { body: wrongFile.body, contentType: wrongFile.contentType });
    expect(feed.status).toBe(400);
    expectWalmartError(feed.body, 'INVALID_REQUEST_CONTENT.GMP_FEED_API');
    expect((await walmart('POST', '/v3/feeds?feedType=inventory', { body: '{}', contentType: 'application/json' })).status).toBe(400);
  });
});

describe('the Walmart sandbox answers in the official model', () => {
  test('inventory, pages, feeds and orders validate against the extracted schemas, with throttle headers on every answer', async () => {
    const put = await walmart('PUT', '/v3/inventory?sku=SB-1', { body: '{"sku":"SB-1","quantity":{"unit":"EACH","amount":4}}', contentType: 'application/json' });
    expectShape('inventory', put.body);
    const page = await walmart('GET', '/v3/inventories?limit=1');
    expectShape('inventoriesPage', page.body);
    const file = multipartFeedBody('{"InventoryHeader":{"version":"1.4"},"Inventory":[{"sku":"SB-1","quantity":{"unit":"EACH","amount":9}}]}', 'b');
    const feed = await walmart('POST', '/v3/feeds?feedType=inventory', { body: file.body, contentType: file.contentType });
    expectShape('feedId', feed.body);
    const status = await waitFor(async () => {
      const answer = await walmart('GET', `/v3/feeds/${feed.body.feedId as string}?includeDetails=true`);
      return answer.body.feedStatus === 'PROCESSED' ? answer : undefined;
    });
    expectShape('feedStatus', status.body);
    const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'SB-CHILD', quantity: 1 }] });
    expectShape('ordersPage', (await walmart('GET', `/v3/orders?lastModifiedStartDate=${new Date(Date.now() - 60_000).toISOString()}`)).body);
    expectShape('order', (await walmart('GET', `/v3/orders/${order.orderId}`)).body);
    for (const answer of [put, page, feed, status]) {
      expect(answer.headers.get('x-current-token-count')).toMatch(/^\d+$/);
      expect(Number(answer.headers.get('x-next-replenish-time'))).toBeGreaterThan(Date.now() - 1000);
    }
  });

  test('a throttled call gets Walmart 429 body and the replenish headers', async () => {
    await sandboxCall(sandbox, 'PUT', '/faults', { rate429: 1, retryAfterSeconds: 3 });
    try {
      const response = await walmart('GET', '/v3/inventories');
      expect(response.status).toBe(429);
      expectWalmartError(response.body, 'REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API');
      expect(response.headers.get('x-current-token-count')).toBe('0');
      expect(Number(response.headers.get('x-next-replenish-time'))).toBeGreaterThan(Date.now() + 1000);
    } finally {
      await sandboxCall(sandbox, 'PUT', '/faults', { rate429: 0 });
    }
  });
});
