import { ChangeValidation } from '@procura/contracts';
import { validationExceptionFactory } from '@procura/errors';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createHash } from 'node:crypto';
import { Prisma } from '@procura/database';

/** Validates a change payload like any other input (unknown fields refused). */
export function parsePayload<T extends object>(cls: new () => T, payload: unknown): T {
  const instance = plainToInstance(cls, payload ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationExceptionFactory(errors);
  return instance;
}

/** The target changed since the change was validated: the maker must resubmit. */
export class StaleChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = StaleChangeError.name;
  }
}

/** Ids of what a change creates derive from the change: applying it twice creates nothing twice. */
export function derivedId(changeRequestId: string, index: number): string {
  const hex = createHash('sha256').update(`${changeRequestId}#${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface ApplyContext {
  changeRequestId: string;
  companyId: string;
  makerUserId: string;
  payload: Record<string, unknown>;
  targetVersion?: number;
}

export interface Applied {
  result: Record<string, unknown>;
  /** Users whose rights changed: their compiled rights are invalidated. */
  subjectUserIds: string[];
}

/** One change kind: its validation (what will happen) and its application (in the caller's transaction). */
export interface ChangeKindHandler {
  validate(companyId: string, payload: Record<string, unknown>): Promise<ChangeValidation>;
  apply(tx: Prisma.TransactionClient, ctx: ApplyContext): Promise<Applied>;
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toDate(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw validationExceptionFactory([{ property: field, constraints: { isDate: `${field} must be a date-time` }, children: [] }]);
  return d;
}
