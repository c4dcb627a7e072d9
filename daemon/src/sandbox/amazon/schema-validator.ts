/**
 * Validation against Amazon's official models, loaded from the committed copies in schemas/
 * (see extract-schemas.ts for where they come from). One ajv instance holds them all; callers
 * name a definition, e.g. validate('listings-items-2021-08-01', 'ListingsItemPatchRequest', body).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');
const ID_PREFIX = 'https://shelfguard.local/amazon/';
/** Issues reported per refusal; Amazon's own messages name the first problems, not all of them. */
const ISSUES_REPORTED_MAX = 5;

export type SchemaName = 'listings-items-2021-08-01' | 'feeds-2021-06-30' | 'reports-2021-06-30' | 'orders-2026-01-01' | 'fba-inventory-v1' | 'listings-feed-schema-v2' | 'listings-feed-processing-report-schema-v2' | 'order-change-notification';

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  // strict: false because Swagger 2.0 definitions carry keywords JSON Schema does not know (example).
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  const addFormats = addFormatsModule as unknown as (target: Ajv) => Ajv;
  addFormats(ajv);
  for (const file of readdirSync(schemaDir).filter((name) => name.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object);
  return ajv;
}

/** Problems with `value` against the named schema (or one of its definitions); empty when valid. */
export function schemaProblems(schema: SchemaName, definition: string | undefined, value: unknown): string[] {
  const ref = `${ID_PREFIX}${schema}.json${definition ? `#/definitions/${definition}` : ''}`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = instance().getSchema(ref);
    if (!validate) throw new Error(`no schema ${ref}`);
    compiled.set(ref, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, ISSUES_REPORTED_MAX).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`);
}
