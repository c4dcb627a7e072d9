/**
 * The Amazon sandbox refuses what Amazon refuses, with Amazon's error bodies, and what it answers
 * validates against the official models. FBA listings are read, never pushed.
 */
import { createChannel } from '../../../daemon/src/channels/amazon/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/amazon/index.js';
import { schemaProblems } from '../../../daemon/src/sandbox/amazon/schema-validator.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, seedListings } from '../conformance.js';

let sandbox: SandboxHandle;
let token: string;
let sellerPath: string;
const market = 'ATVPDKIKX0DER';

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(sandbox.baseUrl + path, { method, headers: { 'x-amz-access-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  sandbox = await startSandbox(createSandboxDefinition(), { rateLimits: 'unlimited' });
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: sandbox.credentials.refresh_token!, client_id: sandbox.credentials.client_id!, client_secret: sandbox.credentials.client_secret! });
  token = ((await (await fetch(`${sandbox.baseUrl}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { access_token: string }).access_token;
  sellerPath = `/listings/2021-08-01/items/${sandbox.credentials.seller_id}`;
  await seedListings(sandbox, [
    { sku: 'P', isParent: true },
    { sku: 'P-RED', quantity: 2, parentSku: 'P', attributes: { color: 'Red' } },
    { sku: 'P-BLUE', quantity: 6, parentSku: 'P', attributes: { color: 'Blue' } },
  ]);
  await sandboxCall(sandbox, 'POST', '/listings', { listings: [{ sku: 'FBA-1', quantity: 40, fulfilledByMarketplace: true }] });
  await sandboxCall(sandbox, 'POST', '/orders', { lines: [{ sku: 'P-RED', quantity: 1 }] });
});
afterAll(async () => { await sandbox.close(); });

const errorList = expect.objectContaining({ errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })] });

describe('the Amazon sandbox refuses what Amazon refuses', () => {
  test('a patch without productType is 400 InvalidInput in the ErrorList shape', async () => {
    const answer = await call('PATCH', `${sellerPath}/P-RED?marketplaceIds=${market}`, { patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [] }] });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(errorList);
    expect(schemaProblems('listings-items-2021-08-01', 'ErrorList', answer.body)).toEqual([]);
  });

  test('a patch with an unknown op, a non-JSON body or no marketplaceIds is refused', async () => {
    expect((await call('PATCH', `${sellerPath}/P-RED?marketplaceIds=${market}`, { productType: 'PRODUCT', patches: [{ op: 'move', path: '/attributes/x' }] })).status).toBe(400);
    expect((await call('PATCH', `${sellerPath}/P-RED?marketplaceIds=${market}`, 'quantity=3', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await call('PATCH', `${sellerPath}/P-RED`, { productType: 'PRODUCT', patches: [] })).status).toBe(400);
  });

  test('a quantity on a parent or on an FBA listing comes back INVALID with an issue', async () => {
    const patch = { productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] }] };
    for (const sku of ['P', 'FBA-1']) {
      const answer = await call('PATCH', `${sellerPath}/${sku}?marketplaceIds=${market}`, patch);
      expect(answer).toMatchObject({ status: 200, body: { status: 'INVALID' } });
      expect(schemaProblems('listings-items-2021-08-01', 'ListingsItemSubmissionResponse', answer.body)).toEqual([]);
    }
  });

  test('a missing, unknown or expired token is 403 Unauthorized, as Amazon answers', async () => {
    const missing = await fetch(`${sandbox.baseUrl}${sellerPath}?marketplaceIds=${market}`);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'Access token is missing in the request header.' }] });
    expect((await call('GET', `${sellerPath}?marketplaceIds=${market}`, undefined, { 'x-amz-access-token': 'Atza|forged' })).status).toBe(403);
  });

  test('searchListingsItems refuses a pageSize above 20 and a forged pageToken', async () => {
    expect((await call('GET', `${sellerPath}?marketplaceIds=${market}&pageSize=21`)).status).toBe(400);
    expect((await call('GET', `${sellerPath}?marketplaceIds=${market}&pageToken=forged`)).status).toBe(400);
  });

  test('createFeed refuses an unknown document and a document uploaded with another content type', async () => {
    expect((await call('POST', '/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [market], inputFeedDocumentId: 'nope' })).status).toBe(400);
    expect((await call('POST', '/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [] , inputFeedDocumentId: 'x' })).status).toBe(400);
    const created = await call('POST', '/feeds/2021-06-30/documents', { contentType: 'application/json; charset=UTF-8' });
    expect(schemaProblems('feeds-2021-06-30', 'CreateFeedDocumentResponse', created.body)).toEqual([]);
    const upload = await fetch(String(created.body.url), { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(upload.status).toBe(403);
    expect(await upload.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  test('searchOrders needs exactly one of createdAfter or lastUpdatedAfter and at most 100 a page', async () => {
    expect((await call('GET', '/orders/2026-01-01/orders')).status).toBe(400);
    expect((await call('GET', '/orders/2026-01-01/orders?createdAfter=2020-01-01T00:00:00Z&maxResultsPerPage=101')).status).toBe(400);
    expect((await call('GET', '/orders/2026-01-01/orders?createdAfter=not-a-date')).status).toBe(400);
  });
});

describe('what the Amazon sandbox answers validates against the official models', () => {
  test('searchListingsItems and getListingsItem answer ItemSearchResults and Item', async () => {
    const search = await call('GET', `${sellerPath}?marketplaceIds=${market}&includedData=summaries,attributes,issues,fulfillmentAvailability,relationships,productTypes&pageSize=2&sortBy=sku&sortOrder=ASC`);
    expect(search.status).toBe(200);
    expect(schemaProblems('listings-items-2021-08-01', 'ItemSearchResults', search.body)).toEqual([]);
    const item = await call('GET', `${sellerPath}/P-RED?marketplaceIds=${market}&includedData=summaries,fulfillmentAvailability,relationships`);
    expect(schemaProblems('listings-items-2021-08-01', 'Item', item.body)).toEqual([]);
  });

  test('searchOrders, getOrder and getInventorySummaries answer their official shapes', async () => {
    const orders = await call('GET', '/orders/2026-01-01/orders?lastUpdatedAfter=2020-01-01T00:00:00Z&includedData=FULFILLMENT,CANCELLATION');
    expect(schemaProblems('orders-2026-01-01', 'SearchOrdersResponse', orders.body)).toEqual([]);
    const orderId = (orders.body.orders as Array<{ orderId: string }>)[0]!.orderId;
    expect(schemaProblems('orders-2026-01-01', 'GetOrderResponse', (await call('GET', `/orders/2026-01-01/orders/${orderId}?includedData=FULFILLMENT`)).body)).toEqual([]);
    const fba = await call('GET', `/fba/inventory/v1/summaries?details=true&granularityType=Marketplace&granularityId=${market}&marketplaceIds=${market}`);
    expect(schemaProblems('fba-inventory-v1', 'GetInventorySummariesResponse', fba.body)).toEqual([]);
  });

  test('the ORDER_CHANGE in the queue validates against OrderChangeNotification.json', async () => {
    const { messages } = await sandboxCall<{ messages: Array<{ body: unknown }> }>(sandbox, 'GET', '/amazon/queue');
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(schemaProblems('order-change-notification', undefined, message.body)).toEqual([]);
  });

  test('a feed processing report validates against the processing report schema', async () => {
    const channel = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    const [result] = await channel.pushQuantities([{ listing: { sku: 'P-BLUE', identifiers: {} }, quantity: 9, version: 1 }], 'feed');
    const feed = await call('GET', `/feeds/2021-06-30/feeds/${result!.submissionId}`);
    expect(schemaProblems('feeds-2021-06-30', 'Feed', feed.body)).toEqual([]);
    const document = await call('GET', `/feeds/2021-06-30/documents/${String(feed.body.resultFeedDocumentId)}`);
    expect(schemaProblems('feeds-2021-06-30', 'FeedDocument', document.body)).toEqual([]);
    const report = await (await fetch(String(document.body.url))).json();
    expect(schemaProblems('listings-feed-processing-report-schema-v2', undefined, report)).toEqual([]);
  });
});

describe('Amazon FBA stock through the connector', () => {
  test('FBA quantities are read as fulfilled by the marketplace, and pushing one fails without a call', async () => {
    const channel = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    const items = [];
    let cursor: string | undefined;
    do {
      const page = await channel.readQuantities(cursor);
      if (!page.ok) throw new Error(page.error.message);
      items.push(...page.value.items);
      cursor = page.value.nextCursor;
    } while (cursor);
    const fba = items.find((item) => item.listing.sku === 'FBA-1');
    expect(fba).toMatchObject({ quantity: 40, fulfilledByMarketplace: true });
    expect(items.filter((item) => item.listing.sku === 'FBA-1')).toHaveLength(1);
    await sandboxCall(sandbox, 'DELETE', '/requests');
    const [result] = await channel.pushQuantities([{ listing: fba!.listing, quantity: 1, version: 1 }], 'single');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'invalid_request', retryable: false } });
    const { requests } = await sandboxCall<{ requests: Array<{ path: string }> }>(sandbox, 'GET', '/requests');
    expect(requests.filter((request) => request.path.includes('FBA-1'))).toEqual([]);
  });
});
