/**
 * Etsy's official OpenAPI model, loaded from the committed subset, compiled with ajv: the sandbox
 * validates every request body, query and response against it, and so do the tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext ESM the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const MODEL_ID = 'etsy-openapi';
const here = dirname(fileURLToPath(import.meta.url));

export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; parameters?: Array<{ name: string; in: string; required?: boolean; schema: object }>; requestBody?: { content: Record<string, { schema: object }> } }>>;
  components: { schemas: Record<string, object> };
}

export const etsyModel: OpenApiDocument = JSON.parse(readFileSync(join(here, 'schemas/etsy-openapi-subset.json'), 'utf8')) as OpenApiDocument;

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
addFormats(ajv);
// OpenAPI's numeric formats carry no constraint JSON Schema can check; ajv must merely know them.
for (const format of ['float', 'double', 'int32', 'int64']) ajv.addFormat(format, true);
// Etsy names ISO country codes by their standard's title instead of a JSON Schema format.
ajv.addFormat('ISO 3166-1 alpha-2', /^[A-Z]{2}$/);
ajv.addSchema({ $id: MODEL_ID, components: etsyModel.components });

const compiled = new Map<string, ValidateFunction>();

function compile(key: string, schema: object): ValidateFunction {
  const cached = compiled.get(key);
  if (cached) return cached;
  // Rewrite local refs so they resolve inside the registered model.
  const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${MODEL_ID}#/components/`)) as object;
  const validate = ajv.compile(rewritten);
  compiled.set(key, validate);
  return validate;
}

/** Human-readable list of what is wrong, naming each field. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`).join('; ');
}

type ModelOperation = (typeof etsyModel.paths)[string][string];
/** Operations by id, found once: the model has a few hundred and every request looks its own up. */
const operations = new Map<string, ModelOperation>();

function findOperation(operationId: string): ModelOperation {
  const known = operations.get(operationId);
  if (known) return known;
  for (const item of Object.values(etsyModel.paths)) {
    for (const operation of Object.values(item)) {
      if (operation.operationId !== operationId) continue;
      operations.set(operationId, operation);
      return operation;
    }
  }
  throw new Error(`the Etsy model has no operation ${operationId}`);
}

/** Validates a value against a named component schema (e.g. ListingInventory). */
export function validateComponent(name: string, value: unknown): string | undefined {
  const validate = compile(`component:${name}`, { $ref: `#/components/schemas/${name}` });
  return validate(value) ? undefined : describeErrors(validate.errors);
}

/** Validates an operation's JSON request body. */
export function validateRequestBody(operationId: string, body: unknown): string | undefined {
  const schema = findOperation(operationId).requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${operationId} has no JSON request body in the Etsy model`);
  const validate = compile(`request:${operationId}`, schema);
  return validate(body) ? undefined : describeErrors(validate.errors);
}

/** Validates an operation's 200 response body. */
export function validateResponse(operationId: string, body: unknown): string | undefined {
  const operation = findOperation(operationId) as { responses?: Record<string, { content?: Record<string, { schema: object }> }> };
  const schema = operation.responses?.['200']?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${operationId} has no JSON 200 response in the Etsy model`);
  const validate = compile(`response:${operationId}`, schema);
  return validate(body) ? undefined : describeErrors(validate.errors);
}

/**
 * Converts and validates query parameters as the official model declares them (integers,
 * booleans, enums, minimum and maximum), returning typed values or what is wrong.
 */
export function parseQuery(operationId: string, query: Record<string, unknown>): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const parameters = (findOperation(operationId).parameters ?? []).filter((parameter) => parameter.in === 'query');
  const value: Record<string, unknown> = {};
  for (const parameter of parameters) {
    const raw = query[parameter.name];
    if (raw === undefined || raw === '') continue;
    const schema = parameter.schema as { type?: string; items?: { type?: string } };
    let converted: unknown = raw;
    if (schema.type === 'integer') converted = /^-?\d+$/.test(String(raw)) ? Number(raw) : raw;
    else if (schema.type === 'boolean') converted = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (schema.type === 'array') {
      // Etsy takes arrays comma-separated (listing_ids=1,2,3); integer items are converted.
      const items = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => String(value).split(','));
      converted = schema.items?.type === 'integer' ? items.map((item) => (/^-?\d+$/.test(item) ? Number(item) : item)) : items;
    }
    const validate = compile(`query:${operationId}:${parameter.name}`, { ...parameter.schema, default: undefined });
    if (!validate(converted)) return { ok: false, message: `Invalid parameter ${parameter.name}: ${describeErrors(validate.errors).replace('(body) ', '')}` };
    value[parameter.name] = converted;
  }
  return { ok: true, value };
}
