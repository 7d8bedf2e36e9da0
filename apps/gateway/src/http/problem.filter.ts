import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, PROBLEM_CONTENT_TYPE, ProblemDocument, toProblem } from '@procura/errors';
import { requestContext } from '@procura/logging';
import type { Request, Response } from 'express';

/** Maps any error to an HTTP status and a DomainError: the single place errors become HTTP. */
export function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : status === 413 ? 'PAYLOAD_TOO_LARGE' : `HTTP_${status}`;
    return new DomainError(code, status, status === 404 ? 'No such resource' : error.message);
  }
  return new DomainError('INTERNAL', 500, 'Internal error');
}

export function sendProblem(res: Response, req: Request, error: DomainError): void {
  const problem: ProblemDocument = toProblem(error, req.originalUrl, requestContext.requestId());
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (error.status === 429 && typeof error.extra?.retryAfter === 'number') res.setHeader('Retry-After', String(error.extra.retryAfter));
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Every error leaves the gateway as application/problem+json (RFC 9457) with a stable code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const error = asDomainError(exception);
    if (error.status >= 500 && error.code === 'INTERNAL') {
      this.logger.error({ msg: 'unhandled error', err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception) });
    }
    sendProblem(ctx.getResponse<Response>(), ctx.getRequest<Request>(), error);
  }
}
