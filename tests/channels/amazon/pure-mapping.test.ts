import { advanceOrderCursor, decodeOrderCursor, decodeQuantityCursor, encodeOrderCursor, encodeQuantityCursor, isAlreadySeen } from '../../../daemon/src/channels/amazon/cursor.js';
import { amazonFailure, isTokenRefusal } from '../../../daemon/src/channels/amazon/errors.js';
import { listingsFeedDocument, resultsFromProcessingReport } from '../../../daemon/src/channels/amazon/feed-document.js';
import { documentedWaitMs } from '../../../daemon/src/channels/amazon/limits.js';
import { merchantQuantityFromItem, parseSearchedItem, quantityPatch, refuseBeforeSending, resultFromSubmission } from '../../../daemon/src/channels/amazon/listings-mapping.js';
import { eventFromNotification, orderFromApi } from '../../../daemon/src/channels/amazon/orders-mapping.js';
import { schemaProblems } from '../../../daemon/src/sandbox/amazon/schema-validator.js';

const child = { sku: 'SHIRT-RED-M', identifiers: { productType: 'SHIRT', fulfillmentChannelCode: 'DEFAULT' }, parentSku: 'SHIRT' };
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text: JSON.stringify(body) });

describe('Amazon listings mapping', () => {
  test('a quantity patch replaces fulfillment_availability with the DEFAULT channel, as in Amazon’s feed example', () => {
    expect(quantityPatch('SHIRT', 7)).toEqual({ productType: 'SHIRT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] }] });
    expect(schemaProblems('listings-items-2021-08-01', 'ListingsItemPatchRequest', quantityPatch('SHIRT', 7))).toEqual([]);
  });

  test('an FBA listing, a parent and a negative quantity are refused before any call', () => {
    expect(refuseBeforeSending({ listing: { sku: 'F', identifiers: { fulfillmentChannelCode: 'AMAZON_NA' } }, quantity: 1, version: 1 }, 100)?.error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(refuseBeforeSending({ listing: { sku: 'P', identifiers: { parentage: 'parent' } }, quantity: 1, version: 1 }, 100)?.status).toBe('failed');
    expect(refuseBeforeSending({ listing: child, quantity: -1, version: 1 }, 100)?.status).toBe('failed');
    expect(refuseBeforeSending({ listing: child, quantity: 3, version: 1 }, 100)).toBeUndefined();
  });

  test('ACCEPTED is accepted with its submission id and INVALID fails with Amazon’s issue', () => {
    const update = { listing: child, quantity: 3, version: 9 };
    expect(resultFromSubmission(update, { sku: child.sku, status: 'ACCEPTED', submissionId: 's1', issues: [] })).toEqual({ sku: child.sku, version: 9, status: 'accepted', submissionId: 's1' });
    const refused = resultFromSubmission(update, { sku: child.sku, status: 'INVALID', submissionId: 's2', issues: [{ code: '90220', message: 'bad', severity: 'ERROR' }] });
    expect(refused).toMatchObject({ status: 'failed', error: { code: 'invalid_request', marketplaceCode: '90220', retryable: false } });
    expect(resultFromSubmission(update, { nonsense: true }).error?.code).toBe('invalid_response');
  });

  test('a searched parent has no quantity, an FBA listing is left to the FBA read, a child keeps its parent', () => {
    const parent = parseSearchedItem({ sku: 'SHIRT', fulfillmentAvailability: [], relationships: [{ marketplaceId: 'M', relationships: [{ type: 'VARIATION', childSkus: ['SHIRT-RED-M'] }] }] });
    const fba = parseSearchedItem({ sku: 'F', fulfillmentAvailability: [{ fulfillmentChannelCode: 'AMAZON_NA' }] });
    const kid = parseSearchedItem({ sku: 'SHIRT-RED-M', summaries: [{ marketplaceId: 'M', productType: 'SHIRT', asin: 'B01' }], fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity: 4 }], relationships: [{ marketplaceId: 'M', relationships: [{ type: 'VARIATION', parentSkus: ['SHIRT'] }] }] });
    if (!parent.ok || !fba.ok || !kid.ok) throw new Error('items should parse');
    expect(merchantQuantityFromItem(parent.value)).toBeUndefined();
    expect(merchantQuantityFromItem(fba.value)).toBeUndefined();
    expect(merchantQuantityFromItem(kid.value)).toEqual({ listing: { sku: 'SHIRT-RED-M', parentSku: 'SHIRT', identifiers: { asin: 'B01', productType: 'SHIRT', fulfillmentChannelCode: 'DEFAULT' } }, quantity: 4 });
  });
});

describe('Amazon feed documents', () => {
  const updates = [{ listing: child, quantity: 5, version: 1 }, { listing: { sku: 'X', identifiers: {} }, quantity: 0, version: 2 }];

  test('the feed document validates against the official listings-feed-schema-v2', () => {
    const document = listingsFeedDocument('A1SELLER', updates);
    expect(schemaProblems('listings-feed-schema-v2', undefined, document)).toEqual([]);
    expect(document.messages.map((message) => [message.messageId, message.sku, message.productType])).toEqual([[1, 'SHIRT-RED-M', 'SHIRT'], [2, 'X', 'PRODUCT']]);
  });

  test('an empty feed and one above 25,000 messages are refused', () => {
    expect(() => listingsFeedDocument('A1', [])).toThrow(/1\.\.25000/);
    expect(() => listingsFeedDocument('A1', Array.from({ length: 25_001 }, () => updates[0]!))).toThrow(/25001/);
  });

  test('the processing report fails only the message with an ERROR issue', () => {
    const report = { header: { sellerId: 'A1', version: '2.0', feedId: 'F1' }, issues: [{ messageId: 2, sku: 'X', code: 'LISTING_NOT_FOUND', severity: 'ERROR', message: 'no such SKU' }, { messageId: 1, severity: 'WARNING', message: 'fine' }], summary: { errors: 1, warnings: 1, messagesProcessed: 2, messagesAccepted: 1, messagesInvalid: 1 } };
    expect(schemaProblems('listings-feed-processing-report-schema-v2', undefined, report)).toEqual([]);
    const results = resultsFromProcessingReport({ skus: [{ sku: 'SHIRT-RED-M', version: 1 }, { sku: 'X', version: 2 }] }, 'F1', report);
    expect(results.ok && results.value.map((result) => result.status)).toEqual(['applied', 'failed']);
    const withoutMemory = resultsFromProcessingReport(undefined, 'F1', { ...report, items: [{ sku: 'SHIRT-RED-M' }] });
    expect(withoutMemory.ok && withoutMemory.value.map((result) => `${result.sku}:${result.status}`)).toEqual(['SHIRT-RED-M:applied', 'X:failed']);
    expect(resultsFromProcessingReport(undefined, 'F1', { header: {} }).ok).toBe(false);
  });
});

describe('Amazon errors', () => {
  test('a 429 without Retry-After waits one token at the documented rate', () => {
    const error = amazonFailure(response(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] }), 'createFeed');
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, marketplaceCode: 'QuotaExceeded', retryAfterMs: documentedWaitMs('createFeed') });
    expect(documentedWaitMs('createFeed')).toBe(120_482);
    expect(documentedWaitMs('patchListingsItem')).toBe(200);
  });

  test('LWA invalid_client is unauthorized and not retryable, without echoing any secret', () => {
    const error = amazonFailure(response(401, { error_description: 'Client authentication failed', error: 'invalid_client' }), 'lwaToken');
    expect(error).toMatchObject({ code: 'unauthorized', retryable: false, marketplaceCode: 'invalid_client' });
  });

  test('only a 403 Unauthorized about the token counts as a stale token', () => {
    expect(isTokenRefusal(response(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided has expired.' }] }))).toBe(true);
    expect(isTokenRefusal(response(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] }))).toBe(false);
    expect(isTokenRefusal(response(400, { errors: [] }))).toBe(false);
  });
});

describe('Amazon cursors', () => {
  test('quantity cursors round-trip and refuse garbage with a clear message', () => {
    const text = encodeQuantityCursor({ phase: 'fba', token: 'abc' });
    expect(decodeQuantityCursor(text)).toEqual({ ok: true, value: { phase: 'fba', token: 'abc' } });
    expect(decodeQuantityCursor(undefined)).toEqual({ ok: true, value: { phase: 'listings' } });
    expect(decodeQuantityCursor('amzq1.!!!')).toMatchObject({ ok: false });
    expect(decodeQuantityCursor('other')).toMatchObject({ ok: false, message: expect.stringContaining('amzq1.') });
  });

  test('an order walk ends at the highest update time and skips the orders it already returned there', () => {
    const start = decodeOrderCursor('2026-01-01T00:00:00Z');
    if (!start.ok) throw new Error(start.message);
    const orders = [{ orderId: 'A', updatedAt: '2026-01-01T00:00:05.000Z' }, { orderId: 'B', updatedAt: '2026-01-01T00:00:09.000Z' }];
    const afterPage = advanceOrderCursor(start.value, orders, 'next');
    expect(afterPage).toMatchObject({ since: '2026-01-01T00:00:00.000Z', token: 'next' });
    const ended = advanceOrderCursor(afterPage, [{ orderId: 'C', updatedAt: '2026-01-01T00:00:09.000Z' }], undefined);
    expect(ended).toEqual({ since: '2026-01-01T00:00:09.000Z', seenAtSince: ['B', 'C'], seenAtHigh: [] });
    const decoded = decodeOrderCursor(encodeOrderCursor(ended));
    expect(decoded.ok && isAlreadySeen(decoded.value, { orderId: 'C', updatedAt: '2026-01-01T00:00:09Z' })).toBe(true);
    expect(decoded.ok && isAlreadySeen(decoded.value, { orderId: 'D', updatedAt: '2026-01-01T00:00:09Z' })).toBe(false);
    expect(decodeOrderCursor('yesterday')).toMatchObject({ ok: false });
  });
});

describe('Amazon orders mapping', () => {
  test('an AFN order is the marketplace’s and a cancelled one carries who asked', () => {
    const mapped = orderFromApi({ orderId: '111-1', createdTime: '2026-01-01T00:00:00Z', lastUpdatedTime: '2026-01-02T00:00:00Z', salesChannel: { channelName: 'AMAZON' }, fulfillment: { fulfillmentStatus: 'CANCELLED', fulfilledBy: 'AMAZON' }, orderItems: [{ orderItemId: '1', quantityOrdered: 2, product: { sellerSku: 'S' }, cancellation: { cancellationRequest: { requester: 'BUYER' } } }] });
    expect(mapped).toMatchObject({ ok: true, value: { status: 'cancelled', fulfillment: 'marketplace', lines: [{ sku: 'S', quantity: 2, cancelReason: 'buyer' }] } });
  });

  test('an ORDER_CHANGE body becomes an event keyed by NotificationId; other types are skipped; junk is an error', () => {
    const body = JSON.stringify({ NotificationVersion: '1.0', NotificationType: 'ORDER_CHANGE', PayloadVersion: '1.0', EventTime: '2026-01-01T00:00:00Z', Payload: { OrderChangeNotification: { NotificationLevel: 'OrderLevel', SellerId: 'A1', AmazonOrderId: '111-2', OrderChangeType: 'OrderStatusChange', OrderChangeTrigger: { TimeOfOrderChange: '2026-01-01T00:00:00Z', ChangeReason: 'OrderStatusChange' }, Summary: { MarketplaceId: 'M', OrderStatus: 'Canceled', PurchaseDate: null, DestinationPostalCode: null, FulfillmentType: 'MFN', OrderType: 'StandardOrder', OrderItems: [{ OrderItemId: '9', SellerSKU: 'S', SupplySourceId: null, Quantity: 1 }] } } }, NotificationMetadata: { ApplicationId: 'a', SubscriptionId: 's', PublishTime: '2026-01-01T00:00:00Z', NotificationId: 'n-1' } });
    expect(schemaProblems('order-change-notification', undefined, JSON.parse(body))).toEqual([]);
    expect(eventFromNotification(body)).toMatchObject({ ok: true, value: { eventId: 'n-1', type: 'order.cancelled', orderId: '111-2', order: { fulfillment: 'merchant' } } });
    expect(eventFromNotification(JSON.stringify({ NotificationType: 'ANY_OFFER_CHANGED' }))).toEqual({ ok: true, value: undefined });
    expect(eventFromNotification('{')).toMatchObject({ ok: false });
    expect(eventFromNotification(JSON.stringify({ NotificationType: 'ORDER_CHANGE' }))).toMatchObject({ ok: false, message: expect.stringContaining('malformed') });
  });
});
