/** Values the ledger returns: expected failures are values with codes from a closed list. */

export const LEDGER_ERROR_CODES = [
  'idempotency_conflict',
  'unknown_sku',
  'unknown_location',
  'unknown_channel',
  'unknown_listing',
  'invalid_quantity',
  'insufficient_stock',
  'invalid_catalogue',
] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export interface LedgerError {
  code: LedgerErrorCode;
  message: string;
}

export type LedgerResult<T> = { ok: true; value: T } | { ok: false; error: LedgerError };

export function ledgerError(code: LedgerErrorCode, message: string): LedgerError {
  return { code, message };
}

/** Thrown inside a transaction to abort it with an expected failure (nothing is written). */
export class LedgerFailure extends Error {
  constructor(readonly ledgerError: LedgerError) {
    super(ledgerError.message);
  }
}

/** What an intent did, stored with its key and returned again on every replay. */
export interface IntentOutcome {
  result: 'applied' | 'oversold' | 'noop';
  movements: number;
  detail: Record<string, unknown>;
}
