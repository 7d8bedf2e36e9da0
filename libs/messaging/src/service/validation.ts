import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory, ValidationFailedError } from '@procura/errors';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { inspectInput } from './input-inspection';

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
  return new InputValidationPipe(VALIDATION_OPTIONS);
}

/** The metadata type of @Payload() parameters (RpcParamtype.PAYLOAD, which @nestjs/microservices does not export). */
const RPC_PAYLOAD = 3;

/** Where a value comes from the outside: HTTP bodies, queries and path parameters, RPC payloads (not the actor decorators). */
function isOutsideInput(type: unknown): boolean {
  return type === 'body' || type === 'query' || type === 'param' || type === RPC_PAYLOAD;
}

/**
 * Nest's ValidationPipe, after the rules every input obeys whatever its DTO
 * (inspectInput: nesting depth, forbidden characters in any string), and refusing a
 * body that is not an object where a DTO is expected (Nest would take `null` as `{}`:
 * a `null` body once reset a credential with default options).
 */
export class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isOutsideInput(metadata.type)) {
      const isBody = metadata.type === 'body' || (metadata.type as unknown) === RPC_PAYLOAD;
      if (
        isBody &&
        expectsObject(metadata) &&
        value !== undefined &&
        (typeof value !== 'object' || value === null || Array.isArray(value))
      ) {
        throw new ValidationFailedError([{ field: 'body', messages: ['body must be a JSON object'] }]);
      }
      const problems = inspectInput(value, isBody ? '' : (metadata.data ?? ''));
      if (problems.length) throw new ValidationFailedError(problems);
    }
    return super.transform(value, metadata);
  }
}

/** A DTO class (not a primitive, an array or a plain Object). */
function expectsObject(metadata: ArgumentMetadata): boolean {
  const type = metadata.metatype;
  return typeof type === 'function' && ![String, Number, Boolean, Array, Object].includes(type as never);
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
