/**
 * Ajv validators over the committed schemas (extracted from the official Walmart model by
 * extract-schemas.ts, plus the documented fixtures for what the model does not cover). The
 * sandbox checks requests with them, and the tests check the sandbox's responses with them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const schemasDir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');
const SCHEMA_FILES = ['auth', 'inventory', 'feeds', 'orders', 'inventory-feed', 'order-updates-event'] as const;

/** The shapes the sandbox and its tests check, by name, with their schema references. */
export const WALMART_SHAPES = {
  tokenRequest: 'walmart-auth#/definitions/IAMTokenDTO',
  tokenResponse: 'walmart-auth#/definitions/OAuthToken',
  inventory: 'walmart-inventory#/definitions/Inventory',
  inventoriesPage: 'walmart-inventory#/definitions/MultiNodeInventoryFetchResponseDTO',
  feedId: 'walmart-inventory#/definitions/FeedId',
  feedStatus: 'walmart-feeds#/definitions/PartnerFeedResponse',
  gatewayError: 'walmart-feeds#/definitions/GatewayError',
  ordersPage: 'walmart-orders#/definitions/PurchaseOrderTypeV3',
  // The model declares `Order` for GET /v3/orders/{id}, but its own example and the live API wrap
  // the record as {order: ...}, which is the model's GetOrderResponse.
  order: 'walmart-orders#/definitions/GetOrderResponse',
  inventoryFeedV14: 'walmart-inventory-feed#/definitions/v14',
  inventoryFeedV15: 'walmart-inventory-feed#/definitions/v15',
  orderUpdatesEvent: 'walmart-order-updates-event',
} as const;
export type WalmartShape = keyof typeof WALMART_SHAPES;

let compiled: Map<WalmartShape, ValidateFunction> | undefined;

/** Compiles every validator once; later calls reuse them. */
export function compileWalmartSchemas(): void {
  validators();
}

function validators(): Map<WalmartShape, ValidateFunction> {
  if (compiled) return compiled;
  // OpenAPI 3.0 schemas carry keywords (nullable, descriptions with formats) JSON Schema's strict mode rejects.
  const ajv = new Ajv({ strict: false, allErrors: false });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (instance: Ajv) => void;
  addFormats(ajv);
  ajv.addFormat('int32', true).addFormat('int64', true).addFormat('binary', true);
  for (const name of SCHEMA_FILES) ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, `${name}.json`), 'utf8')) as object);
  compiled = new Map();
  for (const [shape, ref] of Object.entries(WALMART_SHAPES) as Array<[WalmartShape, string]>) {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`Walmart schema ${ref} is missing from daemon/src/sandbox/walmart/schemas`);
    compiled.set(shape, validate);
  }
  return compiled;
}

/** Problems with `value` as the named shape, as `path: message` lines; empty when it conforms. */
export function walmartShapeProblems(shape: WalmartShape, value: unknown): string[] {
  const validate = validators().get(shape)!;
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 5).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
}
