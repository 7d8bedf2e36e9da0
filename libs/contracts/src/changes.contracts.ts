import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsUUID, Max, Min } from 'class-validator';
import { MAX_INT, Optional } from './input-rules';
import { defineCommand, RpcServiceName } from './rpc';

/**
 * Every mutation a company administrator makes is a change of one of these kinds. The
 * service that owns the data validates and applies it (ChangeKindHandler); the change
 * request workflow (authorizations service, issue "Dual validation") decides when.
 */
export const CHANGE_KINDS = {
  // identity
  USER_CREATE: 'identity',
  USER_UPDATE: 'identity',
  USER_ACTIVATE: 'identity',
  USER_SUSPEND: 'identity',
  USER_REACTIVATE: 'identity',
  USER_DELETE: 'identity',
  ADMIN_SIGNATURE_SET: 'identity',
  CREDENTIAL_CREATE: 'identity',
  CREDENTIAL_REVOKE: 'identity',
  CREDENTIAL_RESET: 'identity',
  // authorizations
  AUTHORIZATION_CREATE: 'authorizations',
  AUTHORIZATION_UPDATE: 'authorizations',
  AUTHORIZATION_DELETE: 'authorizations',
  AUTHORIZATION_ASSIGN: 'authorizations',
  RIGHTS_TEMPLATE: 'authorizations',
  RIGHTS_COPY: 'authorizations',
  RIGHTS_AUTHORIZE_ALL: 'authorizations',
  POLICY_UPDATE: 'authorizations',
  // reporting
  DELIVERY_UPDATE: 'reporting',
} as const satisfies Record<string, RpcServiceName>;

export type ChangeKind = keyof typeof CHANGE_KINDS;
export const CHANGE_KIND_NAMES = Object.keys(CHANGE_KINDS) as ChangeKind[];

export function ownerOf(kind: ChangeKind): RpcServiceName {
  return CHANGE_KINDS[kind];
}

/** Before/after of what a change touches, for validators and the audit trail. */
export interface ChangeDiff {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What the owner's validation step returns: the change is acceptable now, and what it is. */
export class ChangeValidation {
  @ApiProperty({ description: 'Human-readable summary, e.g. "Create user Julie Leroy (julie.leroy@…)"' }) summary: string;
  @ApiProperty() diff: ChangeDiff;
  @ApiProperty() targetType: string;
  @ApiPropertyOptional() targetId?: string;
  @ApiPropertyOptional({ description: 'Version of the target when validated; a different version at apply time makes the change STALE' })
  targetVersion?: number;
  @ApiProperty({ type: [String], description: 'Users the change is about: none of them may approve it' }) subjectUserIds: string[];
  /** Payload normalised by the owner (ids resolved, defaults filled): what will be applied. */
  payload: Record<string, unknown>;
}

export type ChangeOutcome = 'APPLIED' | 'STALE' | 'FAILED';

/** Result of applying a change; applying the same change id twice returns the first result. */
export interface ChangeApplyResult {
  outcome: ChangeOutcome;
  /** Why a change is STALE or FAILED, for the maker. */
  reason?: string;
  /** What the change produced (e.g. the created user); never a secret unless `revealOnce`. */
  result?: Record<string, unknown>;
  /** Shown once to the maker when the change applies at once, never stored (e.g. a provisional password without a phone). */
  revealOnce?: Record<string, string>;
}

export class ValidateChangePayload {
  @IsIn(CHANGE_KIND_NAMES) kind: ChangeKind;
  @IsUUID() companyId: string;
  @IsObject() payload: Record<string, unknown>;
}

export class ApplyChangePayload {
  @IsUUID() changeRequestId: string;
  @IsIn(CHANGE_KIND_NAMES) kind: ChangeKind;
  @IsUUID() companyId: string;
  @IsUUID() makerUserId: string;
  @IsObject() payload: Record<string, unknown>;
  @Optional() @IsInt() @Min(0) @Max(MAX_INT) targetVersion?: number;
  /** True when the change applies at once for its maker: secrets may be revealed once in the response. */
  @Optional() @IsIn(['immediate', 'approved']) mode?: 'immediate' | 'approved';
}

/** The validate/apply commands every owning service answers. */
export const ChangeCommands = {
  validate: (service: RpcServiceName) => defineCommand<ValidateChangePayload, ChangeValidation>(service, `${service}.changes.validate`),
  apply: (service: RpcServiceName) => defineCommand<ApplyChangePayload, ChangeApplyResult>(service, `${service}.changes.apply`),
};

/** What the gateway answers to an administrator's mutation. */
export interface ChangeSubmissionResult {
  status: 'APPLIED' | 'PENDING';
  changeRequestId: string;
  /** When APPLIED: the result of the change (and `revealOnce` secrets, shown this one time). */
  result?: Record<string, unknown>;
  revealOnce?: Record<string, string>;
  /** When PENDING: the change request waiting for validation. */
  changeRequest?: Record<string, unknown>;
}
