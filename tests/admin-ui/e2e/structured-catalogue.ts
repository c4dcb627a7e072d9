/**
 * The part of the browser test's catalogue that has structure: a variable shirt whose two
 * variations share its stock pool, and a gift box kit of one cup and two saucers. None of these
 * SKUs or names contains another SKU of the stack, so the other steps' row lookups stay exact.
 */
import type { SandboxFleet } from '../../../daemon/src/bench/sandbox-fleet.js';
import type { ChannelName } from '../../../daemon/src/channels/channel.js';
import type { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import type { Ledger } from '../../../daemon/src/ledger/ledger.js';

/** SKUs listed on every channel of the stack (the shirt itself is a parent, never listed). */
export const STRUCTURE_LISTED = ['SHIRT-S', 'SHIRT-M', 'CUP', 'SAUCER', 'GIFT-BOX'];
export const STRUCTURE_STOCK: Record<string, number> = { SHIRT: 10, CUP: 6, SAUCER: 9 };
/** Cups 6 / 1 and saucers 9 / 2: the scarcest component allows 4 boxes. */
export const GIFT_BOXES = 4;

function check(result: { ok: boolean; error?: { message: string } }, what: string): void {
  if (!result.ok) throw new Error(`cannot ${what}: ${result.error?.message ?? 'refused'}`);
}

export async function addStructuredCatalogue(catalogue: Catalogue, ledger: Ledger, fleet: SandboxFleet, channels: ChannelName[]): Promise<void> {
  check(await catalogue.upsertSku({ code: 'SHIRT', name: 'Linen shirt', kind: 'variable' }), 'add SHIRT');
  for (const size of ['S', 'M']) check(await catalogue.upsertSku({ code: `SHIRT-${size}`, name: `Linen shirt size ${size}`, kind: 'variation', parent: 'SHIRT', usesParentStock: true }), `add SHIRT-${size}`);
  check(await catalogue.upsertSku({ code: 'CUP', name: 'Tea cup', kind: 'simple' }), 'add CUP');
  check(await catalogue.upsertSku({ code: 'SAUCER', name: 'Saucer', kind: 'simple' }), 'add SAUCER');
  check(await catalogue.upsertSku({ code: 'GIFT-BOX', name: 'Gift box', kind: 'kit' }), 'add GIFT-BOX');
  check(await catalogue.setKitComponents('GIFT-BOX', [{ sku: 'CUP', quantity: 1 }, { sku: 'SAUCER', quantity: 2 }]), 'make GIFT-BOX a kit');
  for (const [sku, quantity] of Object.entries(STRUCTURE_STOCK)) {
    check(await ledger.adjust({ key: `e2e:receive:${sku}`, channel: null, actor: 'e2e', sku, location: 'main', delta: quantity, reason: 'received' }), `receive ${sku}`);
  }
  await fleet.seedListings(catalogue, STRUCTURE_LISTED.map((sku) => ({ sku, quantity: 0 })), channels);
}
