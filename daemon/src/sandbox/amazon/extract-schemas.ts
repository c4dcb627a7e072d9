/**
 * Derives the JSON Schemas the Amazon sandbox validates with from Amazon's official models in
 * ../shared/specs/amazon (selling-partner-api-models @34dc93f, Apache-2.0; provenance in
 * shared/specs/SOURCES.md). Swagger 2.0 `definitions` are JSON Schema draft-04 with extensions,
 * so each model's definitions are copied with the `x-*` vendor keys removed, under an `$id` that
 * lets ajv resolve `#/definitions/...` references. The results are committed under schemas/ so
 * the sandbox works from a fresh clone where ../shared is absent.
 *
 * Run from the repository root: npx tsx daemon/src/sandbox/amazon/extract-schemas.ts [specsDir]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const specsDir = resolve(process.argv[2] ?? join(here, '../../../../../shared/specs/amazon'));
const outDir = join(here, 'schemas');
const SNAPSHOT = 'amzn/selling-partner-api-models @34dc93fe45f37c9a0b2e56823c808f68b4f81754';

const MODELS: Array<{ file: string; id: string }> = [
  { file: 'listingsItems_2021-08-01.json', id: 'listings-items-2021-08-01' },
  { file: 'feeds_2021-06-30.json', id: 'feeds-2021-06-30' },
  { file: 'reports_2021-06-30.json', id: 'reports-2021-06-30' },
  { file: 'orders_2026-01-01.json', id: 'orders-2026-01-01' },
  { file: 'fbaInventory.json', id: 'fba-inventory-v1' },
];
const PLAIN_SCHEMAS: Array<{ file: string; id: string }> = [
  { file: 'schemas/listings-feed-schema-v2.json', id: 'listings-feed-schema-v2' },
  { file: 'schemas/listings-feed-processing-report-schema-v2.json', id: 'listings-feed-processing-report-schema-v2' },
  { file: 'schemas/OrderChangeNotification.json', id: 'order-change-notification' },
];

function withoutVendorKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVendorKeys);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (!key.startsWith('x-')) copy[key] = withoutVendorKeys(child);
  return copy;
}

for (const model of MODELS) {
  const spec = JSON.parse(readFileSync(join(specsDir, model.file), 'utf8')) as { swagger?: string; definitions?: Record<string, unknown> };
  if (spec.swagger !== '2.0' || !spec.definitions) throw new Error(`${model.file} is not a Swagger 2.0 model with definitions`);
  const schema = {
    $id: `https://shelfguard.local/amazon/${model.id}.json`,
    $comment: `Definitions of ${model.file} from ${SNAPSHOT} (models/), Apache-2.0, with x-* vendor keys removed by extract-schemas.ts.`,
    definitions: withoutVendorKeys(spec.definitions),
  };
  writeFileSync(join(outDir, `${model.id}.json`), JSON.stringify(schema, null, 1) + '\n');
}
for (const plain of PLAIN_SCHEMAS) {
  const schema = JSON.parse(readFileSync(join(specsDir, plain.file), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = `https://shelfguard.local/amazon/${plain.id}.json`;
  schema.$comment = `${plain.file} from ${SNAPSHOT} (schemas/), Apache-2.0, copied unchanged except $id.`;
  writeFileSync(join(outDir, `${plain.id}.json`), JSON.stringify(schema, null, 1) + '\n');
}
process.stdout.write(`wrote ${MODELS.length + PLAIN_SCHEMAS.length} schemas to ${outDir}\n`);
