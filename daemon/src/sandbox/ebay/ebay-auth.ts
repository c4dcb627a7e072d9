/**
 * The sandbox's OAuth: POST /identity/v1/oauth2/token with Basic base64(client_id:client_secret),
 * refresh_token and client_credentials grants, and the bearer / IAF checks the APIs make.
 * Tokens minted before POST /_sandbox/tokens/expire (an older epoch), or past their two hours,
 * are refused as eBay refuses them: 401 errorId 1001 on REST, ErrorCode 21916984 on Trading.
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { ACCESS_DENIED, INVALID_TOKEN, sendErrors, sendOAuthError } from './ebay-errors.js';

/** eBay user and application tokens live about two hours (marketplaces.md §2.1). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7_200;
const ISSUED_TOKENS_MAX = 50_000;
export const APPLICATION_SCOPE = 'https://api.ebay.com/oauth/api_scope';
export const USER_SCOPES = new Set([
  APPLICATION_SCOPE,
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/sell.inventory.readonly',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly',
  'https://api.ebay.com/oauth/api_scope/commerce.notification.subscription',
  'https://api.ebay.com/oauth/api_scope/sell.analytics.readonly',
]);

export type TokenKind = 'user' | 'application';
interface IssuedToken { kind: TokenKind; epoch: number; expiresAtMs: number }

/** Test credentials in eBay's shapes: App ID, Cert ID, and a refresh token like eBay's `v^1.1#...`. */
export function generateCredentials(random: () => number): Record<string, string> {
  const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  return {
    clientId: `Shelfgua-sandbox-SBX-${hex(9)}-${hex(8)}`,
    clientSecret: `SBX-${hex(12)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(4)}`,
    refreshToken: `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${Buffer.from(hex(48)).toString('base64')}`,
    verificationToken: `sandbox_verification_${hex(24)}`,
  };
}

export class EbayAuth {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(private readonly context: SandboxContext) {}

  install(app: Express): void {
    app.post('/identity/v1/oauth2/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => this.token(req, res));
  }

  private token(req: Request, res: Response): void {
    if (!this.context.admit('getToken', res)) return;
    const { clientId, clientSecret, refreshToken } = this.context.credentials;
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return sendOAuthError(res, 401, 'invalid_client', 'client authentication failed');
    if (!req.is('application/x-www-form-urlencoded')) return sendOAuthError(res, 400, 'invalid_request', 'request is missing a required parameter or malformed.');
    const form = (req.body ?? {}) as Record<string, unknown>;
    const grant = form.grant_type;
    const scopes = typeof form.scope === 'string' ? form.scope.split(/\s+/).filter(Boolean) : [];
    if (grant === 'refresh_token') {
      if (typeof form.refresh_token !== 'string' || form.refresh_token === '') return sendOAuthError(res, 400, 'invalid_request', 'request is missing a required parameter or malformed.');
      if (form.refresh_token !== refreshToken) return sendOAuthError(res, 400, 'invalid_grant', 'the provided authorization refresh token is invalid or was issued to another client');
      if (scopes.some((scope) => !USER_SCOPES.has(scope))) return sendOAuthError(res, 400, 'invalid_scope', 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the resource owner');
      res.json({ access_token: this.mint('user'), expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, token_type: 'User Access Token' });
      return;
    }
    if (grant === 'client_credentials') {
      if (scopes.length === 0 || scopes.some((scope) => scope !== APPLICATION_SCOPE)) return sendOAuthError(res, 400, 'invalid_scope', 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client');
      res.json({ access_token: this.mint('application'), expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, token_type: 'Application Access Token' });
      return;
    }
    if (grant === undefined) return sendOAuthError(res, 400, 'invalid_request', 'request is missing a required parameter or malformed.');
    sendOAuthError(res, 400, 'unsupported_grant_type', 'grant type in request is not supported by the authorization server');
  }

  private mint(kind: TokenKind): string {
    if (this.issued.size >= ISSUED_TOKENS_MAX) this.issued.delete(this.issued.keys().next().value!);
    const token = `v^1.1#i^1#${kind === 'user' ? 'r^0#p^3' : 'p^1#r^0'}#I^3#f^0#t^${randomBytes(48).toString('base64')}`;
    this.issued.set(token, { kind, epoch: this.context.tokenEpoch, expiresAtMs: this.context.nowMs() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  /** The token's kind when it is live, or undefined when eBay would call it invalid or expired. */
  check(token: string | undefined): TokenKind | undefined {
    const issued = token === undefined ? undefined : this.issued.get(token);
    if (!issued || issued.epoch !== this.context.tokenEpoch || issued.expiresAtMs <= this.context.nowMs()) return undefined;
    return issued.kind;
  }

  /** REST bearer check; sends eBay's 401 or 403 and returns false when the call may not proceed. */
  requireBearer(req: Request, res: Response, allowed: TokenKind[]): boolean {
    const header = req.headers.authorization ?? '';
    const kind = header.startsWith('Bearer ') ? this.check(header.slice('Bearer '.length).trim()) : undefined;
    if (!kind) { sendErrors(res, 401, [INVALID_TOKEN]); return false; }
    if (!allowed.includes(kind)) { sendErrors(res, 403, [ACCESS_DENIED]); return false; }
    return true;
  }
}
