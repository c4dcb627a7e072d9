/**
 * Configuration, read once at start from the environment and an optional JSON or YAML file
 * (SHELFGUARD_CONFIG), validated in one place. An error names the field and what was expected;
 * a secret's value never appears in one.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isValidSecret } from './signing/standard-webhooks.js';

const databaseUrl = z.string().refine((value) => /^(mysql|mariadb):\/\/[^\s]+$/.test(value) || /^sqlite:.*$/.test(value), {
  message: 'must be mysql://user:password@host:port/database or sqlite:<path> (sqlite: alone for in-memory)',
});
const secret = z.string().refine(isValidSecret, { message: 'must be a Standard Webhooks secret: whsec_ followed by base64 of at least 16 bytes (the plugin generates one)' });

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
    if (value !== undefined && value !== '') fromEnv[field] = value;
  }
  const result = configSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '(config)');
    const source = FIELD_TO_ENV[field] ? `${FIELD_TO_ENV[field]} (${field})` : field;
    return `${source}: ${issue.message}`;
  }));
}
