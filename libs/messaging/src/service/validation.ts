import { ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from '@procura/errors';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** Options of every ValidationPipe: unknown fields are refused, types are converted. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: validationExceptionFactory,
} as const;

/** The ValidationPipe of every HTTP route and message pattern. */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new ValidationPipe(VALIDATION_OPTIONS);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator's own signature
type MetadataLookup = (target: Function, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => ValidationMetadata[];
let memoized = false;

/**
 * class-validator looks up a class's rules on every validation by scanning every
 * decorated class for superclasses (about a hundred here), for each nested object too:
 * a 100-question check batch paid it 101 times. The rules of a class only change when a
 * decorator registers a new one, at module load, so the answer is kept per class and
 * options until then. Callers only read the returned arrays.
 */
export function memoizeValidationMetadata(): void {
  if (memoized) return;
  memoized = true;
  const storage = getMetadataStorage() as unknown as {
    getTargetValidationMetadatas: MetadataLookup;
    addValidationMetadata(m: ValidationMetadata): void;
  };
  const lookup = storage.getTargetValidationMetadatas.bind(storage) as MetadataLookup;
  const register = storage.addValidationMetadata.bind(storage);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed like class-validator's lookup
  let cache = new WeakMap<Function, Map<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata: ValidationMetadata) => {
    cache = new WeakMap();
    register(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join('\u0000') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
}
