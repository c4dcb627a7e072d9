/**
 * The WooCommerce sandbox: a stand-in for the Shelfguard plugin's signed adjustments endpoint
 * (contracts/README.md and adjustments.schema.json) and for the WooCommerce REST product list
 * (Basic auth with a WordPress application password, X-WP-Total / X-WP-TotalPages paging).
 * Errors are WP_Error-shaped: {code, message, data: {status}}. WooCommerce orders reach the
 * daemon as plugin events, so seeded orders only change stock here and send nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import express, { type Express, type Request, type Response } from 'express';
import { Webhook } from 'standardwebhooks';
import type { MarketplaceSandbox, SandboxContext } from '../kit/sandbox-server.js';
import type { SandboxListing } from '../kit/sandbox-state.js';
import { seededRandom } from '../kit/seeded-random.js';

const here = dirname(fileURLToPath(import.meta.url));
const validateAdjustments = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(here, '../../../../contracts/adjustments.schema.json'), 'utf8')) as object);
const PER_PAGE_MAX = 100;
const FIRST_PRODUCT_ID = 100;

function wpError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ code, message, data: { status } });
}

function productJson(listing: SandboxListing, context: SandboxContext) {
  const children = [...context.state.listings.values()].filter((candidate) => candidate.parentSku === listing.sku);
  const isVariation = Boolean(listing.parentSku);
  return {
    id: Number(listing.identifiers.productId),
    name: `Sandbox ${listing.sku}`,
    type: listing.isParent ? 'variable' : isVariation ? 'variation' : 'simple',
    sku: listing.sku,
    price: listing.price,
    regular_price: listing.price,
    manage_stock: !listing.isParent,
    stock_quantity: listing.isParent ? null : listing.quantity,
    stock_status: listing.isParent ? (children.some((child) => child.quantity > 0) ? 'instock' : 'outofstock') : listing.quantity > 0 ? 'instock' : 'outofstock',
    ...(isVariation ? { parent_id: Number(listing.identifiers.parentId) } : { variations: children.map((child) => Number(child.identifiers.productId)) }),
  };
}

/** PHP keeps the last of repeated query keys (?page=1&page=2 is page 2); so does the sandbox. */
function queryValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function paged(req: Request, res: Response, items: unknown[]): void {
  const perPage = Number(queryValue(req.query.per_page) ?? 10);
  const page = Number(queryValue(req.query.page) ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > PER_PAGE_MAX) { wpError(res, 400, 'rest_invalid_param', `Invalid parameter(s): per_page (per_page must be between 1 (inclusive) and ${PER_PAGE_MAX} (inclusive))`); return; }
  if (!Number.isInteger(page) || page < 1) { wpError(res, 400, 'rest_invalid_param', 'Invalid parameter(s): page'); return; }
  res.setHeader('X-WP-Total', String(items.length));
  res.setHeader('X-WP-TotalPages', String(Math.max(1, Math.ceil(items.length / perPage))));
  res.json(items.slice((page - 1) * perPage, page * perPage));
}

export function createSandboxDefinition(options: { seed?: number } = {}): MarketplaceSandbox {
  const random = seededRandom(options.seed ?? 1);
  const letters = () => Array.from({ length: 4 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(random() * 62)]).join('');
  // Test-only: the application password has WordPress's "xxxx xxxx xxxx xxxx xxxx xxxx" form.
  const credentials = {
    username: 'shelfguard-sandbox',
    applicationPassword: Array.from({ length: 6 }, letters).join(' '),
    webhookSecret: `whsec_${Buffer.from(Array.from({ length: 8 }, letters).join('')).toString('base64')}`,
  };
  let nextProductId = FIRST_PRODUCT_ID;
  const idByParentSku = new Map<string, string>();
  /** Applied keys with the payload digest they were applied with (the plugin keeps them ≥ 7 days). */
  const applied = new Map<string, { digest: string; stockAfter: number }>();

  function basicAuth(req: Request, res: Response): boolean {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.header('authorization') ?? '');
    if (!match) { wpError(res, 401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'); return false; }
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // WordPress ignores the spaces in an application password.
    if (decoded.slice(0, colon) !== credentials.username || decoded.slice(colon + 1).replaceAll(' ', '') !== credentials.applicationPassword.replaceAll(' ', '')) {
      wpError(res, 401, 'incorrect_password', 'The provided password is an invalid application password.');
      return false;
    }
    return true;
  }

  function installRoutes(app: Express, context: SandboxContext): void {
    const { state } = context;
    const topLevel = () => [...state.listings.values()].filter((listing) => !listing.parentSku).sort((a, b) => Number(a.identifiers.productId) - Number(b.identifiers.productId));
    const byId = (id: string) => [...state.listings.values()].find((listing) => listing.identifiers.productId === id);

    app.get('/wp-json/wc/v3/products', (req, res) => { if (basicAuth(req, res)) paged(req, res, topLevel().map((listing) => productJson(listing, context))); });
    app.get('/wp-json/wc/v3/products/:id', (req, res) => {
      if (!basicAuth(req, res)) return;
      const listing = byId(String(req.params.id));
      if (!listing) wpError(res, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
      else res.json(productJson(listing, context));
    });
    app.get('/wp-json/wc/v3/products/:id/variations', (req, res) => {
      if (!basicAuth(req, res)) return;
      const parent = byId(String(req.params.id));
      if (!parent) { wpError(res, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.'); return; }
      paged(req, res, [...state.listings.values()].filter((listing) => listing.parentSku === parent.sku).map((listing) => productJson(listing, context)));
    });

    app.post('/wp-json/shelfguard/v1/adjustments', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        new Webhook(credentials.webhookSecret).verify(raw.toString('utf8'), { 'webhook-id': req.header('webhook-id') ?? '', 'webhook-timestamp': req.header('webhook-timestamp') ?? '', 'webhook-signature': req.header('webhook-signature') ?? '' });
      } catch {
        wpError(res, 401, 'shelfguard_invalid_signature', 'The request signature or timestamp is invalid.');
        return;
      }
      let body: { adjustments: Array<{ key: string; product_id: number; delta: number }> };
      try { body = JSON.parse(raw.toString('utf8')) as typeof body; } catch { wpError(res, 400, 'rest_invalid_json', 'Invalid JSON body passed.'); return; }
      if (!validateAdjustments(body)) {
        wpError(res, 400, 'rest_invalid_param', `Invalid adjustments batch: ${(validateAdjustments.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message}`).join('; ')}`);
        return;
      }
      res.json({ results: body.adjustments.map((adjustment) => applyAdjustment(adjustment, context)) });
    });
  }

  function applyAdjustment(adjustment: { key: string; product_id: number; delta: number }, context: SandboxContext) {
    const digest = createHash('sha256').update(JSON.stringify(adjustment)).digest('hex');
    const before = applied.get(adjustment.key);
    if (before) {
      return before.digest === digest
        ? { key: adjustment.key, status: 'duplicate', stock_after: before.stockAfter }
        : { key: adjustment.key, status: 'rejected', code: 'idempotency_conflict', message: 'This key was applied before with a different adjustment.' };
    }
    const listing = [...context.state.listings.values()].find((candidate) => candidate.identifiers.productId === String(adjustment.product_id));
    if (!listing) return { key: adjustment.key, status: 'rejected', code: 'unknown_product', message: `No product ${adjustment.product_id}.` };
    if (listing.isParent) return { key: adjustment.key, status: 'rejected', code: 'stock_not_managed', message: `Product ${adjustment.product_id} does not manage stock.` };
    // wc_update_product_stock increase/decrease: relative and without a floor, as WooCommerce core.
    listing.quantity += adjustment.delta;
    listing.updatedAtMs = context.nowMs();
    applied.set(adjustment.key, { digest, stockAfter: listing.quantity });
    return { key: adjustment.key, status: 'applied', stock_after: listing.quantity };
  }

  return {
    marketplace: 'woocommerce',
    credentials,
    operations: {},
    assignIdentifiers(listing): Record<string, string> {
      if (listing.parentSku) {
        let parentId = idByParentSku.get(listing.parentSku);
        if (!parentId) { parentId = String(nextProductId++); idByParentSku.set(listing.parentSku, parentId); }
        return { productId: String(nextProductId++), parentId };
      }
      const existing = idByParentSku.get(listing.sku);
      if (existing) return { productId: existing };
      const productId = String(nextProductId++);
      idByParentSku.set(listing.sku, productId);
      return { productId };
    },
    sendRateLimited(res, retryAfterMs) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      wpError(res, 429, 'rest_too_many_requests', 'Too many requests; retry later.');
    },
    sendServerError(res) { wpError(res, 500, 'internal_server_error', 'There has been a critical error on this website.'); },
    installRoutes,
  };
}
