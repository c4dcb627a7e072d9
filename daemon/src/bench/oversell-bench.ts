/**
 * `shelfguard bench oversell`: many concurrent one-unit orders from several channels against
 * limited stock, through the real ledger. The ledger must accept exactly the stock and no more,
 * every time, on both stores; the figures show what the decision costs.
 */
import { Catalogue } from '../ledger/catalogue.js';
import { Ledger } from '../ledger/ledger.js';
import { LedgerQueries } from '../ledger/queries.js';
import { openBenchDatabase, percentile } from './bench-database.js';

export interface OversellBenchOptions {
  store: 'sqlite' | 'mysql';
  orders: number;
  stock: number;
  channels: number;
  mysqlUrl?: string;
}

export interface OversellBenchResult {
  store: string;
  orders: number;
  stock: number;
  channels: number;
  accepted: number;
  rejected: number;
  oversold: number;
  min_available: number;
  final_available: number;
  conservation_violations: number;
  p50_ms: number;
  p99_ms: number;
  seconds: number;
}

const SKU = 'BENCH-SKU';

export async function runOversellBench(options: OversellBenchOptions): Promise<OversellBenchResult> {
  const database = await openBenchDatabase(options.store, options.mysqlUrl, 20);
  try {
    const { store } = database;
    const catalogue = new Catalogue(store);
    const ledger = new Ledger(store);
    const queries = new LedgerQueries(store);
    await catalogue.ensureDefaults();
    const channels = Array.from({ length: options.channels }, (_, index) => `bench-channel-${index + 1}`);
    for (const channel of channels) await catalogue.upsertChannel({ code: channel, mode: 'live', locations: ['main'] });
    await catalogue.upsertSku({ code: SKU, kind: 'simple' });
    await ledger.adjust({ key: 'bench:opening', sku: SKU, location: 'main', delta: options.stock, reason: 'received', channel: null, actor: 'bench' });

    let minAvailable = options.stock;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await queries.stockOf(SKU);
        if (row) minAvailable = Math.min(minAvailable, row.available);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const started = performance.now();
    const latencies: number[] = [];
    const outcomes = await Promise.all(Array.from({ length: options.orders }, async (_, index) => {
      const channel = channels[index % channels.length]!;
      const begun = performance.now();
      const reply = await ledger.reserve({ key: `${channel}:order-${index}:1`, channel, orderRef: `order-${index}`, lineRef: '1', sku: SKU, quantity: 1, locations: ['main'], actor: 'bench' });
      latencies.push(performance.now() - begun);
      if (!reply.ok) throw new Error(`order ${index} failed: ${reply.error.message}`);
      return reply.value.outcome.result;
    }));
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;

    const [final] = await queries.stockOf(SKU);
    const accepted = outcomes.filter((result) => result === 'applied').length;
    latencies.sort((a, b) => a - b);
    return {
      store: options.store,
      orders: options.orders,
      stock: options.stock,
      channels: options.channels,
      accepted,
      rejected: outcomes.length - accepted,
      oversold: Math.max(0, accepted - options.stock) + Math.max(0, -(final?.available ?? 0)),
      min_available: Math.min(minAvailable, final?.available ?? 0),
      final_available: final?.available ?? 0,
      conservation_violations: (await queries.conservationViolations()).length,
      p50_ms: Number(percentile(latencies, 0.5).toFixed(2)),
      p99_ms: Number(percentile(latencies, 0.99).toFixed(2)),
      seconds: Number(seconds.toFixed(3)),
    };
  } finally {
    await database.dispose();
  }
}
