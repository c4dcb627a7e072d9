/**
 * Login with Amazon on the sandbox's own base URL (POST /auth/o2/token), and the check every
 * SP-API route runs on `x-amz-access-token`. Refusals use Amazon's bodies: LWA's OAuth errors,
 * and SP-API's 403 `Unauthorized` "Access to requested resource is denied." with details saying
 * whether the token is missing, unknown or expired.
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { sendErrors } from './responses.js';

/** LWA access tokens live one hour (marketplaces.md §1.1). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
/** Tokens remembered by the sandbox; the oldest are forgotten first, as if they had expired. */
const TOKENS_REMEMBERED_MAX = 10_000;
const GRANTLESS_SCOPES = new Set(['sellingpartnerapi::notifications', 'sellingpartnerapi::client_credential:rotation']);

interface IssuedToken { epoch: number; expiresAtMs: number }

export class AccessTokens {
  private readonly issued = new Map<string, IssuedToken>();

  mint(context: SandboxContext): string {
    const token = `Atza|${randomBytes(48).toString('base64url')}`;
    if (this.issued.size >= TOKENS_REMEMBERED_MAX) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(token, { epoch: context.tokenEpoch, expiresAtMs: context.nowMs() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  /** Express middleware for SP-API routes. */
  require(context: SandboxContext) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const token = req.get('x-amz-access-token');
      const denied = (details: string) => sendErrors(res, 403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details }]);
      if (!token) return denied('Access token is missing in the request header.');
      const issued = this.issued.get(token);
      if (!issued) return denied('The access token you provided is revoked, malformed or invalid.');
      if (issued.epoch < context.tokenEpoch || context.nowMs() >= issued.expiresAtMs) return denied('The access token you provided has expired.');
      next();
    };
  }
}

function lwaError(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('cache-control', 'no-store').json({ error_description: description, error });
}

export function installLwa(app: Express, context: SandboxContext, tokens: AccessTokens): void {
  app.post('/auth/o2/token', express.urlencoded({ extended: false, limit: '16kb' }), (req: Request, res: Response) => {
    if (!context.admit('lwaToken', res)) return;
    if (!req.is('application/x-www-form-urlencoded')) return lwaError(res, 400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
    const form = (req.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const grantType = field('grant_type');
    if (!grantType) return lwaError(res, 400, 'invalid_request', 'The request is missing a required parameter : grant_type');
    if (grantType !== 'refresh_token' && grantType !== 'client_credentials') return lwaError(res, 400, 'unsupported_grant_type', `The authorization grant type ${grantType} is not supported`);
    if (!field('client_id') || !field('client_secret')) return lwaError(res, 400, 'invalid_request', 'The request is missing a required parameter : client_id or client_secret');
    if (field('client_id') !== context.credentials.client_id || field('client_secret') !== context.credentials.client_secret) return lwaError(res, 401, 'invalid_client', 'Client authentication failed');
    if (grantType === 'client_credentials') {
      const scope = field('scope');
      if (!scope || !GRANTLESS_SCOPES.has(scope)) return lwaError(res, 400, 'invalid_scope', 'An unknown scope was requested');
      res.set('cache-control', 'no-store').json({ access_token: tokens.mint(context), scope, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS });
      return;
    }
    const refreshToken = field('refresh_token');
    if (!refreshToken) return lwaError(res, 400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
    if (refreshToken !== context.credentials.refresh_token) return lwaError(res, 400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
    res.set('cache-control', 'no-store').json({ access_token: tokens.mint(context), refresh_token: refreshToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS });
  });
}
