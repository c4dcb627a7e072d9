/**
 * How a marketplace order line's stock follows its status: pure. Events may arrive in any order
 * and more than once; the line keeps the newest status by the marketplace's own update time, and
 * the stock steps are the ones that move the ledger from what it holds for the line to what the
 * newest status calls for. A cancel that arrives before its create is kept (the line is recorded
 * as released), so the late create, being older, changes nothing.
 */
import type { ChannelOrderStatus } from '../channels/channel.js';

/** What the ledger holds for a line. `external`: the marketplace ships from its own stock and no
 * Shelfguard location is its source. */
export type StockState = 'none' | 'reserved' | 'committed' | 'released' | 'returned' | 'oversold' | 'external';

export type StockStep = 'reserve' | 'commit' | 'release' | 'restock' | 'resolve_oversell';

export interface LineState {
  status: ChannelOrderStatus;
  sourceUpdatedAtMs: number;
  stockState: StockState;
}

/** Later in an order's life; breaks ties between events stamped in the same millisecond. */
const STATUS_RANK: Record<ChannelOrderStatus, number> = { created: 0, shipped: 1, delivered: 2, return_requested: 3, return_received: 4, cancelled: 5 };

const TARGET: Record<ChannelOrderStatus, StockState> = {
  created: 'reserved', shipped: 'committed', delivered: 'committed', return_requested: 'committed', return_received: 'returned', cancelled: 'released',
};

/** Steps from one stock state to another; transitions that make no physical sense do nothing. */
const STEPS: Record<StockState, Partial<Record<StockState, StockStep[]>>> = {
  none: { reserved: ['reserve'], committed: ['reserve', 'commit'], returned: ['reserve', 'commit', 'restock'], released: [] },
  reserved: { committed: ['commit'], released: ['release'], returned: ['commit', 'restock'] },
  committed: { returned: ['restock'] },
  oversold: { released: ['resolve_oversell'] },
  released: {},
  returned: {},
  external: {},
};

export function isNewer(incoming: { status: ChannelOrderStatus; updatedAtMs: number }, current: LineState | undefined): boolean {
  if (!current) return true;
  if (incoming.updatedAtMs !== current.sourceUpdatedAtMs) return incoming.updatedAtMs > current.sourceUpdatedAtMs;
  return STATUS_RANK[incoming.status] > STATUS_RANK[current.status];
}

/** The steps to run for an incoming status, or none when it is older than what the line holds. */
export function planLine(current: LineState | undefined, incoming: { status: ChannelOrderStatus; updatedAtMs: number }, external: boolean): { steps: StockStep[]; newer: boolean } {
  if (!isNewer(incoming, current)) return { steps: [], newer: false };
  const from: StockState = current?.stockState ?? (external ? 'external' : 'none');
  if (from === 'external') return { steps: [], newer: true };
  return { steps: STEPS[from][TARGET[incoming.status]] ?? [], newer: true };
}

/** The stock state a step leaves the line in. */
export function stateAfter(step: StockStep, outcome: 'applied' | 'oversold' | 'noop'): StockState {
  if (step === 'reserve') return outcome === 'oversold' ? 'oversold' : 'reserved';
  if (step === 'commit') return 'committed';
  if (step === 'release' || step === 'resolve_oversell') return 'released';
  return 'returned';
}
