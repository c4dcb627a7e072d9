/**
 * RELIABILITY A2: random sequences of intents (sell, reserve, commit, release, adjust ±, count,
 * restock sellable/damaged, replays and conflicting replays) run against the real ledger and an
 * in-memory model; after every command an auditor checks I1 (conservation, and stock equal to the
 * model), I2 (no SKU without backorders below zero; every take that does not fit is an oversell)
 * and I3 (each key has at most one effect). fast-check prints the seed, path and replayPath of a
 * failure; SHELFGUARD_FC_SEED, SHELFGUARD_FC_PATH and SHELFGUARD_FC_REPLAY_PATH replay it.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { Ledger } from '../../../daemon/src/ledger/ledger.js';
import type { LedgerResult } from '../../../daemon/src/ledger/ledger-types.js';
import type { IntentReply } from '../../../daemon/src/ledger/intents.js';
import { migrateToLatest } from '../../../daemon/src/ledger/migrations.js';
import { LedgerQueries } from '../../../daemon/src/ledger/queries.js';
import { openStore, type Store } from '../../../daemon/src/ledger/store.js';
import {
  BACKORDER_HOLDERS, LedgerModel, MODEL_CHANNELS, MODEL_LOCATIONS, MODEL_STOCK_SKUS, MODEL_TAKE_SKUS,
  commandsReplayPath, replayParameters, seedModelCatalogue, type Expected, type IntentKind, type Issued, type Position,
} from '../../helpers/ledger-model.js';
import { openTestStore } from '../../helpers/stores.js';

interface Real {
  store: Store;
  ledger: Ledger;
  queries: LedgerQueries;
}

type Command = fc.AsyncCommand<LedgerModel, Real>;
const actor = 'model-test';

function send(ledger: Ledger, { kind, request }: Issued): Promise<LedgerResult<IntentReply>> {
  const r = request as never;
  switch (kind) {
    case 'sell': return ledger.sell(r);
    case 'reserve': return ledger.reserve(r);
    case 'commit': return ledger.commitReservation(r);
    case 'release': return ledger.releaseReservation(r);
    case 'adjust': return ledger.adjust(r);
    case 'count': return ledger.count(r);
    case 'restock': return ledger.restock(r);
  }
}

/** The answer in the model's shape; anything the model does not predict is left out. */
function summarise(answer: LedgerResult<IntentReply>): Expected | { ok: true; status: string } {
  if (!answer.ok) return { ok: false, code: answer.error.code };
  const { status, outcome } = answer.value;
  if (status !== 'applied') return { ok: true, status };
  if (outcome.result === 'oversold') return { ok: true, result: 'oversold', movements: 0, short: String(outcome.detail.short), available: Number(outcome.detail.available) };
  return { ok: true, result: outcome.result, movements: outcome.movements };
}

/** expect() only on a mismatch: the audit runs after every command, and expect() is slow. */
function same<T>(what: string, actual: T, expected: T): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect({ [what]: actual }).toEqual({ [what]: expected });
}

const sortedEntries = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

interface AuditRow {
  kind: 'stock' | 'movements' | 'oversells' | 'intents';
  name: string;
  place: string;
  first: number;
  second: number;
  third: number;
}

/** Stock rows, movements per key, oversells per key and the number of keys, in one statement:
 * the audit runs after every command, and each statement costs a prepare. */
const auditQuery = sql<AuditRow>`
  select 'stock' as kind, sku.code as name, location.code as place, stock.on_hand as first, stock.committed as second, stock.damaged as third
    from stock join sku on sku.id = stock.sku_id join location on location.id = stock.location_id
  union all select 'movements', intent_key, '', count(*), 0, 0 from movement group by intent_key
  union all select 'oversells', intent_key, '', count(*), 0, 0 from oversell group by intent_key
  union all select 'intents', '', '', count(*), 0, 0 from intent`;

/** I1, I2 and I3 against the whole database, after every command. */
async function audit(model: LedgerModel, { store, queries }: Real): Promise<void> {
  same('I1 conservation violations', await queries.conservationViolations(), []);
  const stock: Array<[string, Position]> = [];
  const movements: Array<[string, number]> = [];
  const oversells: Array<[string, number]> = [];
  let intents = 0;
  for (const row of (await auditQuery.execute(store.db)).rows) {
    const [first, second, third] = [Number(row.first), Number(row.second), Number(row.third)];
    if (row.kind === 'stock') {
      if (first !== 0 || second !== 0 || third !== 0) stock.push([`${row.name}@${row.place}`, { onHand: first, committed: second, damaged: third }]);
      if (first - second < 0 && !BACKORDER_HOLDERS.has(row.name)) same(`I2 available of ${row.name}@${row.place}`, first - second, 0);
    } else if (row.kind === 'movements') movements.push([row.name, first]);
    else if (row.kind === 'oversells') oversells.push([row.name, first]);
    else intents = first;
  }
  same('I1 stock against the model', sortedEntries(stock), sortedEntries(Object.entries(model.nonZeroStock())));
  same('I3 movements per key', sortedEntries(movements), sortedEntries(model.movementsByKey));
  same('I2 one oversell per take that did not fit', sortedEntries(oversells), sortedEntries([...model.oversellKeys].map((key): [string, number] => [key, 1])));
  same('I3 keys recorded', intents, model.recorded.size);
}

/** A new intent with a fresh key: the model predicts the answer, the ledger must give it. */
class FreshIntent implements Command {
  constructor(private readonly kind: IntentKind, private readonly fields: Record<string, unknown>) {}
  check(): boolean {
    return true;
  }
  async run(model: LedgerModel, real: Real): Promise<void> {
    const issued: Issued = { kind: this.kind, request: { ...this.fields, key: model.nextKey(this.kind), actor } };
    const expected = model.apply(issued);
    const answer = await send(real.ledger, issued);
    expect({ command: this.toString(), answer: summarise(answer) }).toEqual({ command: this.toString(), answer: expected });
    if (answer.ok) model.record(issued, answer.value.outcome);
    await audit(model, real);
  }
  toString(): string {
    return `${this.kind}(${JSON.stringify(this.fields)})`;
  }
}

/** A second delivery of an earlier key: the same payload is a duplicate, another is a conflict. */
class Replay implements Command {
  constructor(private readonly pick: number, private readonly isConflicting: boolean) {}
  check(model: Readonly<LedgerModel>): boolean {
    return model.recorded.size > 0;
  }
  async run(model: LedgerModel, real: Real): Promise<void> {
    const keys = [...model.recorded.keys()];
    const { issued, outcome } = model.recorded.get(keys[this.pick % keys.length]!)!;
    if (this.isConflicting) {
      const answer = await send(real.ledger, { kind: issued.kind, request: { ...issued.request, reference: `conflicting-replay://${issued.request.key}` } });
      expect(answer).toEqual({ ok: false, error: { code: 'idempotency_conflict', message: expect.any(String) } });
    } else {
      expect(await send(real.ledger, issued)).toEqual({ ok: true, value: { status: 'duplicate', outcome } });
    }
    await audit(model, real);
  }
  toString(): string {
    return `${this.isConflicting ? 'conflictingReplay' : 'replay'}(${this.pick})`;
  }
}

const takeSku = fc.constantFrom(...MODEL_TAKE_SKUS);
const stockSku = fc.constantFrom(...MODEL_STOCK_SKUS);
const location = fc.constantFrom(...MODEL_LOCATIONS);
const channel = fc.constantFrom(...Object.keys(MODEL_CHANNELS));
const line = { orderRef: fc.constantFrom('o1', 'o2', 'o3', 'o4'), lineRef: fc.constantFrom('1', '2') };
const fresh = (kind: IntentKind, fields: fc.Arbitrary<Record<string, unknown>>) => fields.map((value): Command => new FreshIntent(kind, value));

const commands = [
  fresh('sell', fc.record({ sku: takeSku, quantity: fc.integer({ min: 1, max: 4 }), channel }).map((f) => ({ ...f, locations: MODEL_CHANNELS[f.channel]! }))),
  fresh('reserve', fc.record({ sku: takeSku, quantity: fc.integer({ min: 1, max: 4 }), channel, ...line }).map((f) => ({ ...f, locations: MODEL_CHANNELS[f.channel]! }))),
  fresh('commit', fc.record({ channel, ...line })),
  fresh('release', fc.record({ channel, ...line })),
  fresh('adjust', fc.record({ sku: stockSku, location, delta: fc.integer({ min: 1, max: 8 }), reason: fc.constant('received'), channel: fc.constant(null) })),
  fresh('adjust', fc.record({ sku: stockSku, location, delta: fc.integer({ min: -6, max: -1 }), reason: fc.constant('correction'), channel: fc.constant(null) })),
  fresh('count', fc.record({ sku: stockSku, location, available: fc.integer({ min: 0, max: 10 }), channel: fc.constant('woocommerce') })),
  fresh('restock', fc.record({ sku: takeSku, location, quantity: fc.integer({ min: 1, max: 3 }), condition: fc.constantFrom('sellable', 'damaged'), channel })),
  fc.nat().map((pick): Command => new Replay(pick, false)),
  fc.nat().map((pick): Command => new Replay(pick, true)),
];

/** Everything an intent writes; the catalogue stays from one run to the next. */
async function resetLedger(store: Store): Promise<void> {
  await store.transaction(async (trx) => {
    for (const table of ['movement', 'intent', 'reservation', 'oversell', 'stock', 'outbox', 'held_stock'] as const) await trx.deleteFrom(table).execute();
  });
}

async function runModel(store: Store, numRuns: number, commandsMax: number): Promise<{ runs: number; commands: number; ms: number }> {
  const real: Real = { store, ledger: new Ledger(store), queries: new LedgerQueries(store) };
  await seedModelCatalogue(new Catalogue(store));
  const started = Date.now();
  let total = 0;
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: commandsMax, size: 'medium', ...commandsReplayPath() }), async (sequence) => {
      await resetLedger(store);
      runs += 1;
      total += [...sequence].length;
      await fc.asyncModelRun(() => ({ model: new LedgerModel(), real }), sequence);
    }),
    { numRuns, ...replayParameters() },
  );
  return { runs, commands: total, ms: Date.now() - started };
}

// About 15 s on SQLite and 10 s on MariaDB on a quiet machine; the timeouts leave room for a loaded shared box.
describe('the ledger against its model', () => {
  test('I1, I2 and I3 hold after every command of 200 random runs of up to 100 on SQLite', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await migrateToLatest(store.db as never);
      const figures = await runModel(store, 200, 100);
      console.info(`A2 sqlite: ${JSON.stringify(figures)}`);
    } finally {
      await store.close();
    }
  }, 180_000);

  test('I1, I2 and I3 hold after every command of 20 random runs of up to 50 on MariaDB', async () => {
    const { store, close } = await openTestStore('mysql');
    try {
      const figures = await runModel(store, 20, 50);
      console.info(`A2 mysql: ${JSON.stringify(figures)}`);
    } finally {
      await close();
    }
  }, 120_000);
});
