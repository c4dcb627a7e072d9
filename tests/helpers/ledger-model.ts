/**
 * An in-memory model of the ledger for model-based tests (RELIABILITY A2): a small fixed
 * catalogue (simple SKUs, one allowing backorders, a shared pool, a kit), and a model that
 * predicts what each intent must do to stock per (stock holder, location), which keys record an
 * intent, how many movements each key writes and which takes are oversold. It is deliberately
 * written from the ledger's contract, not from its code: where the two disagree, a test fails.
 */
import type { Catalogue } from '../../daemon/src/ledger/catalogue.js';
import type { IntentOutcome } from '../../daemon/src/ledger/ledger-types.js';

export const MODEL_CHANNELS: Record<string, string[]> = { woocommerce: ['main'], ebay: ['main', 'overflow'] };
export const MODEL_LOCATIONS = ['main', 'overflow'];

export interface ModelSku {
  code: string;
  /** The SKU whose stock rows this one uses (itself, or its pool parent). */
  holder: string;
  allowsBackorders: boolean;
  /** Kits: components in the ledger's order (by component code). */
  components?: Array<{ code: string; holder: string; quantity: number }>;
}

export const MODEL_SKUS: ModelSku[] = [
  { code: 'A', holder: 'A', allowsBackorders: false },
  { code: 'B', holder: 'B', allowsBackorders: false },
  { code: 'BO', holder: 'BO', allowsBackorders: true },
  { code: 'P', holder: 'P', allowsBackorders: false },
  { code: 'P-RED', holder: 'P', allowsBackorders: false },
  { code: 'KIT', holder: 'KIT', allowsBackorders: false, components: [{ code: 'A', holder: 'A', quantity: 2 }, { code: 'P-RED', holder: 'P', quantity: 1 }] },
];

/** SKUs whose own stock rows can be adjusted and counted (not kits). */
export const MODEL_STOCK_SKUS = MODEL_SKUS.filter((sku) => !sku.components).map((sku) => sku.code);
export const MODEL_TAKE_SKUS = MODEL_SKUS.map((sku) => sku.code);
export const BACKORDER_HOLDERS = new Set(MODEL_SKUS.filter((sku) => sku.allowsBackorders).map((sku) => sku.holder));

function skuOf(code: string): ModelSku {
  const sku = MODEL_SKUS.find((candidate) => candidate.code === code);
  if (!sku) throw new Error(`the model has no SKU ${code}`);
  return sku;
}

/** Writes the model's catalogue into a fresh ledger, with listings so every write also enqueues pushes. */
export async function seedModelCatalogue(catalogue: Catalogue): Promise<void> {
  const must = <T>(result: { ok: boolean; error?: T }) => { if (!result.ok) throw new Error(`catalogue seed failed: ${JSON.stringify(result.error)}`); };
  await catalogue.ensureDefaults();
  must(await catalogue.upsertLocation('overflow', 'Overflow warehouse'));
  must(await catalogue.upsertChannel({ code: 'ebay', mode: 'live', subtractsHeld: true, locations: MODEL_CHANNELS.ebay! }));
  must(await catalogue.upsertSku({ code: 'A', kind: 'simple' }));
  must(await catalogue.upsertSku({ code: 'B', kind: 'simple' }));
  must(await catalogue.upsertSku({ code: 'BO', kind: 'simple', allowsBackorders: true }));
  must(await catalogue.upsertSku({ code: 'P', kind: 'variable' }));
  must(await catalogue.upsertSku({ code: 'P-RED', kind: 'variation', parent: 'P', usesParentStock: true, attributes: { color: 'Red' } }));
  must(await catalogue.upsertSku({ code: 'KIT', kind: 'kit' }));
  must(await catalogue.setKitComponents('KIT', [{ sku: 'A', quantity: 2 }, { sku: 'P-RED', quantity: 1 }]));
  for (const channel of Object.keys(MODEL_CHANNELS)) {
    for (const sku of ['A', 'BO', 'P-RED', 'KIT']) must(await catalogue.upsertListing({ channel, sku }));
  }
}

export type IntentKind = 'sell' | 'reserve' | 'commit' | 'release' | 'adjust' | 'count' | 'restock';

/** One intent as sent to the ledger: its kind and its request (key included). */
export interface Issued {
  kind: IntentKind;
  request: Record<string, unknown> & { key: string };
}

/** What the model says the ledger must answer, in a shape that compares with toEqual. */
export type Expected =
  | { ok: true; result: 'applied' | 'noop'; movements: number }
  | { ok: true; result: 'oversold'; movements: 0; short: string; available: number }
  | { ok: false; code: string };

export interface Position {
  onHand: number;
  committed: number;
  damaged: number;
}

interface ModelReservation {
  line: string;
  holder: string;
  location: string;
  quantity: number;
  isOpen: boolean;
}

const rowKey = (holder: string, location: string) => `${holder}@${location}`;
const lineKey = (request: Record<string, unknown>) => `${String(request.channel)}/${String(request.orderRef)}/${String(request.lineRef)}`;

export class LedgerModel {
  readonly stock = new Map<string, Position>();
  readonly reservations: ModelReservation[] = [];
  /** Keys the ledger stored, with what they were sent and the outcome the ledger answered. */
  readonly recorded = new Map<string, { issued: Issued; outcome: IntentOutcome }>();
  readonly movementsByKey = new Map<string, number>();
  readonly oversellKeys = new Set<string>();
  private keyCounter = 0;

  nextKey(kind: IntentKind): string {
    this.keyCounter += 1;
    return `${kind}:${this.keyCounter}`;
  }

  position(holder: string, location: string): Position {
    return this.stock.get(rowKey(holder, location)) ?? { onHand: 0, committed: 0, damaged: 0 };
  }

  /** Stock rows that are not all zero, keyed `holder@location`. */
  nonZeroStock(): Record<string, Position> {
    return Object.fromEntries([...this.stock].filter(([, p]) => p.onHand !== 0 || p.committed !== 0 || p.damaged !== 0));
  }

  record(issued: Issued, outcome: IntentOutcome): void {
    this.recorded.set(issued.request.key, { issued, outcome });
  }

  /** Predicts the answer to a fresh intent and applies its effect to the model. */
  apply(issued: Issued): Expected {
    const r = issued.request;
    switch (issued.kind) {
      case 'sell': return this.take(r, (p, quantity) => ({ ...p, onHand: p.onHand - quantity }), false);
      case 'reserve': return this.take(r, (p, quantity) => ({ ...p, committed: p.committed + quantity }), true);
      case 'commit': return this.settle(r, (p, quantity) => ({ ...p, onHand: p.onHand - quantity, committed: p.committed - quantity }));
      case 'release': return this.settle(r, (p, quantity) => ({ ...p, committed: p.committed - quantity }));
      case 'adjust': return this.adjust(r);
      case 'count': return this.count(r);
      case 'restock': return this.restock(r);
    }
  }

  private applied(key: string, movements: number, result: 'applied' | 'noop' = 'applied'): Expected {
    if (movements > 0) this.movementsByKey.set(key, movements);
    return { ok: true, result, movements };
  }

  private take(r: Issued['request'], change: (p: Position, quantity: number) => Position, isReservation: boolean): Expected {
    const sku = skuOf(String(r.sku));
    const quantity = Number(r.quantity);
    const parts = sku.components
      ? sku.components.map((component) => ({ code: component.code, holder: component.holder, quantity: component.quantity * quantity }))
      : [{ code: sku.code, holder: sku.holder, quantity }];
    const working = new Map<string, Position>();
    const placed: ModelReservation[] = [];
    for (const part of parts) {
      const location = (r.locations as string[]).find((candidate) => {
        const current = working.get(rowKey(part.holder, candidate)) ?? this.position(part.holder, candidate);
        return BACKORDER_HOLDERS.has(part.holder) || current.onHand - current.committed - part.quantity >= 0;
      });
      if (location === undefined) {
        this.oversellKeys.add(r.key);
        const available = MODEL_LOCATIONS.reduce((sum, at) => sum + this.position(part.holder, at).onHand - this.position(part.holder, at).committed, 0);
        return { ok: true, result: 'oversold', movements: 0, short: part.code, available };
      }
      const current = working.get(rowKey(part.holder, location)) ?? this.position(part.holder, location);
      working.set(rowKey(part.holder, location), change(current, part.quantity));
      if (isReservation) placed.push({ line: lineKey(r), holder: part.holder, location, quantity: part.quantity, isOpen: true });
    }
    for (const [key, position] of working) this.stock.set(key, position);
    this.reservations.push(...placed);
    return this.applied(r.key, parts.length);
  }

  private settle(r: Issued['request'], change: (p: Position, quantity: number) => Position): Expected {
    const open = this.reservations.filter((reservation) => reservation.isOpen && reservation.line === lineKey(r));
    if (open.length === 0) return this.applied(r.key, 0, 'noop');
    for (const reservation of open) {
      reservation.isOpen = false;
      this.stock.set(rowKey(reservation.holder, reservation.location), change(this.position(reservation.holder, reservation.location), reservation.quantity));
    }
    return this.applied(r.key, open.length);
  }

  private adjust(r: Issued['request']): Expected {
    const holder = skuOf(String(r.sku)).holder;
    const location = String(r.location);
    const delta = Number(r.delta);
    const current = this.position(holder, location);
    if (delta < 0 && !BACKORDER_HOLDERS.has(holder) && current.onHand - current.committed + delta < 0) return { ok: false, code: 'insufficient_stock' };
    this.stock.set(rowKey(holder, location), { ...current, onHand: current.onHand + delta });
    return this.applied(r.key, 1);
  }

  private count(r: Issued['request']): Expected {
    const holder = skuOf(String(r.sku)).holder;
    const location = String(r.location);
    const current = this.position(holder, location);
    const delta = Number(r.available) - (current.onHand - current.committed);
    if (delta === 0) return this.applied(r.key, 0, 'noop');
    this.stock.set(rowKey(holder, location), { ...current, onHand: current.onHand + delta });
    return this.applied(r.key, 1);
  }

  private restock(r: Issued['request']): Expected {
    const sku = skuOf(String(r.sku));
    const quantity = Number(r.quantity);
    const location = String(r.location);
    const targets = sku.components ? sku.components.map((component) => ({ holder: component.holder, quantity: component.quantity * quantity })) : [{ holder: sku.holder, quantity }];
    for (const target of targets) {
      const current = this.position(target.holder, location);
      this.stock.set(rowKey(target.holder, location), r.condition === 'sellable' ? { ...current, onHand: current.onHand + target.quantity } : { ...current, damaged: current.damaged + target.quantity });
    }
    return this.applied(r.key, targets.length);
  }
}

/** `{ seed, path }` from SHELFGUARD_FC_SEED / SHELFGUARD_FC_PATH, to replay a printed failure exactly. */
export function replayParameters(): { seed?: number; path?: string } {
  const seed = process.env.SHELFGUARD_FC_SEED;
  const path = process.env.SHELFGUARD_FC_PATH;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

/** The `replayPath` fast-check prints inside a failing command list (SHELFGUARD_FC_REPLAY_PATH). */
export function commandsReplayPath(): { replayPath?: string } {
  const replayPath = process.env.SHELFGUARD_FC_REPLAY_PATH;
  return replayPath ? { replayPath } : {};
}
