/** Etsy inventory shapes as the official model describes them (ListingInventory and friends). */

export interface EtsyMoney {
  amount: number;
  divisor: number;
  currency_code: string;
}

export interface EtsyPropertyValue {
  property_id: number;
  property_name?: string | null;
  scale_id?: number | null;
  scale_name?: string | null;
  value_ids: number[];
  values: string[];
}

export interface EtsyOffering {
  offering_id?: number;
  quantity: number;
  is_enabled: boolean;
  is_deleted?: boolean;
  price: EtsyMoney;
}

export interface EtsyProduct {
  product_id?: number;
  sku?: string | null;
  is_deleted?: boolean;
  offerings: EtsyOffering[];
  property_values: EtsyPropertyValue[];
}

export interface EtsyInventory {
  products: EtsyProduct[];
  price_on_property?: number[];
  quantity_on_property?: number[];
  sku_on_property?: number[];
}

/** The updateListingInventory request body: read-only fields stripped, price as a float. */
export interface EtsyInventoryUpdate {
  products: Array<{
    sku: string | null;
    property_values: Array<{ property_id: number; value_ids: number[]; values: string[]; property_name?: string; scale_id?: number | null }>;
    offerings: Array<{ price: number; quantity: number; is_enabled: boolean }>;
  }>;
  price_on_property: number[];
  quantity_on_property: number[];
  sku_on_property: number[];
}
