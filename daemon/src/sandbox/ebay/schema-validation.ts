/**
 * Validation against eBay's official models: the JSON Schemas extracted from the OAS3 files into
 * ./schemas (see schemas/PROVENANCE.md) plus the fixtures written from the documentation where
 * no model exists. The sandbox checks requests with them, and the tests check its responses.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export const SCHEMA_NAMES = [
  'BulkPriceQuantity', 'BulkPriceQuantityResponse', 'InventoryItems', 'BulkGetInventoryItem', 'BulkGetInventoryItemResponse',
  'InventoryItemGroup', 'Offers', 'OrderSearchPagedCollection', 'Order', 'PublicKey', 'ErrorResponse.fixture', 'Notification.fixture',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');
// ajv-formats ships CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const compiled = new Map<SchemaName, ValidateFunction>();

function validatorFor(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(join(schemaDir, `${name}.json`), 'utf8')) as object);
    compiled.set(name, validate);
  }
  return validate;
}

/** Undefined when valid, otherwise the first problem as `path: message` (eBay names the field too). */
export function schemaProblem(name: SchemaName, value: unknown): string | undefined {
  const validate = validatorFor(name);
  if (validate(value)) return undefined;
  const [first] = validate.errors ?? [];
  if (!first) return 'invalid';
  const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
  return `${field} ${first.message ?? 'is invalid'}`;
}
