/**
 * Read before write, as a pure function: takes the inventory Etsy returned and the quantities to
 * publish by SKU, and builds the full-replacement body that changes nothing but those quantities.
 * Prices, property values, enabled flags and every other product stay exactly as they were.
 */
import type { EtsyInventory, EtsyInventoryUpdate, EtsyMoney } from './inventory-types.js';

export type InventoryUpdatePlan =
  | { ok: true; body: EtsyInventoryUpdate; applied: string[]; missing: string[] }
  | { ok: false; message: string };

/** Etsy answers Money {amount, divisor}; it takes a float price back. Exact to the divisor. */
export function moneyToPrice(money: EtsyMoney): number {
  if (!Number.isInteger(money.amount) || !Number.isInteger(money.divisor) || money.divisor <= 0) {
    throw new RangeError(`price must be integer amount over a positive divisor, got ${money.amount}/${money.divisor}`);
  }
  const decimals = Math.max(0, Math.round(Math.log10(money.divisor)));
  return Number((money.amount / money.divisor).toFixed(decimals));
}

export function planInventoryUpdate(inventory: EtsyInventory, quantities: ReadonlyMap<string, number>): InventoryUpdatePlan {
  const applied: string[] = [];
  const products: EtsyInventoryUpdate['products'] = [];
  for (const product of inventory.products) {
    if (product.is_deleted) continue; // deleted products are not part of the live inventory
    const sku = product.sku ?? null;
    const target = sku !== null ? quantities.get(sku) : undefined;
    if (product.offerings.length === 0) return { ok: false, message: `product ${sku ?? '(no sku)'} has no offering to keep` };
    const offerings: EtsyInventoryUpdate['products'][number]['offerings'] = [];
    for (const offering of product.offerings) {
      if (offering.is_deleted) continue;
      let price: number;
      try {
        price = moneyToPrice(offering.price);
      } catch (error) {
        return { ok: false, message: `product ${sku ?? '(no sku)'}: ${(error as Error).message}` };
      }
      offerings.push({ price, quantity: target ?? offering.quantity, is_enabled: offering.is_enabled });
    }
    if (target !== undefined && sku !== null) applied.push(sku);
    products.push({
      sku,
      property_values: product.property_values.map((value) => ({
        property_id: value.property_id,
        value_ids: [...value.value_ids],
        values: [...value.values],
        ...(value.property_name ? { property_name: value.property_name } : {}),
        ...(value.scale_id !== undefined ? { scale_id: value.scale_id } : {}),
      })),
      offerings,
    });
  }
  const missing = [...quantities.keys()].filter((sku) => !applied.includes(sku));
  return {
    ok: true,
    applied,
    missing,
    body: {
      products,
      price_on_property: [...(inventory.price_on_property ?? [])],
      quantity_on_property: [...(inventory.quantity_on_property ?? [])],
      sku_on_property: [...(inventory.sku_on_property ?? [])],
    },
  };
}

/** The quantity of each SKU'd product: what a listing shows for each sellable child. */
export function quantitiesOf(inventory: EtsyInventory): Array<{ sku: string; productId?: number; quantity: number }> {
  const result: Array<{ sku: string; productId?: number; quantity: number }> = [];
  for (const product of inventory.products) {
    // A product without a SKU cannot be matched to the ledger; parents have no product of their own.
    if (product.is_deleted || !product.sku) continue;
    const quantity = product.offerings.filter((offering) => !offering.is_deleted && offering.is_enabled).reduce((sum, offering) => sum + offering.quantity, 0);
    result.push({ sku: product.sku, ...(product.product_id ? { productId: product.product_id } : {}), quantity });
  }
  return result;
}
