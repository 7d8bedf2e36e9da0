import { ValidationFailedError, flattenValidationErrors } from '@procura/errors';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createHash } from 'node:crypto';

/** Change payloads arrive as plain JSON: validated like any other input, unknown fields refused. */
export function parsePayload<P extends object>(type: new () => P, raw: unknown): P {
  const instance = plainToInstance(type, raw ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new ValidationFailedError(flattenValidationErrors(errors));
  return instance;
}

/** A plan as stored JSON: undefined members dropped, dates as strings. */
export function toJson(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** Ids of what a change creates derive from its item: the same at every validation, and applying twice creates nothing twice. */
export function derivedId(itemId: string, index: number): string {
  const hex = createHash('sha256').update(`${itemId}#${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Removes undefined members so a normalised payload survives JSON unchanged. */
export function compact<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
