/**
 * TikTok's response envelope {code, message, request_id, data}, the request checks every API
 * call passes (app_key, timestamp window, sign over the exact received bytes, access token) and
 * the fixture validators. Error codes: 106001 invalid sign and 36009004 missing sign are
 * documented; the others (marked) are this sandbox's choice where the docs give none.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';
import { Ajv, type ValidateFunction } from 'ajv';
import { signRequest } from '../../channels/tiktok/tiktok-sign.js';
import type { SandboxContext } from '../kit/sandbox-server.js';

export const CODE_INVALID_SIGN = 106001;
export const CODE_MISSING_SIGN = 36009004;
/** Sandbox choices (not documented): */
export const CODE_INVALID_TOKEN = 105001;
export const CODE_EXPIRED_TOKEN = 105002;
export const CODE_TIMESTAMP = 106002;
export const CODE_INVALID_APP = 106003;
export const CODE_PARAMS = 36009001;
export const CODE_RATE_LIMIT = 36009003;

/** Accepted timestamp window: from 5 minutes before now to 30 seconds after (common-parameters guide). */
export const TIMESTAMP_PAST_S = 300;
export const TIMESTAMP_FUTURE_S = 30;

export function send(res: Response, status: number, code: number, message: string, data?: unknown): void {
  res.status(status).json({ code, message, request_id: randomBytes(12).toString('hex').toUpperCase(), ...(data === undefined ? {} : { data }) });
}

export interface IssuedToken { epoch: number; expiresAtS: number }

/** Verifies app_key, timestamp, sign (over the raw bytes received) and x-tts-access-token. */
export function checkSignedRequest(req: Request, res: Response, context: SandboxContext, tokens: Map<string, IssuedToken>): boolean {
  const query = Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, String(value)]));
  if (!query.sign) { send(res, 401, CODE_MISSING_SIGN, 'sign is required'); return false; }
  if (query.app_key !== context.credentials.app_key) { send(res, 401, CODE_INVALID_APP, 'app_key is invalid'); return false; }
  const timestamp = Number(query.timestamp);
  const nowS = Math.floor(context.nowMs() / 1000);
  if (!/^\d{10}$/.test(query.timestamp ?? '') || timestamp < nowS - TIMESTAMP_PAST_S || timestamp > nowS + TIMESTAMP_FUTURE_S) { send(res, 401, CODE_TIMESTAMP, 'timestamp is invalid or outside the accepted window'); return false; }
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  // The full path as received: inside a mounted router req.path is relative to the mount point.
  const path = new URL(req.originalUrl, 'http://sandbox.invalid').pathname;
  const expected = signRequest({ appSecret: context.credentials.app_secret!, path, query, body: raw, contentType: req.get('content-type') ?? '' });
  if (expected !== query.sign) { send(res, 401, CODE_INVALID_SIGN, 'Invalid sign'); return false; }
  const token = tokens.get(req.get('x-tts-access-token') ?? '');
  if (!token) { send(res, 401, CODE_INVALID_TOKEN, 'Invalid access token'); return false; }
  if (token.epoch !== context.tokenEpoch || token.expiresAtS <= nowS) { send(res, 401, CODE_EXPIRED_TOKEN, 'Access token is expired'); return false; }
  return true;
}

const schemasDir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');
let validators: Map<string, ValidateFunction> | undefined;

/** Problems with a request body as a fixture shape; empty when it conforms. */
export function fixtureProblems(shape: 'inventoryUpdate' | 'productsSearch' | 'ordersSearch' | 'envelope', value: unknown): string[] {
  if (!validators) {
    const ajv = new Ajv({ strict: false });
    ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, 'requests.json'), 'utf8')) as object);
    validators = new Map(['inventoryUpdate', 'productsSearch', 'ordersSearch', 'envelope'].map((name) => [name, ajv.getSchema(`tiktok-requests#/definitions/${name}`)!]));
  }
  const validate = validators.get(shape)!;
  return validate(value) ? [] : (validate.errors ?? []).slice(0, 5).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`);
}
