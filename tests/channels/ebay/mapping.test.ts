/** Pure mapping of the eBay connector, without I/O. */
import type { QuantityUpdate } from '../../../daemon/src/channels/channel.js';
import { entryFailure, restFailure } from '../../../daemon/src/channels/ebay/ebay-errors.js';
import { checkQuantity, chunkBySku, decodePageCursor, readInventoryItemsPage, readPriceQuantityResponse, routeOf, toPriceQuantityRequest } from '../../../daemon/src/channels/ebay/inventory-mapping.js';
import { advanceOrderCursor, decodeOrderCursor, encodeOrderCursor, mapOrder } from '../../../daemon/src/channels/ebay/order-mapping.js';
import { basicAuthorization, tokenRequestBody } from '../../../daemon/src/channels/ebay/token-keeper.js';
import { buildReviseInventoryStatus, parseTradingResponse, readReviseInventoryStatus } from '../../../daemon/src/channels/ebay/trading-xml.js';

const update = (sku: string, quantity: number, identifiers: Record<string, string> = {}, parentSku?: string): QuantityUpdate => ({ listing: { sku, identifiers, ...(parentSku ? { parentSku } : {}) }, quantity, version: 1 });

describe('eBay inventory mapping', () => {
  test('a quantity sets both ship-to-home and the offer, since the listing shows the smaller', () => {
    expect(toPriceQuantityRequest(update('A', 4, { offerId: '99' }))).toEqual({ sku: 'A', shipToLocationAvailability: { quantity: 4 }, offers: [{ offerId: '99', availableQuantity: 4 }] });
    expect(toPriceQuantityRequest(update('B', 0))).toEqual({ sku: 'B', shipToLocationAvailability: { quantity: 0 } });
  });

  test.each([
    ['an offer', { offerId: '1' }, undefined, 'inventory'],
    ['a Trading item id', { tradingItemId: '110' }, undefined, 'trading'],
    ['only a group key', { inventoryItemGroupKey: 'G' }, undefined, 'parent'],
    ['a group key and its own offer', { inventoryItemGroupKey: 'G', offerId: '2' }, 'G', 'inventory'],
  ])('a listing with %s routes to %s', (_name, identifiers, parentSku, route) => {
    expect(routeOf({ sku: 'X', identifiers, ...(parentSku ? { parentSku } : {}) })).toBe(route);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 31])('quantity %p is refused before a call is spent', (quantity) => {
    expect(checkQuantity(update('A', quantity))).toMatchObject({ status: 'failed', error: { code: 'invalid_request', retryable: false } });
  });

  test('batches hold at most the limit and never one SKU twice', () => {
    const chunks = chunkBySku([update('A', 1), update('B', 1), update('A', 2), update('C', 1)], 2);
    expect(chunks.map((chunk) => chunk.map((entry) => entry.listing.sku))).toEqual([['A', 'B'], ['A', 'C']]);
  });

  test('per-SKU responses become one result per update, with the revision limit as a non-retryable conflict', () => {
    const updates = [update('A', 1), update('B', 1), update('C', 1)];
    const body = { responses: [
      { sku: 'A', statusCode: 200 },
      { sku: 'B', statusCode: 404, errors: [{ errorId: 25702, message: 'SKU B is not available in the system' }] },
      { sku: 'C', statusCode: 400, errors: [{ errorId: 25002, message: 'Any User error. This listing has reached the maximum of 250 revisions in one calendar day.' }] },
    ] };
    const results = readPriceQuantityResponse(body, updates);
    expect(results).toMatchObject({ ok: true, value: [
      { sku: 'A', status: 'applied' },
      { sku: 'B', status: 'failed', error: { code: 'not_found', retryable: false, marketplaceCode: '25702' } },
      { sku: 'C', status: 'failed', error: { code: 'conflict', retryable: false } },
    ] });
  });

  test('a system error on one entry is retryable', () => {
    expect(entryFailure('bulkUpdatePriceQuantity', 'A', 500, [{ errorId: 25001, message: 'A system error has occurred.' }])).toMatchObject({ code: 'server_error', retryable: true });
  });

  test('a 429 without Retry-After still tells the scheduler to wait', () => {
    const error = restFailure({ status: 429, headers: new Headers(), text: '{"errors":[{"errorId":2001,"message":"Too many requests."}]}' }, 'getOrders');
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, marketplaceCode: '2001' });
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  test('an inventory page maps group members to their parent and says whether more pages follow', () => {
    const body = { total: 3, inventoryItems: [{ sku: 'M', availability: { shipToLocationAvailability: { quantity: 2 } }, inventoryItemGroupKeys: ['G'] }, { sku: 'N' }] };
    expect(readInventoryItemsPage(body, 0, 2)).toEqual({ ok: true, value: { items: [{ listing: { sku: 'M', identifiers: {}, parentSku: 'G' }, quantity: 2 }, { listing: { sku: 'N', identifiers: {} }, quantity: 0 }], nextCursor: 'page:1' } });
    expect(decodePageCursor('page:1')).toEqual({ ok: true, value: 1 });
    expect(decodePageCursor('offset=9')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('eBay Trading XML', () => {
  test('ReviseInventoryStatus names a variation by ItemID and SKU and a single item by ItemID', () => {
    const xml = buildReviseInventoryStatus([update('RED-M', 3, { tradingItemId: '110' }, 'SHIRT'), update('MUG', 0, { tradingItemId: '111' })]);
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?><ReviseInventoryStatusRequest xmlns="urn:ebay:apis:eBLBaseComponents"><InventoryStatus><ItemID>110</ItemID><SKU>RED-M</SKU><Quantity>3</Quantity></InventoryStatus><InventoryStatus><ItemID>111</ItemID><Quantity>0</Quantity></InventoryStatus></ReviseInventoryStatusRequest>');
  });

  test('a partial failure applies the echoed item and fails the one its error names', () => {
    const xml = '<?xml version="1.0"?><ReviseInventoryStatusResponse xmlns="urn:ebay:apis:eBLBaseComponents"><Ack>PartialFailure</Ack><Errors><ShortMessage>Item cannot be accessed.</ShortMessage><LongMessage>This item cannot be accessed.</LongMessage><ErrorCode>17</ErrorCode><SeverityCode>Error</SeverityCode><ErrorParameters ParamID="0"><Value>222</Value></ErrorParameters></Errors><InventoryStatus><ItemID>111</ItemID><Quantity>5</Quantity></InventoryStatus></ReviseInventoryStatusResponse>';
    const parsed = parseTradingResponse(xml, 'ReviseInventoryStatusResponse');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(readReviseInventoryStatus(parsed.value, [update('A', 5, { tradingItemId: '111' }), update('B', 5, { tradingItemId: '222' })])).toMatchObject([
      { sku: 'A', status: 'applied' },
      { sku: 'B', status: 'failed', error: { code: 'not_found', marketplaceCode: '17' } },
    ]);
  });

  test('ErrorCode 518 is rate_limited', () => {
    const parsed = parseTradingResponse('<ReviseInventoryStatusResponse><Ack>Failure</Ack><Errors><ErrorCode>518</ErrorCode><ShortMessage>Call usage limit has been reached.</ShortMessage><SeverityCode>Error</SeverityCode></Errors></ReviseInventoryStatusResponse>', 'ReviseInventoryStatusResponse');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(readReviseInventoryStatus(parsed.value, [update('A', 1, { tradingItemId: '1' })])[0]).toMatchObject({ error: { code: 'rate_limited', retryable: true } });
  });

  test('a body that is not the expected response is invalid_response', () => {
    expect(parseTradingResponse('<html></html>', 'ReviseInventoryStatusResponse')).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
  });
});

describe('eBay orders and cursors', () => {
  const order = (orderId: string, modified: string, extra: Record<string, unknown> = {}) => ({ orderId, creationDate: '2026-01-01T00:00:00.000Z', lastModifiedDate: modified, orderFulfillmentStatus: 'NOT_STARTED', lineItems: [{ lineItemId: `${orderId}-1`, sku: 'A', quantity: 1 }], ...extra });

  test('a seller cancellation for stock is mapped as seller_out_of_stock', () => {
    const mapped = mapOrder(order('1', '2026-01-02T00:00:00.000Z', { cancelStatus: { cancelState: 'CANCELED', cancelRequests: [{ cancelInitiator: 'SELLER', cancelReason: 'OUT_OF_STOCK_OR_CANNOT_FULFILL' }] } }));
    expect(mapped).toMatchObject({ ok: true, value: { status: 'cancelled', lines: [{ cancelReason: 'seller_out_of_stock' }] } });
    expect(mapOrder(order('2', '2026-01-02T00:00:00.000Z', { orderFulfillmentStatus: 'FULFILLED' }))).toMatchObject({ ok: true, value: { status: 'shipped' } });
  });

  test('a cursor round-trips, and a bare ISO time starts one', () => {
    const cursor = { since: '2026-01-01T00:00:00.000Z', offset: 200, seen: ['1@2026-01-01T00:00:00.000Z'] };
    expect(decodeOrderCursor(encodeOrderCursor(cursor))).toEqual({ ok: true, value: cursor });
    expect(decodeOrderCursor('2026-01-01T00:00:00Z')).toEqual({ ok: true, value: { since: '2026-01-01T00:00:00.000Z', offset: 0, seen: [] } });
    expect(decodeOrderCursor('ebay1.garbage')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  test('the next poll starts at the newest change and skips what it already returned at that instant', () => {
    const first = [order('1', '2026-01-01T00:00:01.000Z'), order('2', '2026-01-01T00:00:02.000Z')].map((raw) => (mapOrder(raw) as { ok: true; value: never }).value);
    const step = advanceOrderCursor({ since: '2026-01-01T00:00:00.000Z', offset: 0, seen: [] }, first, 2, 2);
    expect(step.next).toEqual({ since: '2026-01-01T00:00:02.000Z', offset: 0, seen: ['2@2026-01-01T00:00:02.000Z'] });
    const again = advanceOrderCursor(step.next, [first[1]!], 1, 1);
    expect(again.fresh).toEqual([]);
    expect(advanceOrderCursor({ since: '2026-01-01T00:00:00.000Z', offset: 0, seen: [] }, first, 2, 5)).toMatchObject({ hasMore: true, next: { offset: 2 } });
  });
});

describe('eBay OAuth requests', () => {
  test('the refresh grant carries the refresh token and space-separated scopes; Basic carries client id and secret', () => {
    expect(new URLSearchParams(tokenRequestBody('user', 'v^1.1#r', ['s1', 's2'])).get('scope')).toBe('s1 s2');
    expect(new URLSearchParams(tokenRequestBody('application', 'ignored', [])).get('grant_type')).toBe('client_credentials');
    expect(basicAuthorization('id', 'secret')).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
  });
});
