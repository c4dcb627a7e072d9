/**
 * The GET_MERCHANT_LISTINGS_ALL_DATA parser and the report phases of the quantity cursor, without
 * a network: tab-delimited text in, rows and merchant quantities out; a fake SP-API client and
 * clock for the wait on getReport.
 */
import { decodeQuantityCursor, encodeQuantityCursor } from '../../../daemon/src/channels/amazon/cursor.js';
import { merchantQuantitiesFromRows, parseMerchantListingsReport, parseTabDelimited } from '../../../daemon/src/channels/amazon/merchant-listings-report.js';
import { REPORT_POLL_WINDOW_MS } from '../../../daemon/src/channels/amazon/limits.js';
import { AmazonReader } from '../../../daemon/src/channels/amazon/reads.js';
import type { SpApiClient } from '../../../daemon/src/channels/amazon/sp-api-client.js';
import { merchantListingsDocument } from '../../../daemon/src/sandbox/amazon/merchant-listings-document.js';

const HEADER = 'item-name\titem-description\tlisting-id\tseller-sku\tprice\tquantity\topen-date\tasin1\tfulfillment-channel\tstatus';

describe('tab-delimited text', () => {
  test('splits on tabs and on LF or CRLF line ends, dropping blank lines', () => {
    expect(parseTabDelimited('a\tb\r\nc\td\n\n e\t\n')).toEqual({ ok: true, value: [['a', 'b'], ['c', 'd'], [' e', '']] });
  });

  test('a quoted field keeps tabs, line breaks and doubled quotes', () => {
    expect(parseTabDelimited('"x\ty"\t"say ""hi"""\r\n"two\nlines"\tz')).toEqual({ ok: true, value: [['x\ty', 'say "hi"'], ['two\nlines', 'z']] });
  });

  test('a quote inside a bare field is text, and a stray quote inside a quoted field is kept', () => {
    expect(parseTabDelimited('12" ruler\t"a "b" c"\n')).toEqual({ ok: true, value: [['12" ruler', 'a "b" c']] });
  });

  test('a quoted field that never closes is a failure, not a swallowed document', () => {
    expect(parseTabDelimited('a\t"open\nb\tc\n')).toEqual({ ok: false, message: expect.stringContaining('line 1') });
  });

  test('a byte order mark before the header is ignored', () => {
    expect(parseTabDelimited('\uFEFFseller-sku\tquantity\n')).toEqual({ ok: true, value: [['seller-sku', 'quantity']] });
  });
});

describe('the merchant listings report', () => {
  test('reads rows by header name, leaving quantity undefined where the report leaves it empty', () => {
    const text = [HEADER, 'Mug\t\tL1\tMUG-1\t9.99\t7\t2026-01-01 00:00:00 PST\tB0001\tDEFAULT\tActive', 'Box\t\tL2\tFBA-1\t5\t\t2026-01-01\tB0002\tAMAZON_NA\tActive', 'Shirt\t\tL3\tSHIRT\t\t\t2026-01-01\tB0003\tDEFAULT\tInactive'].join('\r\n');
    const parsed = parseMerchantListingsReport(text);
    expect(parsed).toEqual({ ok: true, value: [
      { line: 2, sku: 'MUG-1', quantity: 7, fulfillmentChannel: 'DEFAULT', fulfilledByAmazon: false, asin: 'B0001', listingId: 'L1', status: 'Active' },
      { line: 3, sku: 'FBA-1', fulfillmentChannel: 'AMAZON_NA', fulfilledByAmazon: true, asin: 'B0002', listingId: 'L2', status: 'Active' },
      { line: 4, sku: 'SHIRT', fulfillmentChannel: 'DEFAULT', fulfilledByAmazon: false, asin: 'B0003', listingId: 'L3', status: 'Inactive' },
    ] });
  });

  test('finds columns wherever a marketplace puts them and tolerates short rows', () => {
    const parsed = parseMerchantListingsReport('quantity\textra\tseller-sku\tfulfillment-channel\n3\tx\tA\n');
    expect(parsed.ok && parsed.value.map((row) => [row.sku, row.quantity, row.fulfillmentChannel])).toEqual([['A', 3, 'DEFAULT']]);
    // The second row has no seller-sku at all.
    expect(parseMerchantListingsReport('seller-sku\tquantity\n\t4\n')).toEqual({ ok: false, message: 'line 2 has no seller-sku' });
  });

  test('a header without seller-sku or quantity, or a quantity that is not a count, fails the document', () => {
    expect(parseMerchantListingsReport('sku\tqty\nA\t1\n')).toEqual({ ok: false, message: expect.stringContaining('seller-sku, quantity') });
    expect(parseMerchantListingsReport('seller-sku\tquantity\nA\t-1\n')).toEqual({ ok: false, message: expect.stringContaining('SKU A') });
    expect(parseMerchantListingsReport('seller-sku\tquantity\nA\t2.5\n').ok).toBe(false);
  });

  test('an empty document has no rows', () => {
    expect(parseMerchantListingsReport('')).toEqual({ ok: true, value: [] });
    expect(parseMerchantListingsReport(`${HEADER}\n`)).toEqual({ ok: true, value: [] });
  });

  test('merchant quantities skip AFN rows and rows without quantity, and keep the first row of a SKU', () => {
    const rows = [
      { line: 2, sku: 'A', quantity: 0, fulfillmentChannel: 'DEFAULT', fulfilledByAmazon: false, asin: 'B1' },
      { line: 3, sku: 'F', quantity: 9, fulfillmentChannel: 'AMAZON_EU', fulfilledByAmazon: true },
      { line: 4, sku: 'P', fulfillmentChannel: 'DEFAULT', fulfilledByAmazon: false },
      { line: 5, sku: 'A', quantity: 5, fulfillmentChannel: 'DEFAULT', fulfilledByAmazon: false },
    ];
    expect(merchantQuantitiesFromRows(rows)).toEqual([{ listing: { sku: 'A', identifiers: { fulfillmentChannelCode: 'DEFAULT', asin: 'B1' } }, quantity: 0 }]);
  });

  test("the sandbox's document reads back through the connector's parser, AFN and parents without quantity", () => {
    const base = { attributes: {}, price: '19.99', revisionsToday: 0, updatedAtMs: Date.UTC(2026, 0, 2) };
    const text = merchantListingsDocument([
      { ...base, sku: 'M', quantity: 3, identifiers: { asin: 'B01' }, fulfilledByMarketplace: false, attributes: { title: '"Quoted"\ttitle' } },
      { ...base, sku: 'F', quantity: 8, identifiers: { asin: 'B02', fulfillmentChannelCode: 'AMAZON_NA' }, fulfilledByMarketplace: true },
      { ...base, sku: 'P', quantity: 0, identifiers: { asin: 'B03' }, fulfilledByMarketplace: false, isParent: true },
    ]);
    const parsed = parseMerchantListingsReport(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value.map((row) => [row.sku, row.quantity, row.fulfilledByAmazon])).toEqual([['M', 3, false], ['F', undefined, true], ['P', undefined, false]]);
    expect(merchantQuantitiesFromRows(parsed.value).map((item) => item.listing.sku)).toEqual(['M']);
  });
});

describe('the quantity cursor', () => {
  test('report phases round-trip through the opaque text', () => {
    for (const cursor of [{ phase: 'report' as const, reportId: '6000', requestedAtMs: 12 }, { phase: 'reportRows' as const, documentId: 'amzn1.spdoc.1', offset: 40 }, { phase: 'listings' as const }, { phase: 'fba' as const, token: 't' }]) {
      expect(decodeQuantityCursor(encodeQuantityCursor(cursor))).toEqual({ ok: true, value: cursor });
    }
  });

  test('a cursor with a negative offset, a foreign field or no reportId is refused', () => {
    const forged = (value: unknown) => `amzq1.${Buffer.from(JSON.stringify(value)).toString('base64url')}`;
    expect(decodeQuantityCursor(forged({ phase: 'reportRows', documentId: 'd', offset: -20 })).ok).toBe(false);
    expect(decodeQuantityCursor(forged({ phase: 'report', reportId: 'r', requestedAtMs: 1, extra: 1 })).ok).toBe(false);
    expect(decodeQuantityCursor(forged({ phase: 'report', requestedAtMs: 1 })).ok).toBe(false);
  });
});

describe('waiting on the report', () => {
  function fakeReader(statuses: string[]) {
    let nowMs = 1_000_000;
    const calls: string[] = [];
    const sleeps: number[] = [];
    const respond = (body: unknown) => ({ ok: true as const, value: { status: 200, headers: new Headers(), text: JSON.stringify(body) } });
    const client = {
      settings: { sellerId: 'S', marketplaceId: 'ATVPDKIKX0DER', lwaTokenUrl: '' },
      async call(operation: string) {
        calls.push(operation);
        if (operation === 'getReport') return respond({ reportId: 'R1', reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', createdTime: '2026-01-01T00:00:00Z', processingStatus: statuses.shift() ?? 'IN_PROGRESS' });
        throw new Error(`unexpected ${operation}`);
      },
    } as unknown as SpApiClient;
    const reader = new AmazonReader(client, { now: () => nowMs, sleep: async (ms) => { sleeps.push(ms); nowMs += ms; } });
    return { reader, calls, sleeps, cursor: encodeQuantityCursor({ phase: 'report', reportId: 'R1', requestedAtMs: nowMs }) };
  }

  test('a report still in progress backs off within the poll window, then hands back the same cursor with no items', async () => {
    const { reader, calls, sleeps, cursor } = fakeReader([]);
    const page = await reader.readQuantities(cursor);
    expect(page).toEqual({ ok: true, value: { items: [], nextCursor: cursor } });
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(REPORT_POLL_WINDOW_MS);
    expect(sleeps.every((ms, index) => index === 0 || ms >= sleeps[index - 1]!)).toBe(true);
    expect(sleeps[0]).toBeGreaterThanOrEqual(500); // getReport's documented 2 requests a second
    expect(calls.length).toBe(sleeps.length + 1);
  });

  test('a cancelled report (no data) moves on to FBA stock, and a fatal one is a failure that is not retried as is', async () => {
    const cancelled = fakeReader(['IN_QUEUE', 'CANCELLED']);
    const page = await cancelled.reader.readQuantities(cancelled.cursor);
    expect(page.ok && page.value.items).toEqual([]);
    expect(page.ok && decodeQuantityCursor(page.value.nextCursor)).toEqual({ ok: true, value: { phase: 'fba' } });
    const fatal = fakeReader(['FATAL']);
    expect(await fatal.reader.readQuantities(fatal.cursor)).toEqual({ ok: false, error: expect.objectContaining({ code: 'server_error', retryable: false }) });
  });
});
