/**
 * Reads a JSON request body the way eBay's REST gateway does: Content-Type application/json is
 * required and malformed JSON is refused with errorId 2004, before any field is looked at.
 */
import express, { type Request, type Response } from 'express';
import { invalidRequest, sendErrors } from './ebay-errors.js';

/** eBay documents no REST body limit; 25 entries are a few kilobytes, so 1 MB is generous. */
export const REQUEST_BODY_BYTES_MAX = 1_000_000;

export const rawBody = express.raw({ type: () => true, limit: REQUEST_BODY_BYTES_MAX });

export function readJsonBody(req: Request, res: Response): { ok: true; value: unknown } | { ok: false } {
  if (!req.is('application/json')) {
    sendErrors(res, 415, [invalidRequest('The Content-Type header must be application/json.')]);
    return { ok: false };
  }
  const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    sendErrors(res, 400, [invalidRequest('The request body is not valid JSON.')]);
    return { ok: false };
  }
}
