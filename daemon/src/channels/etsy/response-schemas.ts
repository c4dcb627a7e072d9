/** The parts of Etsy's responses the connector relies on, checked at the edge (official model names). */
import { z } from 'zod';

const moneySchema = z.object({ amount: z.number().int(), divisor: z.number().int().min(1), currency_code: z.string() }).passthrough();
const propertyValueSchema = z.object({
  property_id: z.number().int().min(1),
  property_name: z.string().nullable().optional(),
  scale_id: z.number().int().nullable().optional(),
  scale_name: z.string().nullable().optional(),
  value_ids: z.array(z.number().int()),
  values: z.array(z.string()),
}).passthrough();
const offeringSchema = z.object({
  offering_id: z.number().int().optional(),
  quantity: z.number().int().min(0),
  is_enabled: z.boolean(),
  is_deleted: z.boolean().optional(),
  price: moneySchema,
}).passthrough();
const productSchema = z.object({
  product_id: z.number().int().optional(),
  sku: z.string().nullable().optional(),
  is_deleted: z.boolean().optional(),
  offerings: z.array(offeringSchema),
  property_values: z.array(propertyValueSchema).default([]),
}).passthrough();

export const inventorySchema = z.object({
  products: z.array(productSchema),
  price_on_property: z.array(z.number().int()).optional(),
  quantity_on_property: z.array(z.number().int()).optional(),
  sku_on_property: z.array(z.number().int()).optional(),
}).passthrough();

export const listingsPageSchema = z.object({
  count: z.number().int().min(0),
  results: z.array(z.object({ listing_id: z.number().int().min(1), state: z.string().optional(), inventory: inventorySchema.optional() }).passthrough()),
}).passthrough();
