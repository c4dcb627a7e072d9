/**
 * Drift between what the ledger says each listing should show and what the channel shows: pure.
 * Each difference gets its likely cause, so a seller reads "changed outside Shelfguard" rather
 * than a bare pair of numbers.
 */
export type DriftCause =
  | 'changed_outside_shelfguard' // the channel shows something we never pushed (edited there, or a lost push)
  | 'push_pending' // the ledger moved on and the push has not landed yet (backlog, paused, dead letter)
  | 'marketplace_holds_stock' // marketplace-fulfilled (FBA): the marketplace is the truth; the ledger follows it
  | 'missing_on_channel' // the ledger lists it; the channel has no such listing
  | 'unmapped_listing'; // the channel sells it; the ledger has no listing for it

export interface ExpectedListing {
  listingId: number;
  sku: string;
  /** null: nothing is published (untracked, inactive). */
  expected: number | null;
  lastPushedQuantity: number | null;
}

export interface ShownListing {
  sku: string;
  quantity: number;
  fulfilledByMarketplace?: boolean;
}

export interface DriftItem {
  sku: string;
  listingId: number | null;
  expected: number | null;
  shown: number | null;
  cause: DriftCause;
}

export function findDrift(expected: readonly ExpectedListing[], shown: readonly ShownListing[]): DriftItem[] {
  const shownBySku = new Map(shown.map((item) => [item.sku, item]));
  const drift: DriftItem[] = [];
  for (const listing of expected) {
    const seen = shownBySku.get(listing.sku);
    shownBySku.delete(listing.sku);
    if (!seen) {
      if (listing.expected !== null) drift.push({ sku: listing.sku, listingId: listing.listingId, expected: listing.expected, shown: null, cause: 'missing_on_channel' });
      continue;
    }
    if (listing.expected === null || seen.quantity === listing.expected) continue;
    const cause: DriftCause = seen.fulfilledByMarketplace ? 'marketplace_holds_stock' : listing.lastPushedQuantity === seen.quantity ? 'push_pending' : 'changed_outside_shelfguard';
    drift.push({ sku: listing.sku, listingId: listing.listingId, expected: listing.expected, shown: seen.quantity, cause });
  }
  for (const rest of shownBySku.values()) drift.push({ sku: rest.sku, listingId: null, expected: null, shown: rest.quantity, cause: 'unmapped_listing' });
  return drift.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}
