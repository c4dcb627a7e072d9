#!/usr/bin/env node
// Validates a payload file against one of the wire contracts; used by the PHP tests so that
// both sides are checked against the same schema.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const [kind, file] = process.argv.slice(2);
const schemas = { events: 'events.schema.json', adjustments: 'adjustments.schema.json' };
if (!kind || !(kind in schemas) || !file) {
  process.stderr.write('usage: node contracts/validate.mjs <events|adjustments> <file.json|->\n');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, schemas[kind]), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);
const payload = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
if (validate(payload)) {
  process.stdout.write('valid\n');
  process.exit(0);
}
for (const error of validate.errors ?? []) process.stdout.write(`${error.instancePath || '/'} ${error.message}\n`);
process.exit(1);
