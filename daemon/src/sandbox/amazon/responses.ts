/**
 * Amazon's own error bodies, so connectors and independent clients decode the sandbox's
 * refusals exactly as they would Amazon's: SP-API `{"errors":[{code,message,details}]}` (FBA
 * inventory puts the same list in its response object), and S3-style XML for document URLs.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export interface SpApiError { code: string; message: string; details?: string }

export function sendErrors(res: Response, status: number, errors: SpApiError[]): void {
  if (res.headersSent) return;
  res.status(status).set('x-amzn-RequestId', randomUUID()).type('application/json').send(JSON.stringify({ errors: errors.map((error) => ({ details: '', ...error })) }));
}

export function sendInvalidInput(res: Response, message: string, details = ''): void {
  sendErrors(res, 400, [{ code: 'InvalidInput', message, details }]);
}

/** SP-API sends a JSON body with a request id and, best effort, x-amzn-RateLimit-Limit on success. */
export function sendJson(res: Response, status: number, body: unknown, ratePerSecond?: number): void {
  if (res.headersSent) return;
  res.status(status).set('x-amzn-RequestId', randomUUID());
  if (ratePerSecond !== undefined) res.set('x-amzn-RateLimit-Limit', String(ratePerSecond));
  res.type('application/json').send(JSON.stringify(body));
}

/** Amazon's 429: code QuotaExceeded and no Retry-After header (marketplaces.md §1.4). */
export function sendQuotaExceeded(res: Response): void {
  sendErrors(res, 429, [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }]);
}

export function sendInternalFailure(res: Response): void {
  sendErrors(res, 500, [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' }]);
}

export function sendS3Error(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  res.status(status).type('application/xml').send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`);
}
