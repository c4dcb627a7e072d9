/**
 * eBay's own error answers, as the sandbox sends them: the REST container
 * {errors:[{errorId, domain, category, message, longMessage?, parameters?}]} (Error component of
 * the Sell OAS files), the OAuth endpoint's {error, error_description}, and the ids eBay uses
 * for an invalid token (1001), missing permission (1100), throttling (2001) and malformed
 * requests (2004).
 */
import type { Response } from 'express';

export interface EbayError {
  errorId: number;
  domain: string;
  category: 'REQUEST' | 'APPLICATION' | 'BUSINESS';
  message: string;
  longMessage?: string;
  parameters?: Array<{ name: string; value: string }>;
}

export function sendErrors(res: Response, status: number, errors: EbayError[]): void {
  res.status(status).json({ errors });
}

export function inventoryError(errorId: number, message: string, parameters?: Array<{ name: string; value: string }>): EbayError {
  return { errorId, domain: 'API_INVENTORY', category: 'REQUEST', message, ...(parameters ? { parameters } : {}) };
}

export function fulfillmentError(errorId: number, message: string): EbayError {
  return { errorId, domain: 'API_FULFILLMENT', category: 'REQUEST', message };
}

export const INVALID_TOKEN: EbayError = {
  errorId: 1001,
  domain: 'OAuth',
  category: 'REQUEST',
  message: 'Invalid access token',
  longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.',
};

export const ACCESS_DENIED: EbayError = {
  errorId: 1100,
  domain: 'ACCESS',
  category: 'REQUEST',
  message: 'Access denied',
  longMessage: 'Insufficient permissions to fulfill the request.',
};

export const TOO_MANY_REQUESTS: EbayError = {
  errorId: 2001,
  domain: 'ACCESS',
  category: 'REQUEST',
  message: 'Too many requests. The request limit has been reached for the resource.',
};

export function invalidRequest(detail: string): EbayError {
  return { errorId: 2004, domain: 'ACCESS', category: 'REQUEST', message: 'Invalid request', longMessage: `The request has errors. ${detail}` };
}

export const INVENTORY_SYSTEM_ERROR: EbayError = { errorId: 25001, domain: 'API_INVENTORY', category: 'APPLICATION', message: 'A system error has occurred.' };

/** The OAuth endpoint answers RFC 6749 style, not with the errors container. */
export function sendOAuthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}
