/**
 * Extracts the JSON Schemas the Walmart sandbox validates with from the official OpenAPI files in
 * ../shared/specs/walmart, and writes them as committed data under ./schemas/. The sandbox loads
 * the committed copies, so it works from a fresh clone where ../shared is absent.
 *
 * Run from the repository root: `npx tsx daemon/src/sandbox/walmart/extract-schemas.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const specsDir = join(here, '../../../../../shared/specs/walmart');
const outDir = join(here, 'schemas');

/** The spec files we need and the operations whose bodies the sandbox checks. */
const SPEC_FILES = ['auth', 'inventory', 'feeds', 'orders'] as const;

/**
 * Corrections where a spec file contradicts its own examples. highsidelabs' copy points the
 * response of GET /v3/inventories at the multi-node *update request* DTO, whose `inventories` is
 * an object; the example in the same operation, and Walmart's live answer, carry an array of
 * `GetAllInventoriesDTO` under `elements.inventories`, which is the spec's own `Elements` schema.
 */
const CORRECTIONS: Record<string, Array<{ schema: string; property: string; ref: string; why: string }>> = {
  inventory: [{ schema: 'MultiNodeInventoryFetchResponseDTO', property: 'elements', ref: 'Elements', why: 'the operation example and the live API return elements.inventories as an array (the Elements schema)' }],
  // The order record's lines point at the refund-request line type, which requires `refunds`; every
  // order example in the same file carries plain order lines (OrderLinesType) without it.
  orders: [{ schema: 'GetOrderResponseRecord', property: 'orderLines', ref: 'OrderLinesType', why: 'the getAllOrders and getAnOrder examples carry OrderLineType lines (no refunds field); the model points at RefundLinesType by mistake' }],
};

function rewriteRefs(node: unknown, fileId: string): unknown {
  if (Array.isArray(node)) return node.map((entry) => rewriteRefs(entry, fileId));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Examples and XML hints are documentation, not constraints; dropping them keeps the files small.
    if (key === 'example' || key === 'examples' || key === 'xml') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace('#/components/schemas/', `${fileId}#/definitions/`);
    else out[key] = rewriteRefs(value, fileId);
  }
  return out;
}

for (const name of SPEC_FILES) {
  const specPath = join(specsDir, `${name}.json`);
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { info?: { title?: string }; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  const fileId = `walmart-${name}`;
  const definitions = rewriteRefs(spec.components.schemas, fileId) as Record<string, { properties?: Record<string, unknown> }>;
  const applied: string[] = [];
  for (const correction of CORRECTIONS[name] ?? []) {
    const target = definitions[correction.schema];
    if (!target?.properties) throw new Error(`correction target ${correction.schema} missing from ${name}.json`);
    target.properties[correction.property] = { $ref: `${fileId}#/definitions/${correction.ref}` };
    applied.push(`${correction.schema}.${correction.property} -> ${correction.ref}: ${correction.why}`);
  }
  const document = {
    $id: fileId,
    $comment: `Extracted from shared/specs/walmart/${name}.json (${spec.info?.title ?? 'Walmart Marketplace API'}), components.schemas only, by extract-schemas.ts. Source: highsidelabs/walmart-api-php @575b6116d21bfbc484e431a95434dadca0fe7eb8, resources/schemas/models/us/mp/${name}.json, Walmart's published OpenAPI model (see shared/specs/SOURCES.md). Corrections: ${applied.length ? applied.join('; ') : 'none'}.`,
    definitions,
  };
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(document, null, 1)}\n`);
  console.log(`wrote schemas/${name}.json (${Object.keys(definitions).length} definitions)`);
}
