/**
 * OAuth 2.0 authorization code with PKCE (S256), as Etsy requires: the pure parts. The store owner
 * connects once through /oauth/connect; the daemon keeps the refresh token it receives.
 */
import { createHash } from 'node:crypto';

export const ETSY_SCOPES = ['listings_r', 'listings_w', 'transactions_r', 'shops_r'] as const;
/** RFC 7636: a verifier has 43..128 characters from the unreserved set. */
export const PKCE_VERIFIER_LENGTH_MIN = 43;
export const PKCE_VERIFIER_LENGTH_MAX = 128;

export function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** A code verifier from 32+ random bytes supplied by the caller (randomness stays at the edge). */
export function codeVerifierFrom(randomBytes: Uint8Array): string {
  const verifier = base64Url(randomBytes);
  if (verifier.length < PKCE_VERIFIER_LENGTH_MIN || verifier.length > PKCE_VERIFIER_LENGTH_MAX) {
    throw new Error(`a PKCE verifier needs ${PKCE_VERIFIER_LENGTH_MIN}..${PKCE_VERIFIER_LENGTH_MAX} characters; ${randomBytes.length} random bytes gave ${verifier.length}`);
  }
  return verifier;
}

/** code_challenge = BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallengeS256(verifier: string): string {
  return base64Url(createHash('sha256').update(verifier, 'ascii').digest());
}

export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

export interface AuthorizationRequest {
  /** The site that hosts /oauth/connect (www.etsy.com, or the sandbox). */
  connectBaseUrl: string;
  keystring: string;
  redirectUri: string;
  state: string;
  codeVerifier: string;
  scopes?: readonly string[];
}

export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const url = new URL('/oauth/connect', request.connectBaseUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.keystring);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', (request.scopes ?? ETSY_SCOPES).join(' '));
  url.searchParams.set('state', request.state);
  url.searchParams.set('code_challenge', codeChallengeS256(request.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}
