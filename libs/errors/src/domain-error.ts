/** A field that failed validation, by dotted path (e.g. `company.name`). */
export interface FieldError {
  field: string;
  messages: string[];
}

/**
 * Errors with a stable machine-readable code and an HTTP status. Services throw them;
 * they cross the RPC transport as plain objects (toWire/fromWire) and the gateway maps
 * them once to application/problem+json.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields?: FieldError[],
    /** Extra, non-secret members of the problem document (e.g. the existing resource id). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(fields: FieldError[], message = `Invalid input: ${fields.map((f) => f.field).join(', ')}`) {
    super('VALIDATION_FAILED', 400, message, fields);
  }
}

/** Also used for resources that exist but belong to someone else: never leak existence. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', 404, `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, extra?: Record<string, unknown>) {
    super(code, 409, message, undefined, extra);
  }
}

/** A business rule refuses the operation (422: the input is well formed but not acceptable). */
export class RuleViolationError extends DomainError {
  constructor(code: string, message: string, fields?: FieldError[]) {
    super(code, 422, message, fields);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this') {
    super('FORBIDDEN', 403, message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', 401, message);
  }
}

/** Seconds a client is told to wait before retrying when a dependency is missing (Retry-After). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** A service or Redis is missing or too slow: 503 with Retry-After, never a 500 or a hung request. */
export class ServiceUnavailableError extends DomainError {
  constructor(service: string, reason: 'down' | 'timeout') {
    super(
      'SERVICE_UNAVAILABLE',
      503,
      reason === 'down' ? `The ${service} service is not running` : `The ${service} service did not answer in time`,
      undefined,
      { service, retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS },
    );
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, 'Too many requests, try again later', undefined, { retryAfter: retryAfterSeconds });
  }
}

/** The serialisable form of a DomainError carried by the RPC transport. */
export interface WireError {
  code: string;
  status: number;
  message: string;
  fields?: FieldError[];
  extra?: Record<string, unknown>;
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.status === 'number' && typeof v.message === 'string';
}

export function toWire(error: DomainError): WireError {
  return { code: error.code, status: error.status, message: error.message, fields: error.fields, extra: error.extra };
}

export function fromWire(wire: WireError): DomainError {
  return new DomainError(wire.code, wire.status, wire.message, wire.fields, wire.extra);
}
