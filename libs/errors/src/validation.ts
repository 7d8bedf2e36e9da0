import { ValidationError } from 'class-validator';
import { FieldError, ValidationFailedError } from './domain-error';

/** Flattens class-validator's nested errors into dotted field paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const fields: FieldError[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      fields.push({ field: path, messages: Object.values(error.constraints) });
    }
    if (error.children?.length) fields.push(...flattenValidationErrors(error.children, path));
  }
  return fields;
}

/** The exceptionFactory of every ValidationPipe: HTTP and message patterns alike. */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedError {
  return new ValidationFailedError(flattenValidationErrors(errors));
}
