/**
 * JSON logs with pino. Secrets are redacted by path wherever they might ride along (headers,
 * config), and connectors never put credentials in messages in the first place.
 */
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'secret', 'previousSecret', 'adminToken', 'password', 'token', 'accessToken', 'refreshToken', 'credentials',
  '*.secret', '*.previousSecret', '*.adminToken', '*.password', '*.token', '*.accessToken', '*.refreshToken', '*.credentials',
  'req.headers.authorization', 'req.headers["webhook-signature"]', 'headers.authorization', 'headers["webhook-signature"]',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'shelfguard' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime }, destination as never);
}

export type { Logger };
