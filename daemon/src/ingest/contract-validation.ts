/**
 * Validation against the wire contracts in contracts/ (the schemas both the plugin and the daemon
 * test against). Errors name the field and what was expected.
 */
import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const contractsDir = new URL('../../../contracts/', import.meta.url);

type AjvInstance = InstanceType<typeof Ajv2020.default>;
let ajv: AjvInstance | undefined;

function compiler(): AjvInstance {
  if (ajv) return ajv;
  ajv = new Ajv2020.default({ allErrors: false, strict: false });
  (addFormatsModule as unknown as { default: (instance: AjvInstance) => void }).default(ajv);
  for (const file of ['events.schema.json', 'adjustments.schema.json']) {
    ajv.addSchema(JSON.parse(readFileSync(new URL(file, contractsDir), 'utf8')) as object, file);
  }
  return ajv;
}

function compile(ref: string): ValidateFunction {
  const validate = compiler().getSchema(ref);
  if (!validate) throw new Error(`contract schema ${ref} not found`);
  return validate;
}

export function describeErrors(errors: ErrorObject[] | null | undefined, prefix = ''): string {
  const error = errors?.[0];
  if (!error) return 'invalid';
  const where = `${prefix}${error.instancePath || ''}` || '(root)';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where}: unexpected field ${JSON.stringify(params.additionalProperty)}`;
  if (error.keyword === 'required') return `${where}: missing field ${JSON.stringify(params.missingProperty)}`;
  if (error.keyword === 'enum' || error.keyword === 'const') return `${where}: must be one of ${JSON.stringify(params.allowedValues ?? params.allowedValue)}`;
  return `${where}: ${error.message ?? 'invalid'}`;
}

const eventTypes = ['stock.set', 'order.line.reduced', 'order.line.restored', 'order.line.refunded', 'stock.held', 'product.upserted', 'product.deleted'] as const;
const definitionFor: Record<string, string> = {
  'stock.set': 'stockSet', 'order.line.reduced': 'orderLine', 'order.line.restored': 'orderLine', 'order.line.refunded': 'orderLineRefunded',
  'stock.held': 'stockHeld', 'product.upserted': 'productUpserted', 'product.deleted': 'productDeleted',
};

/** The envelope without its events: `site` and an events array of 1..500. */
export function validateEnvelope(body: unknown): { ok: true; site: string; events: unknown[] } | { ok: false; message: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: '(root): must be a JSON object with site and events' };
  const record = body as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => key !== 'site' && key !== 'events');
  if (extra !== undefined) return { ok: false, message: `(root): unexpected field ${JSON.stringify(extra)}` };
  if (typeof record.site !== 'string' || record.site.length === 0 || record.site.length > 200) return { ok: false, message: '/site: must be a string of 1 to 200 characters' };
  if (!Array.isArray(record.events)) return { ok: false, message: '/events: must be an array' };
  if (record.events.length === 0 || record.events.length > 500) return { ok: false, message: `/events: must hold 1 to 500 events, got ${record.events.length}` };
  return { ok: true, site: record.site, events: record.events };
}

/** One event, checked against the definition of its type so the message names the real field. */
export function validateEvent(event: unknown, index: number): { ok: true } | { ok: false; message: string } {
  const prefix = `/events/${index}`;
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return { ok: false, message: `${prefix}: must be an object` };
  const type = (event as Record<string, unknown>).type;
  if (typeof type !== 'string' || !(eventTypes as readonly string[]).includes(type)) return { ok: false, message: `${prefix}/type: must be one of ${JSON.stringify(eventTypes)}` };
  const validate = compile(`events.schema.json#/$defs/${definitionFor[type]}`);
  return validate(event) ? { ok: true } : { ok: false, message: describeErrors(validate.errors, prefix) };
}

export function validateAdjustments(body: unknown): { ok: true } | { ok: false; message: string } {
  const validate = compile('adjustments.schema.json');
  return validate(body) ? { ok: true } : { ok: false, message: describeErrors(validate.errors) };
}
