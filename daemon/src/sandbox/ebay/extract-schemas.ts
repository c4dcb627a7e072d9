/**
 * Extracts, from eBay's official OpenAPI 3 files in ../shared/specs/ebay, the JSON Schemas the
 * eBay sandbox validates requests and responses against, and writes them to ./schemas/ with a
 * provenance note. The committed copies are what the sandbox loads, so a fresh clone without
 * ../shared still works; rerun this after the specs are refreshed:
 *
 *   npx tsx daemon/src/sandbox/ebay/extract-schemas.ts [path/to/specs/ebay]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Which component schemas each route needs, by spec file. */
const WANTED: Record<string, string[]> = {
  'sell_inventory_v1_oas3.json': ['BulkPriceQuantity', 'BulkPriceQuantityResponse', 'InventoryItems', 'BulkGetInventoryItem', 'BulkGetInventoryItemResponse', 'InventoryItemGroup', 'Offers'],
  'sell_fulfillment_v1_oas3.json': ['OrderSearchPagedCollection', 'Order'],
  'commerce_notification_v1_oas3.json': ['PublicKey'],
};

const here = dirname(fileURLToPath(import.meta.url));
const specsDir = resolve(process.argv[2] ?? join(here, '../../../../../shared/specs/ebay'));

function referencedNames(node: Json, found: Set<string>): void {
  if (Array.isArray(node)) { for (const item of node) referencedNames(item, found); return; }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') found.add(value.replace('#/components/schemas/', ''));
    else referencedNames(value, found);
  }
}

function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    // Descriptions are long HTML in eBay's files; they add nothing to validation.
    if (key === 'description') continue;
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(value);
  }
  return out;
}

for (const [file, roots] of Object.entries(WANTED)) {
  const spec = JSON.parse(readFileSync(join(specsDir, file), 'utf8')) as { info: { version: string }; components: { schemas: Record<string, Json> } };
  const all = spec.components.schemas;
  for (const root of roots) {
    const needed = new Set<string>([root]);
    for (let grew = true; grew;) {
      const before = needed.size;
      for (const name of [...needed]) referencedNames(all[name] ?? null, needed);
      grew = needed.size > before;
    }
    const defs: Record<string, Json> = {};
    for (const name of [...needed].sort()) {
      if (!(name in all)) throw new Error(`${file} has no component schema ${name}`);
      defs[name] = rewriteRefs(all[name]!);
    }
    const schema = { $comment: `Extracted from eBay's ${file} (version ${spec.info.version}), component ${root}, by extract-schemas.ts; see schemas/PROVENANCE.md.`, $ref: `#/$defs/${root}`, $defs: defs };
    writeFileSync(join(here, 'schemas', `${root}.json`), `${JSON.stringify(schema, null, 1)}\n`);
    console.log(`wrote schemas/${root}.json (${needed.size} definitions)`);
  }
}
