/**
 * /_sandbox/: the test surface shared by every sandbox. Tests, the demo and the benchmarks seed
 * listings and orders, read state, and set fault knobs here in one vocabulary, whatever the
 * marketplace's own protocol looks like.
 */
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { faultsSchema } from './faults.js';
import type { NotificationSender } from './notification-sender.js';
import type { MarketplaceSandbox, RecordedRequest, SandboxContext } from './sandbox-server.js';
import type { SandboxListing, SandboxOrder } from './sandbox-state.js';

const skuSchema = z.string().min(1).max(100);
const seedListingsSchema = z.object({
  listings: z.array(z.object({
    sku: skuSchema,
    quantity: z.number().int().min(0).max(1_000_000).default(0),
    parentSku: skuSchema.optional(),
    isParent: z.boolean().default(false),
    attributes: z.record(z.string(), z.string()).default({}),
    fulfilledByMarketplace: z.boolean().default(false),
    price: z.string().regex(/^\d+(\.\d{1,2})?$/).default('19.99'),
  }).strict()).min(1).max(20_000),
}).strict();
const createOrderSchema = z.object({
  orderId: z.string().min(1).max(64).optional(),
  lines: z.array(z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(10_000) }).strict()).min(1).max(100),
  fulfillment: z.enum(['merchant', 'marketplace']).default('merchant'),
}).strict();
const cancelSchema = z.object({ reason: z.enum(['buyer', 'seller_out_of_stock', 'seller_other', 'marketplace']).default('seller_out_of_stock') }).strict();
const returnSchema = z.object({ condition: z.enum(['sellable', 'damaged']).default('sellable') }).strict();
const configSchema = z.object({
  notifyUrl: z.string().url().optional(),
  rateLimits: z.enum(['documented', 'unlimited']).optional(),
  asyncDelayMs: z.number().int().min(0).max(600_000).optional(),
}).strict();
const quantitySchema = z.object({ quantity: z.number().int().min(0).max(1_000_000) }).strict();

function parse<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  res.status(400).json({ error: 'invalid_request', issues: result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) });
  return undefined;
}

export function installTestSurface(app: Express, definition: MarketplaceSandbox, context: SandboxContext, requests: RecordedRequest[], sender: NotificationSender): void {
  const router = express.Router();
  // Marketplace-specific test routes (/_sandbox/<marketplace>/…, e.g. Amazon's pre-signed feed
  // document uploads) read their own bodies byte for byte; only the shared surface parses JSON.
  const json = express.json({ limit: '20mb' });
  router.use((req, res, next) => (req.path.startsWith(`/${definition.marketplace}/`) ? next() : json(req, res, next)));
  const { state } = context;

  router.get('/state', (_req, res) => { res.json({ listings: state.sortedListings(), orders: [...state.orders.values()] }); });
  router.post('/reset', (_req, res) => { state.reset(); requests.length = 0; res.json({ reset: true }); });

  router.post('/listings', (req, res) => {
    const body = parse(seedListingsSchema, req, res);
    if (!body) return;
    const created = body.listings.map((seed) => {
      const listing: SandboxListing = {
        ...seed,
        identifiers: state.listings.get(seed.sku)?.identifiers ?? definition.assignIdentifiers(seed, context),
        quantity: seed.isParent ? 0 : seed.quantity,
        revisionsToday: 0,
        updatedAtMs: context.nowMs(),
      };
      state.listings.set(seed.sku, listing);
      return { sku: listing.sku, identifiers: listing.identifiers, parentSku: listing.parentSku };
    });
    res.status(201).json({ listings: created });
  });
  router.get('/listings/:sku', (req, res) => {
    const listing = state.listings.get(req.params.sku);
    if (!listing) res.status(404).json({ error: 'not_found', message: `no listing with SKU ${req.params.sku}` });
    else res.json(listing);
  });
  // Outside drift: the seller edits a quantity in the marketplace's own UI.
  router.put('/listings/:sku/quantity', (req, res) => {
    const body = parse(quantitySchema, req, res);
    const listing = state.listings.get(req.params.sku);
    if (!body) return;
    if (!listing) { res.status(404).json({ error: 'not_found', message: `no listing with SKU ${req.params.sku}` }); return; }
    listing.quantity = body.quantity;
    listing.updatedAtMs = context.nowMs();
    res.json(listing);
  });

  router.post('/orders', (req, res) => {
    const body = parse(createOrderSchema, req, res);
    if (!body) return;
    const unknown = body.lines.find((line) => !state.listings.has(line.sku));
    if (unknown) { res.status(404).json({ error: 'not_found', message: `no listing with SKU ${unknown.sku}` }); return; }
    const now = context.nowMs();
    const order: SandboxOrder = {
      orderId: body.orderId ?? state.nextId('SB'),
      status: 'created',
      lines: body.lines.map((line, index) => ({ lineId: String(index + 1), sku: line.sku, quantity: line.quantity })),
      fulfillment: body.fulfillment,
      createdAtMs: now,
      updatedAtMs: now,
    };
    // A marketplace lowers what it shows as soon as it sells; it does not wait for the seller.
    for (const line of order.lines) {
      const listing = state.listings.get(line.sku);
      if (listing) listing.quantity = Math.max(0, listing.quantity - line.quantity);
    }
    state.orders.set(order.orderId, order);
    definition.onOrderChanged?.(order.orderId, 'created', context);
    res.status(201).json(order);
  });
  const transition = (change: 'cancelled' | 'shipped' | 'return_requested' | 'return_received', apply: (order: SandboxOrder, req: Request, res: Response) => boolean) => (req: Request, res: Response) => {
    const order = state.orders.get(String(req.params.orderId));
    if (!order) { res.status(404).json({ error: 'not_found', message: `no order ${req.params.orderId}` }); return; }
    if (!apply(order, req, res)) return;
    order.status = change;
    order.updatedAtMs = Math.max(context.nowMs(), order.updatedAtMs + 1);
    definition.onOrderChanged?.(order.orderId, change, context);
    res.json(order);
  };
  router.post('/orders/:orderId/cancel', transition('cancelled', (order, req, res) => {
    const body = parse(cancelSchema, req, res);
    if (!body) return false;
    for (const line of order.lines) line.cancelReason = body.reason;
    return true;
  }));
  router.post('/orders/:orderId/ship', transition('shipped', () => true));
  router.post('/orders/:orderId/return-request', transition('return_requested', () => true));
  router.post('/orders/:orderId/return-receive', transition('return_received', (order, req, res) => {
    const body = parse(returnSchema, req, res);
    if (!body) return false;
    for (const line of order.lines) line.condition = body.condition;
    return true;
  }));

  router.post('/tokens/expire', (_req, res) => { context.tokenEpoch += 1; res.json({ tokenEpoch: context.tokenEpoch }); });
  router.get('/faults', (_req, res) => { res.json(context.faults); });
  router.put('/faults', (req, res) => {
    const body = parse(faultsSchema.partial().strict(), req, res);
    if (!body) return;
    context.faults = { ...context.faults, ...body };
    res.json(context.faults);
  });
  router.put('/config', (req, res) => {
    const body = parse(configSchema, req, res);
    if (!body) return;
    Object.assign(context.options, body);
    res.json(context.options);
  });
  router.get('/requests', (req, res) => {
    const sinceMs = Number(req.query.since ?? 0);
    res.json({ requests: requests.filter((entry) => entry.atMs >= sinceMs) });
  });
  router.delete('/requests', (_req, res) => { requests.length = 0; res.json({ cleared: true }); });
  router.get('/deliveries', (_req, res) => { res.json({ deliveries: sender.deliveries }); });

  app.use('/_sandbox', router);
}
