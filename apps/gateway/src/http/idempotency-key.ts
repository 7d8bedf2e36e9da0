import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ValidationFailedError } from '@procura/errors';
import type { FastifyRequest } from 'fastify';

/** The optional Idempotency-Key header of a POST, checked for shape. */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const header = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new ValidationFailedError([
      { field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 128 visible ASCII characters'] },
    ]);
  }
  return value;
});
