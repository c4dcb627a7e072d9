#!/usr/bin/env node
// Extracts the part of Etsy's official OpenAPI 3.0 document that the sandbox serves (the
// operations it implements and every component schema they reach) into a committed file, so the
// sandbox and its tests validate against the official model even in a fresh clone where
// ../shared is absent. Run from the repository root:
//   node daemon/src/sandbox/etsy/extract-schemas.mjs [path/to/3.0.0.json]
// The test suite re-runs the extraction in memory when the official file is present and checks
// that the committed copy still matches it.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVED_OPERATIONS = [
  'ping',
  'getListingsByShop',
  'getListingsByListingIds',
  'getListingInventory',
  'updateListingInventory',
  'getShopReceipts',
  'getShopReceipt',
];

/** Returns a valid OpenAPI document holding only the served operations and their schemas. */
export function extractSubset(official) {
  const paths = {};
  for (const [path, item] of Object.entries(official.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!SERVED_OPERATIONS.includes(operation.operationId)) continue;
      paths[path] ??= {};
      paths[path][method] = operation;
    }
  }
  const needed = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!needed.has(name)) {
          needed.add(name);
          visit(official.components.schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(paths);
  const schemas = {};
  for (const name of [...needed].sort()) schemas[name] = official.components.schemas[name];
  return {
    openapi: official.openapi,
    info: { ...official.info, 'x-shelfguard-provenance': 'Subset of Etsy Open API v3 3.0.0.json (AnthonyHewins/etsy @79ac492, Etsy\'s published document); see PROVENANCE.md' },
    servers: official.servers,
    paths,
    components: { securitySchemes: official.components.securitySchemes, schemas },
  };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const here = dirname(fileURLToPath(import.meta.url));
  const source = process.argv[2] ?? join(here, '../../../../../shared/specs/etsy/3.0.0.json');
  const subset = extractSubset(JSON.parse(readFileSync(source, 'utf8')));
  writeFileSync(join(here, 'schemas/etsy-openapi-subset.json'), `${JSON.stringify(subset, null, 1)}\n`);
  process.stdout.write(`wrote ${Object.keys(subset.paths).length} paths and ${Object.keys(subset.components.schemas).length} schemas\n`);
}
