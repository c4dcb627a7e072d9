/**
 * Etsy's authentication as the sandbox enforces it: the `x-api-key: keystring:shared_secret`
 * header on every call, OAuth 2.0 authorization code + PKCE (S256) at /oauth/connect and
 * /v3/public/oauth/token, refresh tokens, and `{user_id}.{token}` bearer tokens that live an hour
 * and die early when the test surface raises the token epoch. Error bodies are Etsy's own
 * (`{"error": ...}` for the API key; RFC 6749 `{error, error_description}` for OAuth).
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { ETSY_ACCESS_TOKEN_LIFETIME_SECONDS, ETSY_REFRESH_TOKEN_LIFETIME_SECONDS } from '../../channels/etsy/limits.js';
import type { SandboxContext } from '../kit/sandbox-server.js';

/** Authorization codes are short-lived and single-use (RFC 6749 §4.1.2 recommends ≤ 10 minutes). */
const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60_000;

export interface EtsySandboxIdentity {
  keystring: string;
  sharedSecret: string;
  userId: number;
  shopId: number;
  refreshToken: string;
  webhookSigningSecret: string;
}

interface AccessToken { epoch: number; expiresAtMs: number; scopes: string[] }
interface PendingCode { clientId: string; redirectUri: string; challenge: string; scopes: string[]; expiresAtMs: number }

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

export class EtsySandboxAuth {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, { expiresAtMs: number; scopes: string[] }>();
  private readonly codes = new Map<string, PendingCode>();

  constructor(readonly identity: EtsySandboxIdentity, private readonly context: () => SandboxContext | undefined) {
    this.refreshTokens.set(identity.refreshToken, { expiresAtMs: Number.MAX_SAFE_INTEGER, scopes: ['listings_r', 'listings_w', 'transactions_r', 'shops_r'] });
  }

  /** Refuses a missing or wrong x-api-key with Etsy's body; true when the call may go on. */
  checkApiKey(req: Request, res: Response): boolean {
    const header = req.header('x-api-key');
    if (!header) { res.status(403).json({ error: 'Missing x-api-key header or client_id' }); return false; }
    const colon = header.indexOf(':');
    const keystring = colon < 0 ? header : header.slice(0, colon);
    if (keystring !== this.identity.keystring) { res.status(403).json({ error: 'Invalid API key' }); return false; }
    // From 2026-02-09 Etsy refuses a key without its shared secret (etsy/open-api discussion 1529).
    if (colon < 0) { res.status(403).json({ error: 'Shared secret is required in x-api-key header.' }); return false; }
    if (header.slice(colon + 1) !== this.identity.sharedSecret) { res.status(403).json({ error: 'Invalid API key' }); return false; }
    return true;
  }

  /** Checks `Authorization: Bearer {user_id}.{token}` and its scope; 401 invalid_token as Etsy answers. */
  checkBearer(req: Request, res: Response, scope: string): boolean {
    const match = /^Bearer (\d+)\.([A-Za-z0-9_-]+)$/.exec(req.header('authorization') ?? '');
    if (!match) { oauthError(res, 401, 'invalid_token', 'access token is missing or malformed'); return false; }
    const token = this.accessTokens.get(`${match[1]}.${match[2]}`);
    const context = this.context();
    if (!token || Number(match[1]) !== this.identity.userId) { oauthError(res, 401, 'invalid_token', 'access token is invalid'); return false; }
    if (!context || token.epoch < context.tokenEpoch || token.expiresAtMs <= context.nowMs()) { oauthError(res, 401, 'invalid_token', 'access token is expired'); return false; }
    if (!token.scopes.includes(scope)) { res.status(403).json({ error: `Insufficient scope. This endpoint requires the ${scope} scope.` }); return false; }
    return true;
  }

  private mint(scopes: string[]): Record<string, unknown> {
    const context = this.context();
    const now = context?.nowMs() ?? Date.now();
    const accessToken = `${this.identity.userId}.${randomBytes(24).toString('base64url')}`;
    const refreshToken = `${this.identity.userId}.${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(accessToken, { epoch: context?.tokenEpoch ?? 0, expiresAtMs: now + ETSY_ACCESS_TOKEN_LIFETIME_SECONDS * 1000, scopes });
    this.refreshTokens.set(refreshToken, { expiresAtMs: now + ETSY_REFRESH_TOKEN_LIFETIME_SECONDS * 1000, scopes });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ETSY_ACCESS_TOKEN_LIFETIME_SECONDS, refresh_token: refreshToken };
  }

  installRoutes(app: Express, admit: (res: Response) => boolean): void {
    // www.etsy.com/oauth/connect: a real seller approves on a consent page; the sandbox approves at once.
    app.get('/oauth/connect', (req, res) => {
      const query = req.query as Record<string, string | undefined>;
      const missing = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'].filter((name) => !query[name]);
      if (missing.length > 0) { res.status(400).type('text/plain').send(`Missing required parameter(s): ${missing.join(', ')}`); return; }
      if (query.response_type !== 'code') { res.status(400).type('text/plain').send('response_type must be code'); return; }
      if (query.client_id !== this.identity.keystring) { res.status(400).type('text/plain').send('Invalid client_id'); return; }
      if (query.code_challenge_method !== 'S256') { res.status(400).type('text/plain').send('code_challenge_method must be S256'); return; }
      if (!/^[A-Za-z0-9_-]{43}$/.test(query.code_challenge!)) { res.status(400).type('text/plain').send('code_challenge must be the base64url SHA-256 of the code verifier (43 characters)'); return; }
      let redirect: URL;
      try { redirect = new URL(query.redirect_uri!); } catch { res.status(400).type('text/plain').send('redirect_uri is not a URL'); return; }
      const code = randomBytes(24).toString('base64url');
      this.codes.set(code, { clientId: query.client_id!, redirectUri: query.redirect_uri!, challenge: query.code_challenge!, scopes: query.scope!.split(/[ +]/).filter(Boolean), expiresAtMs: Date.now() + AUTHORIZATION_CODE_LIFETIME_MS });
      redirect.searchParams.set('code', code);
      redirect.searchParams.set('state', query.state!);
      res.redirect(302, redirect.toString());
    });

    app.post('/v3/public/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
      if (!admit(res)) return;
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      if (body.client_id !== this.identity.keystring) { oauthError(res, 401, 'invalid_client', 'client_id is invalid'); return; }
      if (body.grant_type === 'authorization_code') this.exchangeCode(body, res);
      else if (body.grant_type === 'refresh_token') this.exchangeRefresh(body, res);
      else oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    });
  }

  private exchangeCode(body: Record<string, string | undefined>, res: Response): void {
    const missing = ['redirect_uri', 'code', 'code_verifier'].filter((name) => !body[name]);
    if (missing.length > 0) { oauthError(res, 400, 'invalid_request', `missing ${missing.join(', ')}`); return; }
    const pending = this.codes.get(body.code!);
    this.codes.delete(body.code!); // single use, even when the exchange fails
    if (!pending || pending.expiresAtMs < Date.now()) { oauthError(res, 400, 'invalid_grant', 'code is invalid or expired'); return; }
    if (pending.redirectUri !== body.redirect_uri) { oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match the authorization request'); return; }
    const challenge = createHash('sha256').update(body.code_verifier!, 'ascii').digest('base64url');
    if (challenge !== pending.challenge) { oauthError(res, 400, 'invalid_grant', 'code_verifier does not match code_challenge'); return; }
    res.json(this.mint(pending.scopes));
  }

  private exchangeRefresh(body: Record<string, string | undefined>, res: Response): void {
    if (!body.refresh_token) { oauthError(res, 400, 'invalid_request', 'missing refresh_token'); return; }
    const stored = this.refreshTokens.get(body.refresh_token);
    if (!stored) { oauthError(res, 400, 'invalid_grant', 'refresh_token is invalid'); return; }
    if (stored.expiresAtMs <= Date.now()) { oauthError(res, 400, 'invalid_grant', 'refresh_token is expired'); return; }
    res.json(this.mint(stored.scopes));
  }
}
