import { ConfigError, loadConfig } from '../../daemon/src/config.js';

describe('configuration', () => {
  test('defaults to an embedded SQLite ledger under ./var', () => {
    expect(loadConfig({})).toMatchObject({ databaseUrl: 'sqlite:./var/shelfguard.sqlite', port: 7780, host: '127.0.0.1', logLevel: 'info' });
  });

  test.each([
    ['SHELFGUARD_DATABASE_URL', 'postgres://x', 'SHELFGUARD_DATABASE_URL (databaseUrl): must be mysql://'],
    ['SHELFGUARD_PORT', '70000', 'SHELFGUARD_PORT (port)'],
    ['SHELFGUARD_SECRET', 'not-a-secret', 'SHELFGUARD_SECRET (secret): must be a Standard Webhooks secret'],
    ['SHELFGUARD_ADMIN_TOKEN', 'short', 'SHELFGUARD_ADMIN_TOKEN (adminToken): must be at least 24 characters'],
    ['SHELFGUARD_LOG_LEVEL', 'loud', 'SHELFGUARD_LOG_LEVEL (logLevel)'],
  ])('a bad %s is refused with an error naming it', (name, value, expected) => {
    let error: unknown;
    try { loadConfig({ [name]: value }); } catch (caught) { error = caught; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(expected);
  });

  test('an invalid secret is named without its value appearing in the error', () => {
    const value = 'whsec_!!definitely-secret-value!!';
    expect(() => loadConfig({ SHELFGUARD_SECRET: value })).toThrow(ConfigError);
    try { loadConfig({ SHELFGUARD_SECRET: value }); } catch (error) { expect((error as Error).message).not.toContain(value); }
  });
});
