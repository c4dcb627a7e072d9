/**
 * What the Walmart sandbox keeps beyond the kit's listings and orders: issued tokens, feeds, and
 * the webhook subscription's authDetails.
 */
import type { Request, Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { ThrottleHeaders } from './walmart-sandbox-errors.js';

export interface IssuedToken {
  epoch: number;
  expiresAtMs: number;
}

export interface SandboxFeedItem {
  sku: string;
  amount: number;
  status: 'INPROGRESS' | 'SUCCESS' | 'DATA_ERROR';
  error?: { type: 'DATA_ERROR'; code: string; description: string };
}

export interface SandboxFeed {
  feedId: string;
  feedType: string;
  status: 'RECEIVED' | 'INPROGRESS' | 'PROCESSED' | 'ERROR';
  submittedAtMs: number;
  items: SandboxFeedItem[];
}

export interface WebhookSubscriptionAuth {
  authMethod: 'HMAC' | 'BASIC_AUTH';
  authHeaderName: string;
  clientSecret?: string;
  userName?: string;
  password?: string;
}

export interface WalmartSandboxState {
  tokens: Map<string, IssuedToken>;
  feeds: Map<string, SandboxFeed>;
  subscription: WebhookSubscriptionAuth;
  throttle: ThrottleHeaders;
}

/** Access tokens live 900 s, as Walmart's do. */
export const SANDBOX_TOKEN_LIFETIME_SECONDS = 900;
/** Issued tokens kept before the oldest are forgotten (they then read as expired). */
export const SANDBOX_TOKENS_MAX = 10_000;
/** Feeds kept before the oldest are forgotten. */
export const SANDBOX_FEEDS_MAX = 1_000;
/** The one ship node of the sandbox seller. */
export const SANDBOX_SHIP_NODE = '10000000001';

/** Lets the kit's bucket decide, then stamps Walmart's throttling headers on a request let
 * through. The mirror takes its token only when the kit's bucket took one, so the two stay in step
 * and x-current-token-count is what the marketplace really has left (a refusal, injected or not,
 * says 0 itself: sendWalmartRateLimited). */
export function admitWalmart(walmart: WalmartSandboxState, context: SandboxContext, operation: string, _req: Request, res: Response): boolean {
  if (!context.admit(operation, res)) return false;
  walmart.throttle.stamp(operation, res, context.nowMs());
  return true;
}
