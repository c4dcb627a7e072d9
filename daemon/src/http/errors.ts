/**
 * The daemon's one HTTP error mapper: every failure leaves as `{ error: <code>, message }` with
 * the right status. Database outages are 503 (senders retry); anything unexpected is logged and
 * answered 500 without internals.
 */
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../ledger/store.js';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Validates a request part with a zod schema; a failure is a 4xx naming the first bad field
 * (`<field>: <what was expected>`), with code `invalid_<where>` unless another is given. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, where: string, options: { status?: number; code?: string } = {}): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HttpError(options.status ?? 400, options.code ?? `invalid_${where}`, `${issue.path.join('.') || where}: ${issue.message}`);
}

export function sendError(res: Response, status: number, code: string, message: string): void {
  if (!res.headersSent) res.status(status).json({ error: code, message });
}

export function errorMapper(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      sendError(res, error.status, error.code, error.message);
      return;
    }
    const bodyError = error as { type?: string; status?: number };
    if (bodyError?.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'the request body is larger than 1 MB');
    if (bodyError?.type === 'entity.parse.failed') return sendError(res, 400, 'invalid_json', 'the request body is not valid JSON');
    if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) return sendError(res, bodyError.status, 'bad_request', 'the request could not be read');
    if (isStoreUnavailable(error)) {
      logger.warn({ route: req.path, err: describe(error) }, 'database unavailable');
      res.setHeader('retry-after', '5');
      return sendError(res, 503, 'ledger_unavailable', 'the ledger cannot commit right now; retry later');
    }
    logger.error({ route: req.path, err: describe(error) }, 'unexpected error');
    sendError(res, 500, 'internal_error', 'unexpected error; see the daemon log');
  };
}

function describe(error: unknown): { message: string; code?: string } {
  if (error instanceof Error) return { message: error.message, code: (error as { code?: string }).code };
  return { message: String(error) };
}
