import { Logger } from '@nestjs/common';
import { DomainError, RateLimitedError, ValidationFailedError } from '@procura/errors';
import { acceptOrCreateRequestId, requestContext } from '@procura/logging';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendProblem } from './problem.filter';

const logger = new Logger('Http');

/**
 * Gives every request an id (the caller's X-Request-Id when sane) that every log line
 * carries, and writes the access log line when info logging is on (when it is off, the
 * per-request timer and 'finish' listener are not paid for at all).
 */
export function requestIdMiddleware(accessLog: boolean): RequestHandler {
  return (req, res, next) => {
    const requestId = acceptOrCreateRequestId(req.header('x-request-id'));
    res.setHeader('X-Request-Id', requestId);
    if (accessLog) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        requestContext.run({ requestId }, () =>
          logger.log({ msg: 'request', method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }),
        );
      });
    }
    requestContext.run({ requestId }, () => next());
  };
}

/** Whether a log level writes the access log (info lines). */
export function logsAccess(level: string): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

/** JSON bodies only, with a size limit; a malformed body is a 400 problem, not an HTML page. */
export const jsonBody: RequestHandler = express.json({ limit: '256kb' });

export function bodyErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const e = error as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') {
    return sendProblem(res, req, new ValidationFailedError([{ field: 'body', messages: ['body is not valid JSON'] }], 'The request body is not valid JSON'));
  }
  if (e?.type === 'entity.too.large') return sendProblem(res, req, new DomainError('PAYLOAD_TOO_LARGE', 413, 'The request body is too large'));
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return sendProblem(res, req, new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported body encoding'));
  }
  next(error);
}

/**
 * A per-IP budget of requests per minute (fixed window, per gateway process): a crude
 * shield against floods. Login gets its own, stricter limit with the "Identity" issue.
 */
export function rateLimit(perMinute: number): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const now = Date.now();
    const key = req.ip ?? 'unknown';
    let window = windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (windows.size > 50_000) windows.clear();
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > perMinute) return sendProblem(res, req, new RateLimitedError(Math.ceil((window.start + 60_000 - now) / 1000)));
    next();
  };
}
