import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ValidationFailedError } from '@procura/errors';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

/**
 * Refuses a request body sent to an operation that takes none (an empty object aside,
 * which some clients send with every POST). Unknown fields are refused in every body;
 * a whole body nobody reads is the same mistake, and was silently ignored before.
 */
@Injectable()
export class UnexpectedBodyInterceptor implements NestInterceptor {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed by the route handler itself
  private readonly takesBody = new WeakMap<Function, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && !this.handlerTakesBody(context)) {
      const body = context.switchToHttp().getRequest<FastifyRequest>().body;
      const empty =
        body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
      if (!empty)
        throw new ValidationFailedError([{ field: 'body', messages: ['body is not expected: this operation takes no request body'] }]);
    }
    return next.handle();
  }

  private handlerTakesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let takes = this.takesBody.get(handler);
    if (takes === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      takes = Object.keys(args).some((key) => Number(key.split(':')[0]) === RouteParamtypes.BODY);
      this.takesBody.set(handler, takes);
    }
    return takes;
  }
}
