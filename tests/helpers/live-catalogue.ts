/**
 * The catalogue most sync tests start from: one location `main`, the given channels live on it,
 * the SKUs simple, and every SKU listed on every channel's sandbox showing `quantity`.
 */
import type { SandboxFleet } from '../../daemon/src/bench/sandbox-fleet.js';
import type { Catalogue } from '../../daemon/src/ledger/catalogue.js';

export async function seedLiveCatalogue(catalogue: Catalogue, fleet: Pick<SandboxFleet, 'seedListings'>, channels: readonly string[], skus: readonly string[], quantity = 0): Promise<void> {
  await catalogue.upsertLocation('main', 'Main');
  for (const code of channels) await catalogue.upsertChannel({ code, mode: 'live', locations: ['main'] });
  for (const sku of skus) await catalogue.upsertSku({ code: sku, kind: 'simple' });
  await fleet.seedListings(catalogue, skus.map((sku) => ({ sku, quantity })));
}
