import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ValidationFailedError } from '@procura/errors';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

/**
 * Refuses a request body, or query parameters, sent to an operation that takes none (an
 * empty body object aside, which some clients send with every POST). Unknown fields are
 * refused in every body and query a route declares; input a route does not read at all is
 * the same mistake, and was silently ignored before.
 */
@Injectable()
export class UnexpectedInputInterceptor implements NestInterceptor {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed by the route handler itself
  private readonly inputs = new WeakMap<Function, { body: boolean; query: boolean }>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const takes = this.inputsOf(context);
      const req = context.switchToHttp().getRequest<FastifyRequest>();
      const body = req.body;
      const empty =
        body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
      if (!takes.body && !empty)
        throw new ValidationFailedError([{ field: 'body', messages: ['body is not expected: this operation takes no request body'] }]);
      const query = Object.keys((req.query ?? {}) as Record<string, unknown>);
      if (!takes.query && query.length)
        throw new ValidationFailedError(
          query
            .slice(0, 20)
            .map((name) => ({ field: name, messages: [`${name} is not expected: this operation takes no query parameters`] })),
        );
    }
    return next.handle();
  }

  private inputsOf(context: ExecutionContext): { body: boolean; query: boolean } {
    const handler = context.getHandler();
    let takes = this.inputs.get(handler);
    if (takes === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      const types = Object.keys(args).map((key) => Number(key.split(':')[0]));
      takes = { body: types.includes(RouteParamtypes.BODY), query: types.includes(RouteParamtypes.QUERY) };
      this.inputs.set(handler, takes);
    }
    return takes;
  }
}
