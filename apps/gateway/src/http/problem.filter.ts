import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  dependencyUnavailable,
  DomainError,
  PROBLEM_CONTENT_TYPE,
  ProblemDocument,
  toProblem,
  ValidationFailedError,
} from '@procura/errors';
import { requestContext } from '@procura/logging';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Fastify's own refusals of a request, before any route runs (body parsing). Nest hands
 * them to the filters as an HttpException with Fastify's message and status only.
 */
const MALFORMED_BODY_MESSAGES = new Set([
  new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message,
  new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY().message,
]);

function bodyRefusal(status: number, message: string): DomainError | undefined {
  if (status === 400 && MALFORMED_BODY_MESSAGES.has(message)) {
    return new ValidationFailedError([{ field: 'body', messages: ['body is not valid JSON'] }], 'The request body is not valid JSON');
  }
  if (status === 413) return new DomainError('PAYLOAD_TOO_LARGE', 413, 'The request body is too large');
  if (status === 415) return new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the request body as application/json');
  return undefined;
}

/** Maps any error to an HTTP status and a DomainError: the single place errors become HTTP. */
export function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const refusal = bodyRefusal(status, error.message);
    if (refusal) return refusal;
    const code = status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : `HTTP_${status}`;
    return new DomainError(code, status, status === 404 ? 'No such resource' : error.message);
  }
  return dependencyUnavailable(error, 'gateway') ?? new DomainError('INTERNAL', 500, 'Internal error');
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, error: DomainError): void {
  const requestId = req.requestId || requestContext.requestId();
  const problem: ProblemDocument = toProblem(error, req.url, requestId);
  if (error.status === 401) void reply.header('WWW-Authenticate', 'Bearer');
  if (typeof error.extra?.retryAfter === 'number') void reply.header('Retry-After', String(error.extra.retryAfter));
  void reply.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Every error leaves the gateway as application/problem+json (RFC 9457) with a stable code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const error = asDomainError(exception);
    if (error.status >= 500 && error.code === 'INTERNAL') {
      this.logger.error({
        msg: 'unhandled error',
        err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception),
      });
    }
    sendProblem(ctx.getResponse<FastifyReply>(), ctx.getRequest<FastifyRequest>(), error);
  }
}
