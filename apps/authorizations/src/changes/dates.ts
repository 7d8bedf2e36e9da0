import { ValidationFailedError } from '@procura/errors';

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toDate(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationFailedError([{ field, messages: [`${field} must be a date-time`] }]);
  return d;
}
