/**
 * Which listings a committed transaction queued in the outbox, told to whoever in this process
 * listens (the sync engine), the moment the commit returns. The engine then claims exactly those
 * listings instead of searching the whole outbox for them: at hundreds of changes a second that
 * search, repeated on every commit, was the largest single cost of the engine.
 *
 * A note is a hint, never the record: the outbox rows are. A write that notes nothing (another
 * process's, or one made outside a store transaction) is found by the engine's periodic scan.
 */
import type { Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface OutboxNote {
  listingId: number;
  /** The listing's channel id, when the writer had it at hand. */
  channelId?: number;
}

export type OutboxListener = (notes: readonly OutboxNote[]) => void;

const notesByTransaction = new WeakMap<Transaction<Database>, OutboxNote[]>();
const listenersByDatabase = new WeakMap<object, Set<OutboxListener>>();

/** Records, inside the transaction that wrote them, the listings given outbox rows. */
export function noteOutboxRows(trx: Transaction<Database>, notes: readonly OutboxNote[]): void {
  if (notes.length === 0) return;
  const held = notesByTransaction.get(trx);
  if (held) held.push(...notes);
  else notesByTransaction.set(trx, [...notes]);
}

/** Called by the store once `trx` committed on `database`: tells the listeners what it queued.
 * A listener that throws is not allowed to fail the commit that already happened. */
export function announceCommitted(database: object, trx: Transaction<Database>): void {
  const notes = notesByTransaction.get(trx);
  if (!notes) return;
  notesByTransaction.delete(trx);
  for (const listener of listenersByDatabase.get(database) ?? []) {
    try {
      listener(notes);
    } catch {
      // A hint lost is found again by the engine's scan.
    }
  }
}

/** Listens for the outbox rows committed through one store's database; returns the unsubscribe. */
export function onOutboxCommitted(database: object, listener: OutboxListener): () => void {
  let listeners = listenersByDatabase.get(database);
  if (!listeners) listenersByDatabase.set(database, listeners = new Set());
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}
