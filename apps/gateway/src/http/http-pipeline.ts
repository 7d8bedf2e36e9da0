import { Logger } from '@nestjs/common';
import fastifyRateLimit from '@fastify/rate-limit';
import { AppConfig } from '@procura/config';
import { DomainError, PROBLEM_CONTENT_TYPE, RateLimitedError, toProblem, ValidationFailedError } from '@procura/errors';
import { acceptOrCreateRequestId, requestContext } from '@procura/logging';
import { bearerToken } from '@procura/security';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Redis } from 'ioredis';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sendProblem } from './problem.filter';

const logger = new Logger('Http');

declare module 'fastify' {
  interface FastifyRequest {
    /** The id every log line and problem document of the request carries (set first thing, in onRequest). */
    requestId: string;
    /** The authenticated API key the request's rate budget is counted on, if any (set in onRequest). */
    budgetKeyId: string | undefined;
  }
}

/** Largest request body accepted (a 100-question check batch is about 20 KB). */
export const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * The Content-Security-Policy of every response (decision D3: the console is served by the
 * gateway at `/` and must work under it; Swagger UI under /api/docs does too: its scripts
 * are files, only its styles are inline). No CDN, no inline script, no eval.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Security headers of every response: helmet's defaults with the policy above; HSTS only when the public URL is https. */
export function securityHeaders(publicUrl: string): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    strictTransportSecurity: publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}

/**
 * Fastify's own options for the gateway: who the client is (X-Forwarded-For only from the
 * proxies named in TRUSTED_PROXIES), the body limit, and the answers of the router and of
 * Node's HTTP parser, which run before any hook and would otherwise answer in Fastify's
 * JSON without a request id or security headers.
 */
export function gatewayServerOptions(config: Pick<AppConfig, 'trustedProxies' | 'publicUrl'>): FastifyServerOptions {
  const headers = helmet(securityHeaders(config.publicUrl));
  return {
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      req.requestId = acceptOrCreateRequestId(firstHeader(req.headers['x-request-id']));
      void reply.header('X-Request-Id', req.requestId);
      headers(req.raw, reply.raw, () => sendProblem(reply, req, routerRefusal(error)));
    },
    clientErrorHandler: answerClientError,
  };
}

/** What the router refuses before routing: a malformed percent-encoding, an over-long path parameter. */
export function routerRefusal(error: FastifyError): DomainError {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new DomainError('URI_TOO_LONG', 414, 'A path parameter of the URL is too long');
  if (error.code === 'FST_ERR_BAD_URL')
    return new ValidationFailedError(
      [{ field: 'url', messages: ['url is not valid: malformed percent-encoding'] }],
      'The URL is not valid',
    );
  return new DomainError('BAD_REQUEST', 400, 'The request cannot be routed');
}

/**
 * Requests Node's HTTP parser refuses (malformed request line or headers, headers too
 * large): answered on the socket as problem+json with a request id, like every error.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (socket.destroyed || !socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const requestId = acceptOrCreateRequestId(undefined);
  const code = status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'MALFORMED_REQUEST';
  const body = JSON.stringify(toProblem(new DomainError(code, status, 'The HTTP request is malformed or too large'), undefined, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface RateLimits {
  /** The connection the counters live on, shared by every gateway replica. */
  redis: Redis;
  /** Requests per client address per minute. */
  perMinute: number;
  /** Sign-in attempts per client address per minute. */
  loginPerMinute: number;
  /** The sign-in route (method and path as the router knows it). */
  login: { method: string; url: string };
  /** Other sign-in routes sharing the same budget per address (operators' sign-in). */
  otherLogins?: string[];
  /** Requests per API key per minute, for keys the gateway has already authenticated. */
  perApiKeyMinute: number;
  /**
   * The id of the API key this bearer token is, when the gateway already authenticated it
   * (Authenticator's memory); undefined for anything else, which counts against the address.
   */
  knownApiKey?: (token: string) => string | undefined;
}

export interface HttpPipelineOptions {
  /** Writes the access log line (info level); when off, nothing is timed or logged per request. */
  accessLog: boolean;
  rateLimits: RateLimits;
  publicUrl: string;
}

/**
 * The gateway's request pipeline, as Fastify hooks:
 * - every request gets an id (the caller's X-Request-Id when sane), echoed in the response;
 * - security headers (helmet);
 * - a budget of requests per client address and minute (per API key for a key already
 *   authenticated), and a stricter one for sign-in, counted in Redis by @fastify/rate-limit so every replica shares them (when Redis
 *   cannot answer, requests pass: the routes answer 503 themselves);
 * - the handler runs inside the request's logging context (after the body is parsed);
 * - the access log line is written when info logging is on.
 */
export async function installHttpPipeline(fastify: FastifyInstance, options: HttpPipelineOptions): Promise<void> {
  // Declared up front so every request object keeps one shape.
  fastify.decorateRequest('requestId', '');
  fastify.decorateRequest('budgetKeyId', undefined);
  // helmet's middleware built once: @fastify/helmet builds it again on every request (and
  // parses the Content-Security-Policy each time), which cost more than the rights check.
  const applySecurityHeaders = helmet(securityHeaders(options.publicUrl));
  fastify.addHook('onRequest', (req, reply, done) => {
    req.requestId = acceptOrCreateRequestId(firstHeader(req.headers['x-request-id']));
    void reply.header('X-Request-Id', req.requestId);
    applySecurityHeaders(req.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });

  const { redis, perMinute, loginPerMinute, login, otherLogins = [], perApiKeyMinute, knownApiKey } = options.rateLimits;
  const loginUrls = new Set([login.url, ...otherLogins]);
  await fastify.register(fastifyRateLimit, {
    global: false,
    redis,
    nameSpace: 'procura:ratelimit:',
    skipOnError: true,
    timeWindow: 60_000,
  });
  // Distinct key prefixes: both limiters share the plugin's store.
  const general = fastify.createRateLimit({ max: perMinute, keyGenerator: (req) => `ip:${req.ip}` });
  const signIn = fastify.createRateLimit({ max: loginPerMinute, keyGenerator: (req) => `login:${req.ip}` });
  // A portal's server checks rights for all its users from one address: its API key has a
  // budget of its own. Only a key already authenticated gets one, so made-up keys still
  // count against their sender's address (and cannot buy fresh budgets).
  const apiKeyId = (req: FastifyRequest): string | undefined => {
    const token = knownApiKey && bearerToken(req.headers.authorization);
    return token ? knownApiKey!(token) : undefined;
  };
  const perKey = fastify.createRateLimit({ max: perApiKeyMinute, keyGenerator: (req) => `key:${req.budgetKeyId}` });
  fastify.addHook('onRequest', async (req, reply) => {
    const isLogin = req.method === login.method && loginUrls.has(req.routeOptions.url ?? '');
    req.budgetKeyId = isLogin ? undefined : apiKeyId(req);
    for (const limiter of isLogin ? [general, signIn] : req.budgetKeyId ? [perKey] : [general]) {
      const verdict = await limiter(req);
      if (!verdict.isAllowed && verdict.isExceeded) {
        sendProblem(reply, req, new RateLimitedError(Math.max(1, verdict.ttlInSeconds)));
        return reply;
      }
    }
    return undefined;
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
 * (X-Request-Id, security headers…) and `headers` are written on the raw response, which
 * the caller then writes and ends itself.
 */
export function streamResponse(reply: FastifyReply, status: number, headers: Record<string, string>): ServerResponse {
  reply.hijack();
  const raw = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value as string);
  raw.writeHead(status, headers);
  return raw;
}
