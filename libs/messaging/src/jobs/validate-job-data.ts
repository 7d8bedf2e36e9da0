import { flattenValidationErrors } from '@procura/errors';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { memoizeValidationMetadata } from '../service/validation';
import { PermanentJobError } from './job-worker';

/** Job payloads are input like any other: checked when consumed; a bad one fails at once. */
export async function validateJobData<T extends object>(dto: new () => T, data: unknown): Promise<T> {
  memoizeValidationMetadata();
  const { meta: _meta, ...rest } = (data ?? {}) as Record<string, unknown>;
  const instance = plainToInstance(dto, rest);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length) {
    throw new PermanentJobError(
      `invalid job payload: ${flattenValidationErrors(errors)
        .map((f) => f.field)
        .join(', ')}`,
    );
  }
  return instance;
}
