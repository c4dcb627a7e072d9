/** Query-string and identity checks shared by the sandbox's SP-API routes, with Amazon's refusals. */
import type { Request, Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { sendErrors, sendInvalidInput } from './responses.js';

export function queryText(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value.join(',');
  return undefined;
}

/** A CSV query array (Swagger collectionFormat csv); empty entries dropped. */
export function queryList(req: Request, name: string): string[] | undefined {
  const text = queryText(req, name);
  return text === undefined ? undefined : text.split(',').map((entry) => entry.trim()).filter(Boolean);
}

/** Each value must be one of the enum's; answers Amazon's InvalidInput otherwise. */
export function checkEnumList(res: Response, name: string, values: string[] | undefined, allowed: readonly string[]): boolean {
  const wrong = (values ?? []).find((value) => !allowed.includes(value));
  if (wrong === undefined) return true;
  sendInvalidInput(res, `Invalid value '${wrong}' for parameter ${name}.`, `Allowed values: ${allowed.join(', ')}`);
  return false;
}

/** marketplaceIds is required and must be the sandbox seller's marketplace. */
export function checkMarketplaceIds(req: Request, res: Response, context: SandboxContext, required = true): boolean {
  const ids = queryList(req, 'marketplaceIds');
  if (!ids || ids.length === 0) {
    if (!required) return true;
    sendInvalidInput(res, "Missing required parameter 'marketplaceIds'.");
    return false;
  }
  const unknown = ids.find((id) => id !== context.credentials.marketplace_id);
  if (unknown) {
    sendInvalidInput(res, `Invalid marketplaceIds value '${unknown}'.`, 'The seller does not participate in this marketplace.');
    return false;
  }
  return true;
}

/** The sellerId in the path must be the one the token was issued for. */
export function checkSeller(req: Request, res: Response, context: SandboxContext): boolean {
  if (req.params.sellerId === context.credentials.seller_id) return true;
  sendErrors(res, 403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The sellerId does not match the selling partner that authorized this application.' }]);
  return false;
}

export function checkDateTime(res: Response, name: string, value: string | undefined): boolean {
  if (value === undefined || (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)))) return true;
  sendInvalidInput(res, `Invalid ${name}: '${value}' is not an ISO 8601 date-time.`);
  return false;
}

/** Opaque page tokens: base64url JSON of the offset and the query they belong to. */
export function pageToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

export function readPageToken(token: string | undefined, fingerprint: string): number | 'invalid' {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.f === fingerprint) return parsed.o;
  } catch {
    // fall through
  }
  return 'invalid';
}
