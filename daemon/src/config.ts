/**
 * Configuration, read once at start from the environment and an optional JSON or YAML file
 * (SHELFGUARD_CONFIG), validated in one place. An error names the field and what was expected;
 * a secret's value never appears in one.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHANNEL_NAMES } from './channels/channel.js';
import { isValidSecret } from './signing/standard-webhooks.js';
import { CREDENTIALS_KEY_HELP, parseCredentialsKey } from './ledger/credentials-seal.js';

const databaseUrl = z.string().refine((value) => /^(mysql|mariadb):\/\/[^\s]+$/.test(value) || /^sqlite:.*$/.test(value), {
  message: 'must be mysql://user:password@host:port/database or sqlite:<path> (sqlite: alone for in-memory)',
});
const secret = z.string().refine(isValidSecret, { message: 'must be a Standard Webhooks secret: whsec_ followed by base64 of at least 16 bytes (the plugin generates one)' });

/** One marketplace connection. Credentials are the marketplace's own names; never logged. */
const channelConnection = z.object({
  baseUrl: z.string().url({ message: 'must be the marketplace (or sandbox) base URL' }),
  credentials: z.record(z.string(), z.string()),
  /** The mode the channel starts in when it is first registered; later changes are the operator's. */
  mode: z.enum(['shadow', 'live', 'paused']).default('shadow'),
  requestTimeoutMs: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
}).strict();

export const configSchema = z.object({
  databaseUrl: databaseUrl.default('sqlite:./var/shelfguard.sqlite'),
  secret: secret.optional(),
  /** The previous secret, still accepted during a rotation's grace window. */
  previousSecret: secret.optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(7780),
  adminToken: z.string().min(24, { message: 'must be at least 24 characters' }).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The plugin's adjustment endpoint base (the WordPress site URL), for pushes to WooCommerce. */
  wordpressUrl: z.string().url().optional(),
  requestTimeoutMs: z.coerce.number().int().min(1_000).max(120_000).default(30_000),
  headersTimeoutMs: z.coerce.number().int().min(1_000).max(120_000).default(20_000),
  shutdownGraceMs: z.coerce.number().int().min(0).max(60_000).default(10_000),
  databaseConnectionsMax: z.coerce.number().int().min(1).max(200).default(20),
  /** Seals marketplace credentials entered in the admin UI (AES-256-GCM); without it none can be stored. */
  credentialsKey: z.string().refine((value) => parseCredentialsKey(value) !== undefined, { message: CREDENTIALS_KEY_HELP.replace('SHELFGUARD_CREDENTIALS_KEY ', '') }).optional(),
  /** Marketplace connections by channel name (file or SHELFGUARD_CHANNELS as JSON). */
  channels: z.partialRecord(z.enum(CHANNEL_NAMES), channelConnection).default({}),
  /** Fallback poll of the outbox (the dispatcher wakes in-process on every commit). */
  syncPollMs: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Order polling fallback per channel (never faster than the channel's documented rate). */
  orderPollIntervalMs: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** node-cron expression of the scheduled reconciliation; "off" disables it. */
  reconcileSchedule: z.string().min(1).max(100).default('*/15 * * * *'),
}).strict();

export type Config = z.infer<typeof configSchema>;

const ENV_FIELDS: Record<string, keyof Config> = {
  SHELFGUARD_DATABASE_URL: 'databaseUrl',
  SHELFGUARD_SECRET: 'secret',
  SHELFGUARD_PREVIOUS_SECRET: 'previousSecret',
  SHELFGUARD_HOST: 'host',
  SHELFGUARD_PORT: 'port',
  SHELFGUARD_ADMIN_TOKEN: 'adminToken',
  SHELFGUARD_LOG_LEVEL: 'logLevel',
  SHELFGUARD_WORDPRESS_URL: 'wordpressUrl',
  SHELFGUARD_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  SHELFGUARD_HEADERS_TIMEOUT_MS: 'headersTimeoutMs',
  SHELFGUARD_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  SHELFGUARD_DATABASE_CONNECTIONS_MAX: 'databaseConnectionsMax',
  SHELFGUARD_CHANNELS: 'channels',
  SHELFGUARD_CREDENTIALS_KEY: 'credentialsKey',
  SHELFGUARD_SYNC_POLL_MS: 'syncPollMs',
  SHELFGUARD_ORDER_POLL_INTERVAL_MS: 'orderPollIntervalMs',
  SHELFGUARD_RECONCILE_SCHEDULE: 'reconcileSchedule',
};
const FIELD_TO_ENV = Object.fromEntries(Object.entries(ENV_FIELDS).map(([env, field]) => [field, env])) as Record<string, string>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`SHELFGUARD_CONFIG: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
  try {
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError([`SHELFGUARD_CONFIG: ${path} is not a JSON or YAML object (${(error as Error).message})`]);
  }
}

/** Environment variables override the file; the file overrides defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const fromFile = env.SHELFGUARD_CONFIG ? readFile(env.SHELFGUARD_CONFIG) : {};
  const fromEnv: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(ENV_FIELDS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (field === 'channels') {
      try {
        fromEnv[field] = JSON.parse(value) as unknown;
      } catch {
        throw new ConfigError(['SHELFGUARD_CHANNELS (channels): must be a JSON object of channel connections']);
      }
    } else fromEnv[field] = value;
  }
  const result = configSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '(config)');
    const source = FIELD_TO_ENV[field] ? `${FIELD_TO_ENV[field]} (${issue.path.join('.')})` : issue.path.join('.');
    return `${source}: ${issue.message}`;
  }));
}
