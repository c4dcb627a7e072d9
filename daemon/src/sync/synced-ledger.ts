/**
 * The ledger and catalogue as the daemon uses them: every write that may enqueue outbox rows
 * calls `onCommit` once it has committed, so the dispatcher wakes in-process at once instead of
 * waiting for its poll.
 */
import { Catalogue } from '../ledger/catalogue.js';
import { Ledger } from '../ledger/ledger.js';
import type { Store } from '../ledger/store.js';

type Method = (...args: never[]) => Promise<unknown>;

function afterEach<T extends object>(target: T, names: Array<keyof T>, onCommit: () => void): void {
  for (const name of names) {
    const original = (target[name] as unknown as Method).bind(target);
    (target as Record<keyof T, unknown>)[name] = async (...args: never[]) => {
      try {
        return await original(...args);
      } finally {
        onCommit();
      }
    };
  }
}

export function syncedLedger(store: Store, onCommit: () => void, nowMs?: () => number): Ledger {
  const ledger = new Ledger(store, nowMs);
  afterEach(ledger, ['sell', 'reserve', 'commitReservation', 'releaseReservation', 'adjust', 'count', 'restock', 'setHeld'], onCommit);
  return ledger;
}

export function syncedCatalogue(store: Store, onCommit: () => void, nowMs?: () => number): Catalogue {
  const catalogue = new Catalogue(store, nowMs);
  afterEach(catalogue, ['upsertSku', 'setKitComponents', 'upsertChannel', 'upsertListing'], onCommit);
  return catalogue;
}
