import { Logger } from '@nestjs/common';
import { RateLimitedError } from '@procura/errors';
import { acceptOrCreateRequestId, requestContext } from '@procura/logging';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { sendProblem } from './problem.filter';

const logger = new Logger('Http');

declare module 'fastify' {
  interface FastifyRequest {
    /** The id every log line and problem document of the request carries (set first thing, in onRequest). */
    requestId: string;
  }
}

/** Largest request body accepted (a 100-question check batch is about 20 KB). */
export const BODY_LIMIT_BYTES = 256 * 1024;

export interface HttpPipelineOptions {
  /** Writes the access log line (info level); when off, nothing is timed or logged per request. */
  accessLog: boolean;
  rateLimitPerMinute: number;
}

/**
 * The gateway's request pipeline, as Fastify hooks:
 * - every request gets an id (the caller's X-Request-Id when sane), echoed in the response;
 * - a per-IP budget of requests per minute (fixed window, per gateway process) is a crude
 *   shield against floods (login has its own, stricter limit);
 * - the handler runs inside the request's logging context (after the body is parsed);
 * - the access log line is written when info logging is on.
 */
export function installHttpPipeline(fastify: FastifyInstance, options: HttpPipelineOptions): void {
  const windows = new Map<string, { start: number; count: number }>();
  // Declared up front so every request object keeps one shape.
  fastify.decorateRequest('requestId', '');
  fastify.addHook('onRequest', (req, reply, done) => {
    const header = req.headers['x-request-id'];
    req.requestId = acceptOrCreateRequestId(Array.isArray(header) ? header[0] : header);
    void reply.header('X-Request-Id', req.requestId);
    const now = Date.now();
    const key = req.ip ?? 'unknown';
    let window = windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (windows.size > 50_000) windows.clear();
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > options.rateLimitPerMinute) {
      sendProblem(reply, req, new RateLimitedError(Math.ceil((window.start + 60_000 - now) / 1000)));
      return;
    }
    done();
  });
  fastify.addHook('preHandler', (req, _reply, done) => {
    requestContext.run({ requestId: req.requestId }, done);
  });
  if (options.accessLog) {
    fastify.addHook('onResponse', (req, reply, done) => {
      requestContext.run({ requestId: req.requestId }, () =>
        logger.log({
          msg: 'request',
          method: req.method,
          path: req.url.split('?')[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        }),
      );
      done();
    });
  }
}

/** Whether a log level writes the access log (info lines). */
export function logsAccess(level: string): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

/**
 * Takes the response over from Fastify for a streamed download: the headers set so far
 * (X-Request-Id…) and `headers` are written on the raw response, which the caller then
 * writes and ends itself.
 */
export function streamResponse(reply: FastifyReply, status: number, headers: Record<string, string>): ServerResponse {
  reply.hijack();
  const raw = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value as string);
  raw.writeHead(status, headers);
  return raw;
}
