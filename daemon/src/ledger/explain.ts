/**
 * "Why is Amazon showing 7?": a SKU's movements in order, the stock they add up to, and how each
 * channel's published quantity is computed from that stock.
 */
import type { PublishStep } from './published-quantity.js';
import { LedgerQueries, type MovementView, type StockRowView } from './queries.js';
import type { Store } from './store.js';

export interface SkuExplanation {
  sku: string;
  kind: string;
  stockHolder: string;
  stock: StockRowView[];
  movements: MovementView[];
  movementsTruncated: boolean;
  channels: Array<{ channel: string; channelSku: string; mode: string; published: number | null; steps: PublishStep[] }>;
  oversells: Array<{ id: string; channel: string; requested: number; available: number; reference: string | null; resolution: string | null; createdAt: string }>;
}

const MOVEMENTS_SHOWN_MAX = 1_000;

export async function explainSku(store: Store, code: string): Promise<SkuExplanation | undefined> {
  const queries = new LedgerQueries(store);
  const sku = await store.db.selectFrom('sku').select(['id', 'code', 'kind', 'stock_pool_id']).where('code', '=', code).executeTakeFirst();
  if (!sku) return undefined;
  const holder = sku.stock_pool_id === null ? sku : await store.db.selectFrom('sku').select(['id', 'code']).where('id', '=', sku.stock_pool_id).executeTakeFirstOrThrow();
  const movements = await queries.movementsOf(code, { limit: MOVEMENTS_SHOWN_MAX + 1 });
  const listings = await store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id')
    .select(['listing.id', 'channel.code as channel', 'channel.mode', 'listing.channel_sku']).where('listing.sku_id', '=', sku.id).orderBy('channel.code').execute();
  const channels = [];
  for (const listing of listings) {
    const result = await queries.publishedFor(listing.id);
    channels.push({ channel: listing.channel, channelSku: listing.channel_sku, mode: listing.mode, published: result?.quantity ?? null, steps: result?.steps ?? [] });
  }
  const oversells = await store.db.selectFrom('oversell').selectAll().where('sku_id', '=', sku.id).orderBy('created_at').execute();
  return {
    sku: sku.code,
    kind: sku.kind,
    stockHolder: holder.code,
    stock: await queries.stockOf(holder.code),
    movements: movements.slice(0, MOVEMENTS_SHOWN_MAX),
    movementsTruncated: movements.length > MOVEMENTS_SHOWN_MAX,
    channels,
    oversells: oversells.map((row) => ({ id: row.id, channel: row.channel, requested: row.requested, available: row.available, reference: row.reference, resolution: row.resolution, createdAt: new Date(Number(row.created_at)).toISOString() })),
  };
}
