import { Actor, ChangeKind, ChangeValidation } from '@procura/contracts';
import { ValidationFailedError, flattenValidationErrors } from '@procura/errors';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Tx } from '../companies/companies.repository';

export interface ApplyContext {
  changeRequestId: string;
  companyId: string;
  makerUserId: string;
  mode: 'immediate' | 'approved';
  targetVersion?: number;
  /** For the audit trail: the maker, on whose behalf the change applies. */
  actor: string;
}

export interface AppliedChange {
  result: Record<string, unknown>;
  revealOnce?: Record<string, string>;
  audit: {
    action: string;
    targetType: string;
    targetId: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  };
  /** Work after the commit (e.g. sessions revoked in Redis); never required for correctness. */
  afterCommit?: () => Promise<void>;
}

/** The target changed since validation: the maker must look again and resubmit. */
export class StaleChangeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * One kind of change owned by identity. `validate` checks the payload against the current
 * state and describes the change; `apply` makes it inside the caller's transaction,
 * refusing a target whose version moved (StaleChangeError) or a broken rule (DomainError).
 * Neither depends on an HTTP request: the dual-validation workflow calls them later.
 */
export interface ChangeKindHandler<P extends object = object> {
  readonly kind: ChangeKind;
  readonly payloadType: ClassConstructor<P>;
  validate(companyId: string, payload: P, actor: Actor): Promise<ChangeValidation>;
  /** Checks that need another service, made before the transaction opens. */
  prepare?(companyId: string, payload: P): Promise<void>;
  apply(tx: Tx, payload: P, ctx: ApplyContext): Promise<AppliedChange>;
}

export const CHANGE_KIND_HANDLERS = Symbol('CHANGE_KIND_HANDLERS');

/** Change payloads arrive as plain JSON: validated like any other input, unknown fields refused. */
export function parsePayload<P extends object>(type: ClassConstructor<P>, raw: Record<string, unknown>): P {
  const instance = plainToInstance(type, raw);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new ValidationFailedError(flattenValidationErrors(errors));
  return instance;
}

export function checkVersion(ctx: ApplyContext, what: string, current: number): void {
  if (ctx.targetVersion !== undefined && ctx.targetVersion !== current) {
    throw new StaleChangeError(
      `The ${what} changed since the change was submitted (version ${ctx.targetVersion}, now ${current}): submit it again`,
    );
  }
}

/** Removes undefined members so a normalised payload survives JSON unchanged. */
export function compact<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
