/**
 * What the eBay sandbox keeps beyond the shared state: the identifiers it assigns, and each
 * listing's revisions per calendar day (eBay's day runs on Pacific time), so the
 * 250-revisions-per-listing-per-day limit is enforced as eBay enforces it.
 */
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxListing } from '../kit/sandbox-state.js';

/** "Each listing can be revised up to 250 times in one calendar day" (bulkUpdatePriceQuantity). */
export const REVISIONS_PER_LISTING_PER_DAY_MAX = 250;
const pacificDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' });

export class EbayStore {
  private sequence = 0;
  private readonly revisions = new Map<string, { day: string; count: number }>();

  constructor(private readonly seed: number) {}

  /** eBay offer ids and listing ids are long decimal strings. */
  nextNumericId(kind: 'offer' | 'listing'): string {
    this.sequence += 1;
    const base = kind === 'offer' ? 5_000_000_000 : 110_000_000_000;
    return String(base + this.seed * 100_000 + this.sequence);
  }

  /** The revision is counted against the listing (a variation counts against its group's listing). */
  private listingKey(listing: SandboxListing): string {
    return listing.identifiers.listingId ?? listing.identifiers.tradingItemId ?? listing.sku;
  }

  revisionsToday(listing: SandboxListing, context: SandboxContext): number {
    const entry = this.revisions.get(this.listingKey(listing));
    return entry && entry.day === pacificDay.format(context.nowMs()) ? entry.count : 0;
  }

  /** True when the listing may be revised once more today; counts the revision if so. */
  takeRevision(listing: SandboxListing, context: SandboxContext): boolean {
    const day = pacificDay.format(context.nowMs());
    const key = this.listingKey(listing);
    const entry = this.revisions.get(key);
    const count = entry && entry.day === day ? entry.count : 0;
    if (count >= REVISIONS_PER_LISTING_PER_DAY_MAX) return false;
    this.revisions.set(key, { day, count: count + 1 });
    listing.revisionsToday = count + 1;
    return true;
  }

  setRevisionsToday(listing: SandboxListing, count: number, context: SandboxContext): void {
    this.revisions.set(this.listingKey(listing), { day: pacificDay.format(context.nowMs()), count });
    listing.revisionsToday = count;
  }

  reset(): void {
    this.revisions.clear();
  }
}
