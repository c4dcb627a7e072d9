/**
 * Exactly-once intents. Every write to the ledger carries an idempotency key minted where the
 * intent started; the key's row is inserted in the same transaction as the intent's movements.
 * A replay answers "duplicate" with the stored outcome; the same key with another payload is an
 * `idempotency_conflict`. The unique key, not a read in the caller, is the authority.
 */
import { createHash } from 'node:crypto';
import type { Store } from './store.js';
import { isUniqueViolation } from './store.js';
import type { Trx } from './stock-writes.js';
import { ledgerError, LedgerFailure, type IntentOutcome, type LedgerResult } from './ledger-types.js';

/** JSON with sorted keys, so the same payload always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

class IntentAlreadyExists extends Error {}

/** Raised inside an intent's work to roll its writes back and run `fallback` instead, in a fresh
 * transaction under the same key (an order that does not fit is recorded as an oversell). */
export class RollbackTo extends Error {
  constructor(readonly fallback: (trx: Trx) => Promise<IntentOutcome>) {
    super('rollback to fallback');
  }
}

export interface IntentReply {
  status: 'applied' | 'duplicate';
  outcome: IntentOutcome;
}

async function insertIntent(trx: Trx, key: string, hash: string, nowMs: number): Promise<void> {
  try {
    await trx.insertInto('intent').values({ key, request_hash: hash, outcome: '{}', created_at: nowMs }).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new IntentAlreadyExists();
    throw error;
  }
}

async function replay(store: Store, key: string, hash: string): Promise<LedgerResult<IntentReply>> {
  const existing = await store.db.selectFrom('intent').select(['request_hash', 'outcome']).where('key', '=', key).executeTakeFirst();
  if (!existing) throw new Error(`intent ${key} reported as existing but not found`);
  if (existing.request_hash !== hash) {
    return { ok: false, error: ledgerError('idempotency_conflict', `key ${key} was already used for a different payload`) };
  }
  return { ok: true, value: { status: 'duplicate', outcome: JSON.parse(existing.outcome) as IntentOutcome } };
}

export async function runIntent(store: Store, key: string, request: unknown, nowMs: number, work: (trx: Trx) => Promise<IntentOutcome>): Promise<LedgerResult<IntentReply>> {
  const hash = requestHash(request);
  const finish = async (trx: Trx, produce: (trx: Trx) => Promise<IntentOutcome>): Promise<IntentOutcome> => {
    await insertIntent(trx, key, hash, nowMs);
    const outcome = await produce(trx);
    await trx.updateTable('intent').set({ outcome: JSON.stringify(outcome) }).where('key', '=', key).execute();
    return outcome;
  };
  try {
    try {
      const outcome = await store.transaction((trx) => finish(trx, work));
      return { ok: true, value: { status: 'applied', outcome } };
    } catch (error) {
      if (!(error instanceof RollbackTo)) throw error;
      const outcome = await store.transaction((trx) => finish(trx, error.fallback));
      return { ok: true, value: { status: 'applied', outcome } };
    }
  } catch (error) {
    if (error instanceof IntentAlreadyExists) return replay(store, key, hash);
    if (error instanceof LedgerFailure) return { ok: false, error: error.ledgerError };
    throw error;
  }
}
