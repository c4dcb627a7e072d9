import { officialReadersFor } from '../../daemon/src/metrics/official-readers.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/ebay/index.js';
import { startSandbox } from '../../daemon/src/sandbox/kit/sandbox-server.js';

describe('official readers from the channels configuration', () => {
  test('a configured eBay channel gets readers for its seller standards profile and its customer service metrics', async () => {
    const sandbox = await startSandbox(createSandboxDefinition(), { rateLimits: 'unlimited' });
    try {
      const readers = officialReadersFor({ ebay: { baseUrl: sandbox.baseUrl, credentials: sandbox.credentials } });
      expect(readers).toHaveLength(2);
      const results = await Promise.all(readers.map((read) => read()));
      expect(results.map((result) => result.ok)).toEqual([true, true]);
      const names = results.flatMap((result) => (result.ok ? result.figures.map((figure) => figure.name) : []));
      expect(names).toEqual(expect.arrayContaining(['DEFECTIVE_TRANSACTION_RATE', 'ITEM_NOT_RECEIVED.DOMESTIC', 'ITEM_NOT_AS_DESCRIBED.11700']));
    } finally {
      await sandbox.close();
    }
  });

  test('channels without complete credentials get no reader, so their estimate alone is shown', () => {
    expect(officialReadersFor({})).toEqual([]);
    expect(officialReadersFor({ ebay: { baseUrl: 'http://127.0.0.1:9', credentials: { clientId: 'x' } }, amazon: { baseUrl: 'http://127.0.0.1:9', credentials: {} }, walmart: { baseUrl: 'http://127.0.0.1:9', credentials: { clientId: 'x' } } })).toEqual([]);
  });
});
