/**
 * What the reconciliation history keeps, on both stores: the newest 200 runs (older ones go with
 * their drift, a running one never), and error text that carries no secret.
 */
import { newId } from '../../daemon/src/ledger/ids.js';
import { ReconcileHistory, RUNS_KEPT_MAX } from '../../daemon/src/reconcile/reconcile-history.js';
import { redactErrorText } from '../../daemon/src/reconcile/redact-error-text.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';

function runRow(id: string, status: 'running' | 'finished', atMs: number) {
  return {
    id, trigger_kind: 'schedule', fix: 0, channels: '["etsy"]', status, running_slot: status === 'running' ? 1 : null, listings_checked: 1, drift_found: 1, drift_fixed: 0, drift_stored: 1,
    progress_done: 1, progress_total: 1, channel_reports: JSON.stringify([{ channel: 'etsy', ok: true, listingsChecked: 1, driftFound: 1, driftFixed: 0, apiCalls: 1, seconds: 0 }]), error: null,
    started_at: atMs, heartbeat_at: atMs, finished_at: status === 'running' ? null : atMs, created_at: atMs,
  };
}

describe.each(STORE_KINDS)('reconciliation history retention (%s)', (kind) => {
  test('the newest 200 runs are kept with their drift; older ones and their drift are deleted; a running run is never', async () => {
    const opened = await openTestStore(kind);
    try {
      const start = Date.UTC(2026, 0, 1);
      const running = newId('rr', start - 1);
      const ids = Array.from({ length: RUNS_KEPT_MAX + 5 }, (_, index) => newId('rr', start + index * 1000));
      await opened.store.db.insertInto('reconcile_run').values([runRow(running, 'running', start - 1), ...ids.map((id, index) => runRow(id, 'finished', start + index * 1000))]).execute();
      await opened.store.db.insertInto('reconcile_drift').values(ids.map((id) => ({ run_id: id, channel: 'etsy', listing_id: 1, sku: 'MUG', expected: 1, shown: 2, cause: 'changed_outside_shelfguard', fixed: 0, created_at: start }))).execute();
      const history = new ReconcileHistory(opened.store);
      expect(await history.prune()).toBe(5);
      const kept = (await opened.store.db.selectFrom('reconcile_run').select('id').orderBy('id').execute()).map((row) => row.id);
      expect(kept).toEqual([running, ...ids.slice(5)].sort());
      const driftRuns = (await opened.store.db.selectFrom('reconcile_drift').select('run_id').orderBy('run_id').execute()).map((row) => row.run_id);
      expect(driftRuns).toEqual(ids.slice(5));
      expect(await history.prune()).toBe(0);
      // The latest drift comes from the newest finished run that read the channel.
      expect((await history.latestDrift()).map((item) => item.runId)).toEqual([ids.at(-1)]);
    } finally {
      await opened.close();
    }
  });
});

describe('error text in the history', () => {
  test.each([
    ['a known secret value is replaced', 'marketplace said: key abcd-1234-SECRET refused', ['abcd-1234-SECRET'], 'marketplace said: key [redacted] refused'],
    ['a bearer token is replaced', 'GET failed with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', [], 'GET failed with Authorization: Bearer [redacted]'],
    ['a signing secret is replaced', 'secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw leaked', [], 'secret [redacted] leaked'],
    ['an Amazon LWA token is replaced', 'token Atza|IwEBIA-abc_def rejected', [], 'token [redacted] rejected'],
    ['a password in a URL is replaced', 'connect mysql://shelfguard:hunter22@127.0.0.1:3306/db failed', [], 'connect mysql://shelfguard:[redacted]@127.0.0.1:3306/db failed'],
    ['a secret-named field is replaced', '{"error":"bad","client_secret":"s3cr3t-value","refresh_token":"rt-1"}', [], '{"error":"bad","client_secret":"[redacted]","refresh_token":"[redacted]"}'],
    ['plain text is kept as it is', 'ebay: server_error: getInventoryItems answered 503', [], 'ebay: server_error: getInventoryItems answered 503'],
  ])('%s', (_name, text, secrets, expected) => {
    expect(redactErrorText(text, secrets)).toBe(expected);
  });
});
