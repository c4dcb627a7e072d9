/**
 * What a channel may show for a listing, computed from values only (no I/O, no clock):
 *
 *   available over the channel's locations (kits: the minimum over components; a shared pool:
 *   this listing's share of it) − WooCommerce's checkout holds − buffer, clamped to [0, cap].
 *
 * Every step is recorded, so `audit why` can explain a number to a seller.
 */

export interface LocationStock {
  location: string;
  onHand: number;
  committed: number;
}

export interface StockPosition {
  /** Stock rows of the SKU that holds the stock, for the channel's locations only. */
  locations: LocationStock[];
  /** What WooCommerce's open checkouts hold of it. */
  held: number;
}

export interface KitComponentPosition extends StockPosition {
  sku: string;
  quantityPerKit: number;
}

export interface PublishInput {
  channel: { buffer: number; cap: number | null; subtractsHeld: boolean };
  listing: { buffer: number | null; cap: number | null; active: boolean };
  sku: { code: string; tracksStock: boolean; deleted: boolean };
  /** The SKU's own stock (or its pool's), absent for kits. */
  stock?: StockPosition;
  /** For a kit: its components. */
  components?: KitComponentPosition[];
  /** For a variation in a shared pool: how many of the pool's members this channel lists, and
   * this listing's place among them (by SKU order), so the pool is split, never multiplied. */
  poolShare?: { members: number; index: number };
}

export interface PublishStep {
  step: string;
  value: number;
  detail: string;
}

export interface PublishResult {
  /** null: nothing is published (untracked, deleted or inactive listing). */
  quantity: number | null;
  steps: PublishStep[];
}

function availableOf(position: StockPosition, subtractsHeld: boolean): { available: number; detail: string } {
  const raw = position.locations.reduce((sum, row) => sum + row.onHand - row.committed, 0);
  const held = subtractsHeld ? position.held : 0;
  const parts = position.locations.map((row) => `${row.location}: ${row.onHand} on hand − ${row.committed} committed`).join('; ');
  return { available: raw - held, detail: `${parts || 'no stock rows'}${held > 0 ? `; − ${held} held by checkouts` : ''}` };
}

export function publishedQuantity(input: PublishInput): PublishResult {
  const steps: PublishStep[] = [];
  if (input.sku.deleted || !input.sku.tracksStock || !input.listing.active) {
    const why = input.sku.deleted ? 'the SKU was deleted' : !input.sku.tracksStock ? 'stock is not managed for this SKU' : 'the listing is paused';
    return { quantity: null, steps: [{ step: 'not_published', value: 0, detail: why }] };
  }

  let available: number;
  if (input.components && input.components.length > 0) {
    const perComponent = input.components.map((component) => {
      const { available: componentAvailable, detail } = availableOf(component, input.channel.subtractsHeld);
      const kits = Math.floor(Math.max(0, componentAvailable) / component.quantityPerKit);
      steps.push({ step: 'component', value: kits, detail: `${component.sku} × ${component.quantityPerKit} per kit: ${detail} → ${kits} kits` });
      return kits;
    });
    available = Math.min(...perComponent);
    steps.push({ step: 'kit_available', value: available, detail: 'the kit is limited by its scarcest component' });
  } else {
    const { available: own, detail } = availableOf(input.stock ?? { locations: [], held: 0 }, input.channel.subtractsHeld);
    available = own;
    steps.push({ step: 'available', value: available, detail });
  }

  if (input.poolShare && input.poolShare.members > 1) {
    const pool = Math.max(0, available);
    const { members, index } = input.poolShare;
    available = Math.floor(pool / members) + (index < pool % members ? 1 : 0);
    steps.push({ step: 'pool_share', value: available, detail: `one pool of ${pool} shared by ${members} listed variations; this is share ${index + 1}` });
  }

  const buffer = input.listing.buffer ?? input.channel.buffer;
  if (buffer > 0) {
    available -= buffer;
    steps.push({ step: 'buffer', value: available, detail: `− ${buffer} buffer (${input.listing.buffer !== null ? 'this listing' : 'channel default'})` });
  }

  const cap = input.listing.cap ?? input.channel.cap;
  let quantity = Math.max(0, available);
  if (cap !== null && quantity > cap) quantity = cap;
  steps.push({ step: 'published', value: quantity, detail: `clamped to [0, ${cap ?? '∞'}]` });
  return { quantity, steps };
}
