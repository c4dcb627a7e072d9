import { decodeOrderCursor, decodeQuantityCursor, encodeOrderCursor, nextOrderCursor } from '../../../daemon/src/channels/etsy/cursors.js';
import { moneyToPrice, planInventoryUpdate, quantitiesOf } from '../../../daemon/src/channels/etsy/inventory-update.js';
import type { EtsyInventory } from '../../../daemon/src/channels/etsy/inventory-types.js';
import { buildAuthorizationUrl, codeChallengeS256, codeVerifierFrom } from '../../../daemon/src/channels/etsy/pkce.js';
import { receiptToOrder, receiptSchema } from '../../../daemon/src/channels/etsy/receipt-mapping.js';
import { parseWebhook } from '../../../daemon/src/channels/etsy/webhook-events.js';

const shirt: EtsyInventory = {
  products: [
    { product_id: 11, sku: 'TSHIRT-RED-M', is_deleted: false, property_values: [{ property_id: 200, property_name: 'Primary color', scale_id: null, value_ids: [1213], values: ['Red'] }],
      offerings: [{ offering_id: 111, quantity: 5, is_enabled: true, is_deleted: false, price: { amount: 1999, divisor: 100, currency_code: 'USD' } }] },
    { product_id: 12, sku: 'TSHIRT-BLUE-M', is_deleted: false, property_values: [{ property_id: 200, property_name: 'Primary color', scale_id: null, value_ids: [1214], values: ['Blue'] }],
      offerings: [{ offering_id: 121, quantity: 2, is_enabled: false, is_deleted: false, price: { amount: 2450, divisor: 100, currency_code: 'USD' } }] },
  ],
  price_on_property: [200],
  quantity_on_property: [200],
  sku_on_property: [200],
};

describe('Etsy inventory read before write', () => {
  test('changes only the quantity of the product whose SKU matches and keeps prices and property values', () => {
    const plan = planInventoryUpdate(shirt, new Map([['TSHIRT-BLUE-M', 9]]));
    expect(plan).toMatchObject({ ok: true, applied: ['TSHIRT-BLUE-M'], missing: [] });
    if (!plan.ok) return;
    expect(plan.body).toEqual({
      products: [
        { sku: 'TSHIRT-RED-M', property_values: [{ property_id: 200, property_name: 'Primary color', scale_id: null, value_ids: [1213], values: ['Red'] }], offerings: [{ price: 19.99, quantity: 5, is_enabled: true }] },
        { sku: 'TSHIRT-BLUE-M', property_values: [{ property_id: 200, property_name: 'Primary color', scale_id: null, value_ids: [1214], values: ['Blue'] }], offerings: [{ price: 24.5, quantity: 9, is_enabled: false }] },
      ],
      price_on_property: [200], quantity_on_property: [200], sku_on_property: [200],
    });
  });

  test('strips the read-only product_id, offering_id and is_deleted and turns Money into a float', () => {
    const plan = planInventoryUpdate(shirt, new Map([['TSHIRT-RED-M', 0]]));
    const text = JSON.stringify(plan.ok && plan.body);
    for (const field of ['product_id', 'offering_id', 'is_deleted', 'amount', 'divisor']) expect(text).not.toContain(field);
  });

  test('reports a SKU the listing does not have as missing and still writes nothing else', () => {
    const plan = planInventoryUpdate(shirt, new Map([['NOT-HERE', 3]]));
    expect(plan).toMatchObject({ ok: true, applied: [], missing: ['NOT-HERE'] });
  });

  test('leaves deleted products out of the written inventory', () => {
    const withDeleted: EtsyInventory = { ...shirt, products: [...shirt.products, { ...shirt.products[0]!, sku: 'OLD', is_deleted: true }] };
    const plan = planInventoryUpdate(withDeleted, new Map([['TSHIRT-RED-M', 1]]));
    expect(plan.ok && plan.body.products.map((product) => product.sku)).toEqual(['TSHIRT-RED-M', 'TSHIRT-BLUE-M']);
  });

  test.each([[{ amount: 1999, divisor: 100 }, 19.99], [{ amount: 5, divisor: 1 }, 5], [{ amount: 12345, divisor: 1000 }, 12.345]])('turns Money %j into the price %d', (money, price) => {
    expect(moneyToPrice({ ...money, currency_code: 'USD' })).toBe(price);
  });

  test('reads the quantity of each enabled offering per SKU, skipping products without a SKU', () => {
    const noSku: EtsyInventory = { products: [...shirt.products, { sku: null, offerings: [{ quantity: 4, is_enabled: true, price: { amount: 1, divisor: 1, currency_code: 'USD' } }], property_values: [] }] };
    expect(quantitiesOf(noSku)).toEqual([{ sku: 'TSHIRT-RED-M', productId: 11, quantity: 5 }, { sku: 'TSHIRT-BLUE-M', productId: 12, quantity: 0 }]);
  });
});

describe('Etsy cursors', () => {
  test('starts reading orders from an ISO time in Unix seconds', () => {
    expect(decodeOrderCursor('2026-01-01T00:00:10.900Z')).toEqual({ ok: true, value: { kind: 'etsy.receipts', sinceSeconds: 1767225610, seen: [], offset: 0 } });
  });

  test('moves past the newest second and remembers what it returned at that second', () => {
    const start = { kind: 'etsy.receipts' as const, sinceSeconds: 100, seen: [], offset: 0 };
    expect(nextOrderCursor(start, [{ key: 'a', updatedSeconds: 101 }, { key: 'b', updatedSeconds: 105 }, { key: 'c', updatedSeconds: 105 }])).toEqual({ kind: 'etsy.receipts', sinceSeconds: 105, seen: ['b', 'c'], offset: 0 });
  });

  test('pages by offset when a whole page shares the cursor second', () => {
    const start = { kind: 'etsy.receipts' as const, sinceSeconds: 100, seen: ['a'], offset: 0 };
    expect(nextOrderCursor(start, [{ key: 'a', updatedSeconds: 100 }, { key: 'b', updatedSeconds: 100 }])).toEqual({ kind: 'etsy.receipts', sinceSeconds: 100, seen: ['a', 'b'], offset: 2 });
  });

  test('round-trips a cursor and refuses one that is not an Etsy cursor, saying why', () => {
    const cursor = { kind: 'etsy.receipts' as const, sinceSeconds: 1, seen: ['1@1:paid'], offset: 0 };
    expect(decodeOrderCursor(encodeOrderCursor(cursor))).toEqual({ ok: true, value: cursor });
    expect(decodeOrderCursor('not a cursor')).toMatchObject({ ok: false, message: expect.stringContaining('not an Etsy') });
    expect(decodeQuantityCursor(Buffer.from('{"kind":"etsy.listings","stateIndex":9,"offset":0}').toString('base64url'))).toMatchObject({ ok: false, message: expect.stringContaining('stateIndex') });
  });
});

describe('Etsy receipts as orders', () => {
  const receipt = receiptSchema.parse({ receipt_id: 42, status: 'paid', is_shipped: false, create_timestamp: 1_767_225_600, update_timestamp: 1_767_225_660, transactions: [{ transaction_id: 7, sku: 'TSHIRT-RED-M', quantity: 2 }] });

  test('maps a paid receipt to a created order with one line per transaction', () => {
    expect(receiptToOrder(receipt)).toEqual({ orderId: '42', status: 'created', fulfillment: 'merchant', lines: [{ lineId: '7', sku: 'TSHIRT-RED-M', quantity: 2 }], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:01:00.000Z' });
  });

  test.each([['canceled', false, 'cancelled'], ['completed', true, 'shipped'], ['fully refunded', true, 'return_received'], ['fully refunded', false, 'cancelled'], ['partially refunded', true, 'shipped']])('maps status %s (shipped %s) to %s', (status, isShipped, expected) => {
    expect(receiptToOrder({ ...receipt, status: status as 'paid', is_shipped: isShipped }).status).toBe(expected);
  });
});

describe('Etsy webhook payloads', () => {
  test('reads the flat shape Etsy delivers into an order.created event keyed by the webhook id', () => {
    const body = Buffer.from(JSON.stringify({ event_type: 'order.paid', resource_url: 'https://api.etsy.com/v3/application/shops/123/receipts/456', shop_id: '123' }));
    expect(parseWebhook(body, 'msg_1', 1_767_225_600)).toEqual({ ok: true, events: [{ eventId: 'msg_1', type: 'order.created', occurredAt: '2026-01-01T00:00:00.000Z', orderId: '456' }] });
  });

  test('also reads the documented {event_id, created_at, data} shape', () => {
    const body = Buffer.from(JSON.stringify({ event_type: 'order.canceled', event_id: 'e1', created_at: '2026-01-02T00:00:00Z', data: { resource_url: 'https://api.etsy.com/v3/application/shops/1/receipts/9' } }));
    expect(parseWebhook(body, 'msg_2', 0)).toMatchObject({ ok: true, events: [{ type: 'order.cancelled', orderId: '9', occurredAt: '2026-01-02T00:00:00.000Z' }] });
  });

  test('acknowledges an event type it does not act on with no events, and names a body that is not JSON', () => {
    expect(parseWebhook(Buffer.from('{"event_type":"listing.updated"}'), 'm', 0)).toEqual({ ok: true, events: [] });
    expect(parseWebhook(Buffer.from('nope'), 'm', 0)).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
  });
});

describe('Etsy OAuth PKCE', () => {
  test('derives the S256 code challenge as base64url(SHA-256(verifier)), checked with WebCrypto', async () => {
    const verifier = codeVerifierFrom(new Uint8Array(48).map((_, index) => index * 5));
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    expect(codeChallengeS256(verifier)).toBe(digest.toString('base64url'));
    expect(codeChallengeS256(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('builds the /oauth/connect URL with S256 and the scopes the connector needs', () => {
    const verifier = codeVerifierFrom(new Uint8Array(32).fill(7));
    const url = new URL(buildAuthorizationUrl({ connectBaseUrl: 'https://www.etsy.com', keystring: 'key', redirectUri: 'https://shop.example/cb', state: 's1', codeVerifier: verifier }));
    expect(url.pathname).toBe('/oauth/connect');
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: 'key', redirect_uri: 'https://shop.example/cb', scope: 'listings_r listings_w transactions_r shops_r', state: 's1', code_challenge: codeChallengeS256(verifier), code_challenge_method: 'S256' });
  });
});
