/**
 * The sandbox's API gateway: POST /v3/token (client credentials, Basic auth) and the checks
 * Walmart's gateway makes on every other /v3 call: WM_SVC.NAME and WM_QOS.CORRELATION_ID present,
 * WM_SEC.ACCESS_TOKEN issued here, unexpired and minted under the current token epoch.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { sendGatewayError, UNAUTHORIZED_INFO, walmartErrorEntry } from './walmart-sandbox-errors.js';
import { admitWalmart, SANDBOX_TOKEN_LIFETIME_SECONDS, SANDBOX_TOKENS_MAX, type WalmartSandboxState } from './walmart-sandbox-state.js';
import { walmartShapeProblems } from './walmart-schemas.js';

const REQUIRED_HEADERS = ['WM_SVC.NAME', 'WM_QOS.CORRELATION_ID'] as const;

function missingHeader(req: Request): string | undefined {
  return REQUIRED_HEADERS.find((name) => !(req.get(name) ?? '').trim());
}

function sameSecret(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function unauthorized(res: Response): void {
  sendGatewayError(res, 401, walmartErrorEntry('UNAUTHORIZED.GMP_GATEWAY_API', 'UNAUTHORIZED', 'Unauthorized', UNAUTHORIZED_INFO));
}

export function installGateway(router: Router, context: SandboxContext, walmart: WalmartSandboxState): void {
  router.post('/v3/token', (req, res) => {
    const missing = missingHeader(req);
    if (missing) return sendGatewayError(res, 400, walmartErrorEntry('INVALID_REQUEST_HEADER.GMP_GATEWAY_API', missing, `${missing} set null or invalid`, 'One or more request headers are invalid.'));
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.get('authorization') ?? '')?.[1];
    const [clientId, clientSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s) : [];
    if (!clientId || clientSecret === undefined || !sameSecret(clientId, context.credentials.clientId!) || !sameSecret(clientSecret, context.credentials.clientSecret!)) return unauthorized(res);
    if (!admitWalmart(walmart, context, 'getToken', req, res)) return;
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.get('content-type') ?? '')) {
      return sendGatewayError(res, 415, walmartErrorEntry('UNSUPPORTED_MEDIA_TYPE.GMP_GATEWAY_API', 'Content-Type', 'HTTP 415 Unsupported Media Type', 'Unsupported Media Type.'));
    }
    const form = Object.fromEntries(new URLSearchParams((req.body as Buffer | undefined)?.toString('utf8') ?? ''));
    const problems = walmartShapeProblems('tokenRequest', form);
    if (problems.length > 0 || form.grant_type !== 'client_credentials') {
      return sendGatewayError(res, 400, walmartErrorEntry('INVALID_REQUEST_PARAM.GMP_GATEWAY_API', 'grant_type', problems[0] ?? `grant_type ${form.grant_type} needs a Solution Provider app; this seller app supports client_credentials`, 'Invalid request parameter.'));
    }
    if (walmart.tokens.size >= SANDBOX_TOKENS_MAX) walmart.tokens.delete(walmart.tokens.keys().next().value as string);
    const token = `eyJ${randomBytes(48).toString('base64url')}`;
    walmart.tokens.set(token, { epoch: context.tokenEpoch, expiresAtMs: context.nowMs() + SANDBOX_TOKEN_LIFETIME_SECONDS * 1000 });
    res.json({ access_token: token, token_type: 'Bearer', expires_in: SANDBOX_TOKEN_LIFETIME_SECONDS });
  });

  router.use('/v3', (req: Request, res: Response, next: NextFunction) => {
    const missing = missingHeader(req);
    if (missing) return sendGatewayError(res, 400, walmartErrorEntry('INVALID_REQUEST_HEADER.GMP_GATEWAY_API', missing, `${missing} set null or invalid`, 'One or more request headers are invalid.'));
    const token = req.get('WM_SEC.ACCESS_TOKEN') ?? '';
    const issued = walmart.tokens.get(token);
    if (!issued || issued.epoch !== context.tokenEpoch || issued.expiresAtMs <= context.nowMs()) return unauthorized(res);
    next();
  });
}
