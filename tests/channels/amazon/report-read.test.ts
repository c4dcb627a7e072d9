/**
 * Catalogues larger than searchListingsItems can page (1,000 SKUs) are read through the
 * GET_MERCHANT_LISTINGS_ALL_DATA report, at Amazon's documented rates, and the sandbox's Reports
 * API refuses what Amazon refuses and answers in the official reports model's shapes.
 */
import { createChannel } from '../../../daemon/src/channels/amazon/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/amazon/index.js';
import { schemaProblems } from '../../../daemon/src/sandbox/amazon/schema-validator.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, seedListings } from '../conformance.js';

const market = 'ATVPDKIKX0DER';
const LARGE_CATALOGUE = 2_500;
let sandbox: SandboxHandle;
let token: string;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(sandbox.baseUrl + path, { method, headers: { 'x-amz-access-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  // Documented rates, and a processing delay so the connector really waits on getReport.
  sandbox = await startSandbox(createSandboxDefinition(), { asyncDelayMs: 300 });
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: sandbox.credentials.refresh_token!, client_id: sandbox.credentials.client_id!, client_secret: sandbox.credentials.client_secret! });
  token = ((await (await fetch(`${sandbox.baseUrl}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { access_token: string }).access_token;
  await seedListings(sandbox, [
    { sku: 'BIG-PARENT', isParent: true },
    { sku: 'BIG-PARENT-RED', quantity: 3, parentSku: 'BIG-PARENT', attributes: { color: 'Red' } },
    ...Array.from({ length: LARGE_CATALOGUE }, (_, index) => ({ sku: `BIG-${String(index).padStart(5, '0')}`, quantity: (index * 7) % 23, attributes: { title: index % 100 === 0 ? `"Quoted" item\t${index}` : `Item ${index}` } })),
  ]);
  await sandboxCall(sandbox, 'POST', '/listings', { listings: [{ sku: 'BIG-FBA', quantity: 40, fulfilledByMarketplace: true }] });
});
afterAll(async () => { await sandbox.close(); });

describe('a catalogue above 1,000 SKUs', () => {
  test('is read through the merchant listings report: every SKU once with its quantity, parents excluded, FBA from the FBA API', async () => {
    const channel = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
    const seen = new Map<string, { quantity: number; fba: boolean }>();
    let cursor: string | undefined;
    let pages = 0;
    for (; pages < 1_000; pages += 1) {
      const page = await channel.readQuantities(cursor);
      if (!page.ok) throw new Error(`readQuantities failed: ${page.error.code} ${page.error.message}`);
      expect(page.value.items.length).toBeLessThanOrEqual(channel.limits.pageSizeMax);
      for (const item of page.value.items) {
        expect(seen.has(item.listing.sku)).toBe(false);
        seen.set(item.listing.sku, { quantity: item.quantity, fba: item.fulfilledByMarketplace === true });
      }
      cursor = page.value.nextCursor;
      if (!cursor) break;
    }
    expect(seen.size).toBe(LARGE_CATALOGUE + 2);
    for (let index = 0; index < LARGE_CATALOGUE; index += 1) expect(seen.get(`BIG-${String(index).padStart(5, '0')}`)).toEqual({ quantity: (index * 7) % 23, fba: false });
    expect(seen.get('BIG-PARENT-RED')).toEqual({ quantity: 3, fba: false });
    expect(seen.get('BIG-FBA')).toEqual({ quantity: 40, fba: true });
    expect(seen.has('BIG-PARENT')).toBe(false);
    const operations = sandbox.requests.map((request) => request.operation).filter(Boolean);
    expect(operations.filter((operation) => operation === 'createReport')).toHaveLength(1);
    expect(operations.filter((operation) => operation === 'getReportDocument')).toHaveLength(1);
    expect(operations.filter((operation) => operation === 'searchListingsItems')).toHaveLength(1);
    expect(operations.filter((operation) => operation === 'getReport').length).toBeGreaterThanOrEqual(2);
    expect(sandbox.requests.filter((request) => request.status === 429)).toEqual([]);
  });
});

describe('the sandbox Reports API', () => {
  test('refuses an unknown reportType and a request without marketplaceIds with Amazon\'s ErrorList', async () => {
    for (const body of [{ reportType: 'GET_NO_SUCH_REPORT', marketplaceIds: [market] }, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA' }, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: ['A1PA6795UKMFR9'] }]) {
      const answer = await call('POST', '/reports/2021-06-30/reports', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ errors: [expect.objectContaining({ code: 'InvalidInput', message: expect.any(String) })] });
      expect(schemaProblems('reports-2021-06-30', 'ErrorList', answer.body)).toEqual([]);
    }
    const missing = await call('POST', '/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA' });
    expect(JSON.stringify(missing.body)).toContain('marketplaceIds');
  });

  test('createReport, getReport and getReportDocument answer the official shapes, and the URL serves the tab-delimited report', async () => {
    const created = await call('POST', '/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [market] });
    expect(created.status).toBe(202);
    expect(schemaProblems('reports-2021-06-30', 'CreateReportResponse', created.body)).toEqual([]);
    const reportId = created.body.reportId as string;
    let report = (await call('GET', `/reports/2021-06-30/reports/${reportId}`)).body;
    expect(schemaProblems('reports-2021-06-30', 'Report', report)).toEqual([]);
    expect(['IN_QUEUE', 'IN_PROGRESS']).toContain(report.processingStatus);
    for (let attempt = 0; attempt < 20 && report.processingStatus !== 'DONE'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      report = (await call('GET', `/reports/2021-06-30/reports/${reportId}`)).body;
    }
    expect(report).toMatchObject({ processingStatus: 'DONE', reportDocumentId: expect.any(String) });
    expect(schemaProblems('reports-2021-06-30', 'Report', report)).toEqual([]);
    const document = await call('GET', `/reports/2021-06-30/documents/${String(report.reportDocumentId)}`);
    expect(schemaProblems('reports-2021-06-30', 'ReportDocument', document.body)).toEqual([]);
    const url = document.body.url as string;
    const content = await (await fetch(url)).text();
    expect(content.split('\n')[0]!.split('\t').slice(0, 6)).toEqual(['item-name', 'item-description', 'listing-id', 'seller-sku', 'price', 'quantity']);
    expect(content.split('\n')[0]).toContain('asin1');
    expect(content.split('\n')[0]).toContain('fulfillment-channel');
    const forged = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect((await call('GET', '/reports/2021-06-30/reports/999')).status).toBe(404);
  });
});
