/**
 * `sku lint`: what breaks sync before it happens — listings whose SKU is gone or unmanaged,
 * SKUs that differ only by case or spaces (marketplaces that fold them would merge two products),
 * channel SKUs listed twice on one channel, SKUs listed on no channel, and variations of a
 * parent-managed pool listed on a channel as if each had its own stock.
 */
import type { Store } from '../ledger/store.js';

export interface LintFinding {
  kind: 'listing_without_sku' | 'near_duplicate_sku' | 'duplicate_channel_sku' | 'unlisted_sku' | 'pool_pushed_per_variation';
  message: string;
}

export function normalizeSku(code: string): string {
  return code.trim().replace(/\s+/g, '').toLowerCase();
}

export async function lintSkus(store: Store): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  const skus = await store.db.selectFrom('sku').select(['id', 'code', 'kind', 'stock_pool_id', 'tracks_stock', 'deleted_at']).execute();
  const listings = await store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').select(['listing.id', 'listing.sku_id', 'listing.channel_sku', 'channel.code as channel']).execute();
  const byId = new Map(skus.map((sku) => [sku.id, sku]));
  for (const listing of listings) {
    const sku = byId.get(listing.sku_id);
    if (!sku || sku.deleted_at !== null) findings.push({ kind: 'listing_without_sku', message: `${listing.channel} lists ${listing.channel_sku}, whose SKU is deleted or missing` });
  }
  const groups = new Map<string, string[]>();
  for (const sku of skus.filter((entry) => entry.deleted_at === null)) groups.set(normalizeSku(sku.code), [...(groups.get(normalizeSku(sku.code)) ?? []), sku.code]);
  for (const codes of groups.values()) if (codes.length > 1) findings.push({ kind: 'near_duplicate_sku', message: `${codes.map((code) => JSON.stringify(code)).join(', ')} differ only by case or spaces` });
  const seen = new Map<string, number>();
  for (const listing of listings) {
    const key = `${listing.channel}\u0000${normalizeSku(listing.channel_sku)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (seen.get(key) === 2) findings.push({ kind: 'duplicate_channel_sku', message: `${listing.channel} has more than one listing for ${listing.channel_sku} (ignoring case and spaces)` });
  }
  const listed = new Set(listings.map((listing) => listing.sku_id));
  for (const sku of skus) if (sku.deleted_at === null && sku.kind !== 'variable' && !listed.has(sku.id)) findings.push({ kind: 'unlisted_sku', message: `${sku.code} is listed on no channel` });
  const poolListings = new Map<string, number>();
  for (const listing of listings) {
    const sku = byId.get(listing.sku_id);
    if (sku?.stock_pool_id) poolListings.set(`${listing.channel}\u0000${sku.stock_pool_id}`, (poolListings.get(`${listing.channel}\u0000${sku.stock_pool_id}`) ?? 0) + 1);
  }
  for (const [key, count] of poolListings) {
    if (count < 2) continue;
    const [channel, pool] = key.split('\u0000');
    findings.push({ kind: 'pool_pushed_per_variation', message: `${channel} lists ${count} variations sharing ${byId.get(Number(pool))?.code ?? pool}'s stock: each is shown a share of one pool, not the whole pool` });
  }
  return findings;
}
