/**
 * The admin read API under /v1/admin/, for the plugin's REST proxy (and so the admin UI) and for
 * operators. Bearer token only; compared in constant time; never logged.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import { Catalogue } from '../ledger/catalogue.js';
import { explainSku } from '../ledger/explain.js';
import { LedgerQueries } from '../ledger/queries.js';
import type { Store } from '../ledger/store.js';
import { lintSkus, normalizeSku } from '../reconcile/sku-lint.js';
import { HttpError, parseInput } from './errors.js';

const pageSchema = z.object({ limit: z.coerce.number().int().min(1).max(1_000).default(100), after: z.string().max(100).optional() }).strict();
const skuQuerySchema = z.object({ sku: z.string().min(1).max(100).optional() }).strict();
const movementsQuerySchema = pageSchema.extend({ sku: z.string().min(1).max(100), order: z.enum(['asc', 'desc']).default('desc') }).strict();
const listingsQuerySchema = z.object({ channel: z.string().min(1).max(32).optional(), sku: z.string().min(1).max(100).optional() }).strict();
const quantitySetting = z.number().int().min(0).max(1_000_000);
const listingSettingsSchema = z.object({ buffer: quantitySetting.nullable().optional(), cap: quantitySetting.nullable().optional(), active: z.boolean().optional() }).strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of buffer, cap, active' });
const channelSettingsSchema = z.object({ buffer: quantitySetting.optional(), cap: quantitySetting.nullable().optional(), subtractsHeld: z.boolean().optional() }).strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of buffer, cap, subtractsHeld' });

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function requireAdminToken(token: () => string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const expected = token();
    if (!expected) return next(new HttpError(403, 'admin_api_disabled', 'the admin API is off: set SHELFGUARD_ADMIN_TOKEN'));
    const offered = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!offered || !timingSafeEqual(digest(offered), digest(expected))) return next(new HttpError(401, 'unauthorized', 'a valid bearer token is required'));
    next();
  };
}

/** Every SKU's stock summed over its locations. */
function stockTotals(store: Store) {
  return store.db.selectFrom('stock').select(['sku_id', sql<number>`sum(on_hand)`.as('on_hand'), sql<number>`sum(committed)`.as('committed'), sql<number>`sum(damaged)`.as('damaged')]).groupBy('sku_id');
}

/**
 * Each kit's components (with the units of each per kit and what the component's stock holder
 * has available over every location) and the kits that makes: the minimum over components, where
 * components drawing on one pool count as one, as publishedQuantity counts them.
 */
async function kitsOf(store: Store, kitIds: number[]): Promise<Map<number, { components: Array<{ sku: string; quantity: number; available: number }>; kitAvailable: number }>> {
  const kits = new Map<number, { components: Array<{ sku: string; quantity: number; available: number }>; kitAvailable: number }>();
  if (kitIds.length === 0) return kits;
  const rows = await store.db.selectFrom('kit_component').innerJoin('sku', 'sku.id', 'kit_component.component_id')
    .leftJoin(stockTotals(store).as('s'), (join) => join.on((eb) => eb('s.sku_id', '=', eb.fn.coalesce('sku.stock_pool_id', 'sku.id'))))
    .select(['kit_component.kit_id', 'kit_component.quantity', 'sku.id', 'sku.code', 'sku.stock_pool_id', 's.on_hand', 's.committed'])
    .where('kit_component.kit_id', 'in', kitIds).orderBy('sku.code').execute();
  for (const kitId of kitIds) {
    const own = rows.filter((row) => row.kit_id === kitId);
    const holders = new Map<number, { available: number; quantityPerKit: number }>();
    for (const row of own) {
      const holder = holders.get(row.stock_pool_id ?? row.id) ?? { available: Number(row.on_hand ?? 0) - Number(row.committed ?? 0), quantityPerKit: 0 };
      holder.quantityPerKit += row.quantity;
      holders.set(row.stock_pool_id ?? row.id, holder);
    }
    const perHolder = [...holders.values()].map((holder) => Math.floor(Math.max(0, holder.available) / holder.quantityPerKit));
    kits.set(kitId, {
      components: own.map((row) => ({ sku: row.code, quantity: row.quantity, available: Number(row.on_hand ?? 0) - Number(row.committed ?? 0) })),
      kitAvailable: perHolder.length === 0 ? 0 : Math.min(...perHolder),
    });
  }
  return kits;
}

/**
 * The SKUs a message names: every token (a code, a quoted code, a channel SKU) found as a whole
 * word, longest first, so "TEA CUP" is not also read as "CUP".
 */
function namedSkus(message: string, tokens: ReadonlyArray<{ token: string; skus: string[] }>): string[] {
  const taken = new Array<boolean>(message.length).fill(false);
  const named = new Set<string>();
  for (const { token, skus } of [...tokens].sort((a, b) => b.token.length - a.token.length)) {
    if (token.length === 0) continue;
    for (let at = message.indexOf(token); at !== -1; at = message.indexOf(token, at + 1)) {
      const before = at === 0 ? ' ' : message[at - 1]!;
      const after = message[at + token.length] ?? ' ';
      if (!' "('.includes(before) || !' ",\')'.includes(after) || taken.slice(at, at + token.length).some(Boolean)) continue;
      taken.fill(true, at, at + token.length);
      for (const sku of skus) named.add(sku);
    }
  }
  return [...named].sort();
}

/**
 * `sku lint`'s findings, each with the live SKU codes it concerns, so the Products screen can
 * filter on them: the codes a finding names, and the SKUs listed under a channel SKU it names
 * (compared as lint compares them, ignoring case and spaces).
 */
async function attributedLint(store: Store): Promise<Array<{ kind: string; message: string; skus: string[] }>> {
  const findings = await lintSkus(store);
  const codes = (await store.db.selectFrom('sku').select('code').where('deleted_at', 'is', null).execute()).map((row) => row.code);
  const listings = await store.db.selectFrom('listing').innerJoin('sku', 'sku.id', 'listing.sku_id').select(['listing.channel_sku', 'sku.code']).where('sku.deleted_at', 'is', null).execute();
  const tokens = new Map<string, Set<string>>();
  const add = (token: string, skus: string[]) => tokens.set(token, new Set([...(tokens.get(token) ?? []), ...skus]));
  for (const code of codes) { add(code, [code]); add(JSON.stringify(code), [code]); }
  for (const listing of listings) add(listing.channel_sku, listings.filter((other) => normalizeSku(other.channel_sku) === normalizeSku(listing.channel_sku)).map((other) => other.code));
  const named = [...tokens].map(([token, skus]) => ({ token, skus: [...skus] }));
  return findings.map((finding) => ({ ...finding, skus: namedSkus(finding.message, named) }));
}

export function adminRouter(store: Store, token: () => string | undefined): Router {
  const router = express.Router();
  const queries = new LedgerQueries(store);
  router.use('/v1/admin', requireAdminToken(token));

  router.get('/v1/admin/skus', async (req, res, next) => {
    try {
      const page = parseInput(pageSchema, req.query, 'query');
      let query = store.db.selectFrom('sku')
        .leftJoin(stockTotals(store).as('s'), (join) => join.onRef('s.sku_id', '=', 'sku.id'))
        .leftJoin('sku as parent', 'parent.id', 'sku.parent_id')
        .leftJoin('sku as pool', 'pool.id', 'sku.stock_pool_id')
        .select(['sku.id', 'sku.code', 'sku.name', 'sku.kind', 'sku.stock_pool_id', 'sku.tracks_stock', 's.on_hand', 's.committed', 's.damaged', 'parent.code as parent_code', 'pool.code as pool_code'])
        .where('sku.deleted_at', 'is', null).orderBy('sku.code').limit(page.limit);
      if (page.after) query = query.where('sku.code', '>', page.after);
      const rows = await query.execute();
      const kits = await kitsOf(store, rows.filter((row) => row.kind === 'kit').map((row) => row.id));
      res.json({
        skus: rows.map((row) => ({
          sku: row.code, name: row.name, kind: row.kind, parent: row.parent_code ?? null, sharesParentStock: row.stock_pool_id !== null, pool: row.pool_code ?? null, tracksStock: row.tracks_stock === 1,
          onHand: Number(row.on_hand ?? 0), committed: Number(row.committed ?? 0), available: Number(row.on_hand ?? 0) - Number(row.committed ?? 0), damaged: Number(row.damaged ?? 0),
          ...(row.kind === 'kit' ? kits.get(row.id) ?? { components: [], kitAvailable: 0 } : {}),
        })),
        next: rows.length === page.limit ? rows[rows.length - 1]!.code : null,
      });
    } catch (error) { next(error); }
  });
  router.get('/v1/admin/skus/lint', async (req, res, next) => {
    try {
      parseInput(z.object({}).strict(), req.query, 'query');
      res.json({ findings: await attributedLint(store) });
    } catch (error) { next(error); }
  });
  router.get('/v1/admin/stock', async (req, res, next) => {
    try { res.json({ stock: await queries.stockOf(parseInput(skuQuerySchema, req.query, 'query').sku) }); } catch (error) { next(error); }
  });
  router.get('/v1/admin/movements', async (req, res, next) => {
    try {
      const query = parseInput(movementsQuerySchema, req.query, 'query');
      const movements = await queries.movementsOf(query.sku, { limit: query.limit, afterId: query.after, newestFirst: query.order === 'desc' });
      res.json({ movements, next: movements.length === query.limit ? movements[movements.length - 1]!.id : null });
    } catch (error) { next(error); }
  });
  router.get('/v1/admin/listings', async (req, res, next) => {
    try {
      const filter = parseInput(listingsQuerySchema, req.query, 'query');
      const listings = await queries.listings(filter);
      const withPublished = await Promise.all(listings.map(async (listing) => ({ ...listing, published: (await queries.publishedFor(listing.id))?.quantity ?? null })));
      res.json({ listings: withPublished });
    } catch (error) { next(error); }
  });
  router.get('/v1/admin/skus/:sku/why', async (req, res, next) => {
    try {
      const sku = String(req.params.sku);
      if (sku.length === 0 || sku.length > 100) throw new HttpError(400, 'invalid_sku', 'sku must be 1 to 100 characters');
      const explanation = await explainSku(store, sku);
      if (!explanation) throw new HttpError(404, 'unknown_sku', `no SKU ${JSON.stringify(sku)}`);
      res.json(explanation);
    } catch (error) { next(error); }
  });
  // Buffers, caps and pausing: what a seller tunes per channel and per listing. Each change queues
  // the affected listings for a push in the same transaction (Catalogue), so channels follow.
  const catalogue = new Catalogue(store);
  const json = express.json({ limit: '16kb' });
  const applySettings = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(400, 'invalid_listing', 'the listing id must be a positive whole number');
      const body = parseInput(listingSettingsSchema, req.body, 'body', { status: 422, code: 'invalid_settings' });
      const [listing] = await store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').innerJoin('sku', 'sku.id', 'listing.sku_id')
        .select(['channel.code as channel', 'sku.code as sku']).where('listing.id', '=', id).execute();
      if (!listing) throw new HttpError(404, 'unknown_listing', `no listing ${id}`);
      const result = await catalogue.upsertListing({ channel: listing.channel, sku: listing.sku, ...body });
      if (!result.ok) throw new HttpError(422, result.error.code, result.error.message);
      const updated = (await queries.listings({ channel: listing.channel, sku: listing.sku }))[0]!;
      res.json({ listing: { ...updated, published: (await queries.publishedFor(id))?.quantity ?? null } });
    } catch (error) { next(error); }
  };
  router.post('/v1/admin/listings/:id/settings', json, applySettings);
  router.patch('/v1/admin/listings/:id', json, applySettings);
  router.post('/v1/admin/channels/:channel/settings', json, async (req, res, next) => {
    try {
      const code = String(req.params.channel);
      const body = parseInput(channelSettingsSchema, req.body, 'body', { status: 422, code: 'invalid_settings' });
      const existing = await store.db.selectFrom('channel').select('id').where('code', '=', code).executeTakeFirst();
      if (!existing) throw new HttpError(404, 'unknown_channel', `no channel ${JSON.stringify(code.slice(0, 40))}`);
      const result = await catalogue.upsertChannel({ code, ...body });
      if (!result.ok) throw new HttpError(422, result.error.code, result.error.message);
      const channel = await store.db.selectFrom('channel').select(['code', 'mode', 'buffer', 'cap', 'subtracts_held']).where('code', '=', code).executeTakeFirstOrThrow();
      res.json({ channel: { code: channel.code, mode: channel.mode, buffer: channel.buffer, cap: channel.cap, subtractsHeld: channel.subtracts_held === 1 } });
    } catch (error) { next(error); }
  });

  router.get('/v1/admin/oversells', async (req, res, next) => {
    try {
      const page = parseInput(pageSchema, req.query, 'query');
      const rows = await store.db.selectFrom('oversell').innerJoin('sku', 'sku.id', 'oversell.sku_id')
        .select(['oversell.id', 'sku.code as sku', 'oversell.channel', 'oversell.reference', 'oversell.requested', 'oversell.available', 'oversell.resolution', 'oversell.created_at'])
        .orderBy('oversell.id', 'desc').limit(page.limit).execute();
      res.json({ oversells: rows.map((row) => ({ ...row, created_at: undefined, createdAt: new Date(Number(row.created_at)).toISOString() })) });
    } catch (error) { next(error); }
  });
  return router;
}
