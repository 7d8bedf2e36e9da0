import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ValidationFailedError } from '@procura/errors';
import type { Request } from 'express';

/** The optional Idempotency-Key header of a POST, checked for shape. */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<Request>().header('idempotency-key');
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new ValidationFailedError([{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 128 visible ASCII characters'] }]);
  }
  return value;
});
