/**
 * `bench oversell-sim`: a peak day simulated in virtual time (no I/O). Orders arrive as a Poisson
 * process on five channels over limited stock. Each channel shows its own copy of the quantity
 * and lowers it on its own sales; what changes it from elsewhere depends on the strategy — a poll
 * every 15 or 5 minutes, or this engine's push after `propagationMs` (with or without a buffer of
 * one unit). An order placed where the shelf is already empty is an oversell.
 */
import { seededRandom } from '../sandbox/kit/seeded-random.js';

const DAY_MS = 24 * 3_600_000;
const CHANNELS = 5;
const STOCK_MAX = 12;

interface Strategy { name: string; pollMs?: number; propagationMs?: number; buffer: number }

export interface OversellSimResult {
  orders: number;
  oversold: Record<string, number>;
  reduction_vs_5min_polling: number;
  propagation_ms: number;
}

function simulate(strategy: Strategy, options: { seed: number; ordersPerHour: number; skus: number }): number {
  const random = seededRandom(options.seed);
  const stock = Array.from({ length: options.skus }, () => 1 + Math.floor(random() * STOCK_MAX));
  const shown = stock.map((level) => Array.from({ length: CHANNELS }, () => Math.max(0, level - strategy.buffer)));
  // Pending engine pushes: [time, sku] — every channel learns the level at that time.
  const pending: Array<{ atMs: number; sku: number }> = [];
  const ratePerMs = options.ordersPerHour / 3_600_000;
  let now = 0;
  let nextPoll = strategy.pollMs ?? Infinity;
  let oversold = 0;
  const publish = (sku: number) => { for (let channel = 0; channel < CHANNELS; channel += 1) shown[sku]![channel] = Math.max(0, stock[sku]! - strategy.buffer); };
  for (;;) {
    now += -Math.log(1 - random()) / ratePerMs;
    if (now > DAY_MS) break;
    while (nextPoll <= now) { for (let sku = 0; sku < options.skus; sku += 1) publish(sku); nextPoll += strategy.pollMs!; }
    while (pending.length > 0 && pending[0]!.atMs <= now) publish(pending.shift()!.sku);
    // Popular SKUs sell more: a skewed pick.
    const sku = Math.floor(random() ** 2 * options.skus);
    const channel = Math.floor(random() * CHANNELS);
    if (shown[sku]![channel]! <= 0) continue; // the buyer sees none and does not order
    shown[sku]![channel]! -= 1;
    if (stock[sku]! > 0) stock[sku]! -= 1;
    else oversold += 1;
    if (strategy.propagationMs !== undefined) pending.push({ atMs: now + strategy.propagationMs, sku });
  }
  return oversold;
}

export function runOversellSim(options: { seed: number; ordersPerHour: number; skus: number; propagationMs: number }): OversellSimResult {
  const strategies: Strategy[] = [
    { name: 'polling_15min', pollMs: 15 * 60_000, buffer: 0 },
    { name: 'polling_5min', pollMs: 5 * 60_000, buffer: 0 },
    { name: 'shelfguard', propagationMs: options.propagationMs, buffer: 0 },
    { name: 'shelfguard_buffer_1', propagationMs: options.propagationMs, buffer: 1 },
  ];
  const oversold: Record<string, number> = {};
  for (const strategy of strategies) oversold[strategy.name] = simulate(strategy, options);
  const baseline = oversold.polling_5min!;
  return { orders: Math.round(options.ordersPerHour * 24), oversold, reduction_vs_5min_polling: baseline === 0 ? 1 : Math.round((1 - oversold.shelfguard! / baseline) * 10_000) / 10_000, propagation_ms: options.propagationMs };
}
