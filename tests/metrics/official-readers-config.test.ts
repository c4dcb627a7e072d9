import { officialReadersFor } from '../../daemon/src/metrics/official-readers.js';
import { createSandboxDefinition } from '../../daemon/src/sandbox/ebay/index.js';
import { startSandbox } from '../../daemon/src/sandbox/kit/sandbox-server.js';

describe('official readers from the channels configuration', () => {
  test('a configured eBay channel gets a reader that reads its seller standards profile', async () => {
    const sandbox = await startSandbox(createSandboxDefinition(), { rateLimits: 'unlimited' });
    try {
      const readers = officialReadersFor({ ebay: { baseUrl: sandbox.baseUrl, credentials: sandbox.credentials } });
      expect(readers).toHaveLength(1);
      const result = await readers[0]!();
      expect(result).toMatchObject({ ok: true });
    } finally {
      await sandbox.close();
    }
  });

  test('channels without complete credentials get no reader, so their estimate alone is shown', () => {
    expect(officialReadersFor({})).toEqual([]);
    expect(officialReadersFor({ ebay: { baseUrl: 'http://127.0.0.1:9', credentials: { clientId: 'x' } }, amazon: { baseUrl: 'http://127.0.0.1:9', credentials: {} } })).toEqual([]);
  });
});
