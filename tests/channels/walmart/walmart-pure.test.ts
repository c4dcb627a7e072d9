import { mapWalmartOrder, decodeOrderCursor, encodeOrderCursor, advanceOrderCursor } from '../../../daemon/src/channels/walmart/walmart-orders.js';
import { inventoryBody, inventoryFeedFile, multipartFeedBody, parseFeedStatusPage, parseInventoriesPage } from '../../../daemon/src/channels/walmart/walmart-payloads.js';
import { parseWalmartError, replenishWaitMs } from '../../../daemon/src/channels/walmart/walmart-errors.js';
import { parseWalmartEvents } from '../../../daemon/src/channels/walmart/walmart-events.js';
import { readMultipartField } from '../../../daemon/src/sandbox/walmart/multipart.js';
import type { ListingRef } from '../../../daemon/src/channels/channel.js';

const listing = (sku: string): ListingRef => ({ sku, identifiers: {} });

const order = (status: string, extra: Record<string, unknown> = {}) => ({
  purchaseOrderId: '1796277083022',
  orderDate: 1568466571000,
  orderLines: { orderLine: [{ lineNumber: '4', item: { sku: 'test1' }, orderLineQuantity: { unitOfMeasurement: 'EACH', amount: '2' }, statusDate: 1568466647000, orderLineStatuses: { orderLineStatus: [{ status, statusQuantity: { unitOfMeasurement: 'EACH', amount: '2' }, ...extra }] } }] },
});

describe('Walmart payload mapping', () => {
  test('the single inventory body is the official model example shape', () => {
    expect(JSON.parse(inventoryBody({ listing: listing('97964_KFTest'), quantity: 10, version: 1 }))).toEqual({ sku: '97964_KFTest', quantity: { unit: 'EACH', amount: 10 } });
  });

  test('the feed file is spec version 1.4 with one entry per SKU', () => {
    const file = JSON.parse(inventoryFeedFile([{ listing: listing('a'), quantity: 1, version: 1 }, { listing: listing('b'), quantity: 0, version: 2 }]));
    expect(file).toEqual({ InventoryHeader: { version: '1.4' }, Inventory: [{ sku: 'a', quantity: { unit: 'EACH', amount: 1 } }, { sku: 'b', quantity: { unit: 'EACH', amount: 0 } }] });
  });

  test('the multipart body round-trips through the sandbox reader byte for byte', () => {
    const file = '{"x":"é\\r\\n--"}';
    const { body, contentType } = multipartFeedBody(file, 'b0undary');
    expect(readMultipartField(Buffer.from(body), contentType, 'file')).toEqual({ ok: true, value: Buffer.from(file) });
  });

  test('the multipart reader names what is missing', () => {
    expect(readMultipartField(Buffer.from('x'), 'application/json', 'file')).toMatchObject({ ok: false, reason: expect.stringContaining('boundary') });
    expect(readMultipartField(Buffer.from('--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--b--\r\n'), 'multipart/form-data; boundary=b', 'file')).toMatchObject({ ok: false, reason: expect.stringContaining('"file"') });
  });

  test('a SKU quantity is its configured ship node, or the sum over nodes without one', () => {
    const page = { meta: { nextCursor: 'abc' }, elements: { inventories: [{ sku: 'AI-IGH4', nodes: [{ shipNode: '1', inputQty: { unit: 'EACH', amount: 93 } }, { shipNode: '2', inputQty: { unit: 'EACH', amount: 7 } }] }] } };
    expect(parseInventoriesPage(page, undefined)).toMatchObject({ ok: true, value: { items: [{ listing: { sku: 'AI-IGH4' }, quantity: 100 }], nextCursor: 'abc' } });
    expect(parseInventoriesPage(page, '2')).toMatchObject({ ok: true, value: { items: [{ quantity: 7 }] } });
    expect(parseInventoriesPage({ elements: { inventories: [{ nodes: [] }] } }, undefined)).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
  });

  test('feed item statuses become per-SKU results with the versions that were pushed', () => {
    const parsed = parseFeedStatusPage({
      feedId: 'F1', feedStatus: 'PROCESSED', itemsReceived: 2,
      itemDetails: { itemIngestionStatus: [{ sku: 'a', index: 0, ingestionStatus: 'SUCCESS' }, { sku: 'b', index: 1, ingestionStatus: 'DATA_ERROR', ingestionErrors: { ingestionError: [{ type: 'DATA_ERROR', code: 'E1', description: 'bad' }] } }] },
    }, new Map([['a', 5], ['b', 6]]));
    expect(parsed).toMatchObject({ ok: true, value: { state: 'done', results: [{ sku: 'a', version: 5, status: 'applied' }, { sku: 'b', version: 6, status: 'failed', error: { code: 'invalid_request', retryable: false, marketplaceCode: 'E1' } }] } });
  });
});

describe('Walmart orders and cursors', () => {
  test('maps the official example order into a created order with its line', () => {
    expect(mapWalmartOrder(order('Created'))).toEqual({ ok: true, value: { orderId: '1796277083022', status: 'created', lines: [{ lineId: '4', sku: 'test1', quantity: 2 }], fulfillment: 'merchant', createdAt: '2019-09-14T13:09:31.000Z', updatedAt: '2019-09-14T13:10:47.000Z' } });
  });

  test('maps cancelled lines with their reason and WFS orders as fulfilled by the marketplace', () => {
    expect(mapWalmartOrder(order('Cancelled', { cancellationReason: 'SELLER_CANCEL_OUT_OF_STOCK' }))).toMatchObject({ ok: true, value: { status: 'cancelled', lines: [{ cancelReason: 'seller_out_of_stock' }] } });
    expect(mapWalmartOrder({ ...order('Shipped'), shipNode: { type: 'WFSFulfilled' } })).toMatchObject({ ok: true, value: { status: 'shipped', fulfillment: 'marketplace' } });
  });

  test('refuses an order without lines, naming the field', () => {
    expect(mapWalmartOrder({ purchaseOrderId: 'x', orderDate: 1, orderLines: { orderLine: [] } })).toMatchObject({ ok: false, error: { code: 'invalid_response', message: expect.stringContaining('orderLines.orderLine') } });
  });

  test('a cursor survives encoding and an ISO time starts one', () => {
    const cursor = { sinceMs: 1000, seen: ['a'], page: '?limit=1&poIndex=1' };
    expect(decodeOrderCursor(encodeOrderCursor(cursor))).toEqual({ ok: true, value: cursor });
    expect(decodeOrderCursor('2024-01-01T00:00:00Z')).toEqual({ ok: true, value: { sinceMs: Date.parse('2024-01-01T00:00:00Z'), seen: [] } });
    expect(decodeOrderCursor('wm1.###')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(decodeOrderCursor('yesterday')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  test('advancing drops orders already seen at the cursor time and remembers the newest', () => {
    const at = (orderId: string, ms: number) => ({ orderId, status: 'created' as const, lines: [], fulfillment: 'merchant' as const, createdAt: new Date(ms).toISOString(), updatedAt: new Date(ms).toISOString() });
    const { fresh, next } = advanceOrderCursor({ sinceMs: 1000, seen: ['a'] }, [at('a', 1000), at('b', 1000), at('c', 2000)], undefined);
    expect(fresh.map((entry) => entry.orderId)).toEqual(['b', 'c']);
    expect(next).toEqual({ sinceMs: 2000, seen: ['c'] });
  });
});

describe('Walmart errors and notifications', () => {
  test('reads both the gateway "error" and the API "errors" bodies', () => {
    expect(parseWalmartError('{"error":[{"code":"UNAUTHORIZED.GMP_GATEWAY_API","field":"UNAUTHORIZED","description":"Unauthorized"}]}')).toEqual({ code: 'UNAUTHORIZED.GMP_GATEWAY_API', field: 'UNAUTHORIZED', description: 'Unauthorized' });
    expect(parseWalmartError('{"errors":[{"code":"CONTENT_NOT_FOUND.GMP_INVENTORY_API"}]}')).toEqual({ code: 'CONTENT_NOT_FOUND.GMP_INVENTORY_API' });
    expect(parseWalmartError('<html>')).toBeUndefined();
  });

  test('computes the wait from x-next-replenish-time in milliseconds or seconds', () => {
    expect(replenishWaitMs(new Headers({ 'x-next-replenish-time': '1700000002500' }), 1_700_000_000_000)).toBe(2500);
    expect(replenishWaitMs(new Headers({ 'X-Next-Replenishment-Time': '1700000003' }), 1_700_000_000_000)).toBe(3000);
    expect(replenishWaitMs(new Headers({ 'x-next-replenish-time': 'soon' }), 0)).toBeUndefined();
  });

  test('routes ORDER_UPDATES by subEventType and accepts the deprecated standalone events', () => {
    const envelope = (eventType: string, payload: Record<string, unknown>) => Buffer.from(JSON.stringify({ source: { eventType, eventTime: '2026-02-11T10:00:00Z', eventId: 'e1' }, payload }));
    expect(parseWalmartEvents(envelope('ORDER_UPDATES', { subEventType: 'PO_CREATED', order: order('Created') }))).toMatchObject({ ok: true, value: [{ eventId: 'e1', type: 'order.created', orderId: '1796277083022', order: { status: 'created' } }] });
    expect(parseWalmartEvents(envelope('ORDER_UPDATES', { subEventType: 'PO_LINE_AUTOCANCELLED', order: { purchaseOrderId: '9' } }))).toMatchObject({ ok: true, value: [{ type: 'order.cancelled', orderId: '9' }] });
    expect(parseWalmartEvents(envelope('PO_CREATED', { purchaseOrderId: '7' }))).toMatchObject({ ok: true, value: [{ type: 'order.created', orderId: '7' }] });
    expect(parseWalmartEvents(envelope('OFFER_UNPUBLISHED', {}))).toEqual({ ok: true, value: [] });
    expect(parseWalmartEvents(Buffer.from('{"payload":{}}'))).toMatchObject({ ok: false, error: { message: expect.stringContaining('source') } });
  });
});
