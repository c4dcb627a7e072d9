/**
 * What updateListingInventory accepts, beyond the official model's shapes: Etsy refuses read-only
 * fields sent back (product_id, offering_id, is_deleted, price as a Money object), prices outside
 * 0.20..50,000.00, quantities outside 0..999, duplicate or inconsistent property values, and
 * *_on_property ids that no product varies on (marketplaces.md §5.2). The sandbox also refuses
 * bodies that drop or add products, because a Shelfguard push must only ever change quantities:
 * a connector that loses variations would destroy the seller's listing on the real Etsy.
 */
import type { EtsyListingView } from './sandbox-catalog.js';
import { propertyValuesOf } from './sandbox-catalog.js';

export const ETSY_PRICE_MIN = 0.2;
export const ETSY_PRICE_MAX = 50_000;
export const ETSY_QUANTITY_MAX = 999;

interface ProductBody {
  sku?: string | null;
  property_values?: Array<{ property_id: number; value_ids: number[]; values: string[] }>;
  offerings: Array<{ price: number; quantity: number; is_enabled: boolean }>;
}
export interface InventoryBody {
  products: ProductBody[];
  price_on_property?: number[];
  quantity_on_property?: number[];
  sku_on_property?: number[];
}

export type InventoryCheck = { ok: true; changes: Array<{ sku: string; quantity: number; price: string }> } | { ok: false; error: string };

const READ_ONLY_PRODUCT_FIELDS = ['product_id', 'is_deleted'];
const READ_ONLY_OFFERING_FIELDS = ['offering_id', 'is_deleted'];

export function checkInventoryUpdate(view: EtsyListingView, raw: Record<string, unknown>): InventoryCheck {
  const body = raw as unknown as InventoryBody;
  if (body.products.length === 0) return { ok: false, error: 'products must contain at least one product' };
  const combos = new Set<string>();
  const skus = new Set<string>();
  const changes: Array<{ sku: string; quantity: number; price: string }> = [];
  const propertySets = new Set<string>();
  for (const [index, product] of body.products.entries()) {
    const at = `products[${index}]`;
    const readOnly = READ_ONLY_PRODUCT_FIELDS.find((field) => field in (product as object));
    if (readOnly) return { ok: false, error: `${at}.${readOnly} is a read-only field and cannot be set` };
    if (product.offerings.length !== 1) return { ok: false, error: `${at} must have exactly one offering, got ${product.offerings.length}` };
    const offering = product.offerings[0]!;
    const offeringReadOnly = READ_ONLY_OFFERING_FIELDS.find((field) => field in (offering as object));
    if (offeringReadOnly) return { ok: false, error: `${at}.offerings[0].${offeringReadOnly} is a read-only field and cannot be set` };
    if (!(offering.price >= ETSY_PRICE_MIN && offering.price <= ETSY_PRICE_MAX) || Math.round(offering.price * 100) !== Number((offering.price * 100).toFixed(6))) {
      return { ok: false, error: `${at}.offerings[0].price must be between ${ETSY_PRICE_MIN.toFixed(2)} and ${ETSY_PRICE_MAX.toFixed(2)} with at most two decimals, got ${offering.price}` };
    }
    if (offering.quantity < 0 || offering.quantity > ETSY_QUANTITY_MAX) return { ok: false, error: `${at}.offerings[0].quantity must be between 0 and ${ETSY_QUANTITY_MAX}, got ${offering.quantity}` };
    const values = product.property_values ?? [];
    const combo = JSON.stringify(values.map((value) => [value.property_id, value.value_ids]).sort());
    if (combos.has(combo)) return { ok: false, error: `${at} repeats the property values of another product` };
    combos.add(combo);
    propertySets.add(JSON.stringify(values.map((value) => value.property_id).sort()));
    if (product.sku) {
      if (skus.has(product.sku)) return { ok: false, error: `${at}.sku ${product.sku} appears twice` };
      skus.add(product.sku);
    }
    changes.push({ sku: product.sku ?? '', quantity: offering.quantity, price: offering.price.toFixed(2) });
  }
  if (propertySets.size > 1) return { ok: false, error: 'every product must have values for the same properties' };
  const productPropertyIds = new Set((body.products[0]!.property_values ?? []).map((value) => value.property_id));
  for (const field of ['price_on_property', 'quantity_on_property', 'sku_on_property'] as const) {
    const stray = (body[field] ?? []).find((id) => !productPropertyIds.has(id));
    if (stray !== undefined) return { ok: false, error: `${field} names property ${stray}, which no product has values for` };
  }
  return compareWithListing(view, body, changes);
}

/** The sandbox-specific guard: same products, same property values; only offerings may change. */
function compareWithListing(view: EtsyListingView, body: InventoryBody, changes: Array<{ sku: string; quantity: number; price: string }>): InventoryCheck {
  const bySku = new Map(view.products.map((product) => [product.sku, product]));
  const dropped = view.products.filter((product) => !changes.some((change) => change.sku === product.sku));
  if (dropped.length > 0) return { ok: false, error: `the sandbox refuses an inventory that drops products (${dropped.map((product) => product.sku).join(', ')}); send every product back` };
  for (const [index, product] of body.products.entries()) {
    const existing = bySku.get(product.sku ?? '');
    if (!existing) return { ok: false, error: `products[${index}].sku ${product.sku ?? '(none)'} is not a product of listing ${view.listingId}; the sandbox does not create products` };
    const expected = JSON.stringify(propertyValuesOf(view, existing).map((value) => [value.property_id, value.value_ids, value.values]));
    const sent = JSON.stringify((product.property_values ?? []).map((value) => [value.property_id, value.value_ids, value.values]));
    if (expected !== sent) return { ok: false, error: `products[${index}].property_values differ from the listing's; the sandbox does not change variations` };
  }
  return { ok: true, changes };
}
