import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedError } from '@procura/errors';

/** A path id that is not a UUID is a 400 naming the parameter. */
export function uuidPipe(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => new ValidationFailedError([{ field, messages: [`${field} must be a UUID`] }]) });
}
