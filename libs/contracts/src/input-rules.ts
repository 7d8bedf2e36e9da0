import { applyDecorators } from '@nestjs/common';
import { IsISO8601, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

// Rules every input obeys, whatever its DTO: enforced once for every HTTP body, query,
// path parameter and RPC payload by the validation pipe (libs/messaging), before
// class-transformer runs. Names get stricter rules through @IsDisplayName().

/** Deepest nesting of objects and arrays an input may have (the deepest real one is about 6). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Characters no string may carry: NUL and the other C0/C1 controls but tab, line feed and
 * carriage return (PostgreSQL refuses NUL in text and jsonb; the others serve no purpose
 * in a form and can forge e-mail headers or log lines), and the bidirectional embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make text read differently
 * from what it is ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is refused (a sentence after the field name), or undefined. */
export function stringProblem(text: string): string | undefined {
  if (FORBIDDEN_CHARACTER.test(text)) {
    if (text.includes('\u0000')) return 'must not contain NUL characters';
    const bidi = /[\u202A-\u202E\u2066-\u2069]/.test(text);
    return bidi ? 'must not contain bidirectional override characters' : 'must not contain control characters';
  }
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates (invalid Unicode)';
  return undefined;
}

/**
 * Invisible characters refused in names and labels, which reach e-mails, PDFs and other
 * people's screens: every format character (Unicode Cf: bidirectional marks, zero-width
 * spaces and joiners, word joiner, soft hyphen, byte-order mark, tag characters…),
 * control characters, and the blank fillers that render as nothing (Hangul fillers,
 * braille blank).
 */
const INVISIBLE_IN_NAME = /[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800]/u;
const VISIBLE = /[\p{L}\p{N}]/u;

/** Why a name or label is refused, or undefined. */
export function displayNameProblem(text: string): string | undefined {
  if (INVISIBLE_IN_NAME.test(text)) return 'must not contain invisible or bidirectional control characters';
  if (!VISIBLE.test(text)) return 'must contain a letter or a digit';
  return undefined;
}

/** A person's name or a label that other people read (e-mails, reports, screens). */
export function IsDisplayName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDisplayName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && stringProblem(value) === undefined && !displayNameProblem(value),
        defaultMessage: (args) => {
          const value = args?.value;
          const problem = typeof value === 'string' ? (stringProblem(value) ?? displayNameProblem(value)) : 'must be a string';
          return `${args?.property} ${problem}`;
        },
      },
    },
    options,
  );
}

/**
 * The field may be left out. Unlike class-validator's IsOptional, `null` is not taken as
 * absent: it is validated like any value (and refused), unless the field is `nullable`,
 * where null means "remove" (a phone number, an end date). A null on an optional field
 * once went through validation to PostgreSQL and answered 500.
 */
export function Optional(options: { nullable?: boolean } = {}): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && !(options.nullable && value === null));
}

/** Years a date-time input may have: beyond them a date is a typing error, and JavaScript and PostgreSQL disagree on their range. */
export const DATE_TIME_YEARS = { min: 1900, max: 9999 } as const;

/** A strict ISO 8601 date-time (a real calendar date) between the years 1900 and 9999. */
export function IsIsoDateTime(options: Pick<ValidationOptions, 'each'> & { message?: string } = {}): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { each: options.each, message: options.message }),
    ValidateBy(
      {
        name: 'isDateTimeInRange',
        validator: {
          validate: (value: unknown) => {
            // What is not a date at all is the ISO 8601 rule's to report.
            const year = typeof value === 'string' ? new Date(value).getUTCFullYear() : NaN;
            return Number.isNaN(year) || (year >= DATE_TIME_YEARS.min && year <= DATE_TIME_YEARS.max);
          },
          defaultMessage: (args) => `${args?.property} must be between the years ${DATE_TIME_YEARS.min} and ${DATE_TIME_YEARS.max}`,
        },
      },
      { each: options.each },
    ),
  ) as PropertyDecorator;
}

/** Largest integer a numeric input may have: PostgreSQL's integer, so that no bound is ever missed by the database. */
export const MAX_INT = 2_147_483_647;
