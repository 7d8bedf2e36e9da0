import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  AuthorizationAssignChange,
  AuthorizationCreateChange,
  AuthorizationDeleteChange,
  AuthorizationUpdateChange,
  RightsAuthorizeAllChange,
  RightsCopyChange,
  RightsPlanChange,
  RightsTemplateChange,
} from './authorizations.contracts';
import { PolicyUpdateChange } from './change-policy.contracts';
import {
  AdminSignatureChange,
  CredentialCreateChange,
  CredentialResetChange,
  CredentialRevokeChange,
  UserCreateChange,
  UserTargetChange,
  UserUpdateChange,
} from './identity-access.contracts';
import { DeliveryUpdateChange } from './reporting.contracts';
import type { AuditEventJob } from './queues';
import { MAX_INT, Optional } from './input-rules';
import { defineCommand, RpcServiceName } from './rpc';

type PayloadClass = new () => object;

/** How one change kind is declared: its owner, the class its payload is validated with, and its rules of engagement. */
export interface ChangeKindDeclaration<P extends PayloadClass = PayloadClass, Plan extends PayloadClass = PayloadClass> {
  /** The service that holds the data: it validates and applies the kind (its one handler, @ChangeHandler). */
  owner: RpcServiceName;
  /** What the maker submits (validated with class-validator, unknown fields refused). */
  payload: P;
  /**
   * What validation normalises the payload to, stored with the request and given to `apply`
   * (the approvers approve exactly it). Defaults to `payload`.
   */
  plan?: Plan;
  /** Never applied at once, whatever the maker's signature (e.g. a change of the dual-control policy itself). */
  alwaysNeedsApproval?: boolean;
}

function declare<P extends PayloadClass, Plan extends PayloadClass = P>(
  declaration: ChangeKindDeclaration<P, Plan>,
): ChangeKindDeclaration<P, Plan> {
  return declaration;
}

/**
 * Every mutation a company administrator makes is a change of one of these kinds, each
 * declared once here: its owner and its payload class. Its one handler (libs/changes,
 * `@ChangeHandler(kind)`) lives in the owning service, which refuses to start without it.
 */
export const CHANGE_KIND_CATALOG = {
  USER_CREATE: declare({ owner: 'identity', payload: UserCreateChange }),
  USER_UPDATE: declare({ owner: 'identity', payload: UserUpdateChange }),
  USER_ACTIVATE: declare({ owner: 'identity', payload: UserTargetChange }),
  USER_SUSPEND: declare({ owner: 'identity', payload: UserTargetChange }),
  USER_REACTIVATE: declare({ owner: 'identity', payload: UserTargetChange }),
  USER_DELETE: declare({ owner: 'identity', payload: UserTargetChange }),
  ADMIN_SIGNATURE_SET: declare({ owner: 'identity', payload: AdminSignatureChange }),
  CREDENTIAL_CREATE: declare({ owner: 'identity', payload: CredentialCreateChange }),
  CREDENTIAL_REVOKE: declare({ owner: 'identity', payload: CredentialRevokeChange }),
  CREDENTIAL_RESET: declare({ owner: 'identity', payload: CredentialResetChange }),
  AUTHORIZATION_CREATE: declare({ owner: 'authorizations', payload: AuthorizationCreateChange }),
  AUTHORIZATION_UPDATE: declare({ owner: 'authorizations', payload: AuthorizationUpdateChange }),
  AUTHORIZATION_DELETE: declare({ owner: 'authorizations', payload: AuthorizationDeleteChange }),
  AUTHORIZATION_ASSIGN: declare({ owner: 'authorizations', payload: AuthorizationAssignChange }),
  RIGHTS_TEMPLATE: declare({ owner: 'authorizations', payload: RightsTemplateChange, plan: RightsPlanChange }),
  RIGHTS_COPY: declare({ owner: 'authorizations', payload: RightsCopyChange, plan: RightsPlanChange }),
  RIGHTS_AUTHORIZE_ALL: declare({ owner: 'authorizations', payload: RightsAuthorizeAllChange, plan: RightsPlanChange }),
  // The policy can weaken dual control: changing it always needs a second administrator.
  POLICY_UPDATE: declare({ owner: 'authorizations', payload: PolicyUpdateChange, alwaysNeedsApproval: true }),
  DELIVERY_UPDATE: declare({ owner: 'reporting', payload: DeliveryUpdateChange }),
} as const;

type Catalog = typeof CHANGE_KIND_CATALOG;
export type ChangeKind = keyof Catalog;
export const CHANGE_KIND_NAMES = Object.keys(CHANGE_KIND_CATALOG) as ChangeKind[];

export function ownerOf(kind: ChangeKind): RpcServiceName {
  return CHANGE_KIND_CATALOG[kind].owner;
}

export function isChangeKind(value: string): value is ChangeKind {
  return Object.prototype.hasOwnProperty.call(CHANGE_KIND_CATALOG, value);
}

/** The payload a maker submits for kind K. */
export type ChangePayload<K extends ChangeKind> = InstanceType<Catalog[K]['payload']>;
/** The normalised payload of kind K that `apply` receives. */
export type ChangePlan<K extends ChangeKind> =
  Catalog[K] extends ChangeKindDeclaration<PayloadClass, infer Plan extends PayloadClass> ? InstanceType<Plan> : never;

export function declarationOf(kind: ChangeKind): ChangeKindDeclaration {
  return CHANGE_KIND_CATALOG[kind];
}

/** Before/after of what a change touches, for validators and the audit trail. */
export interface ChangeDiff {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * Something an earlier item of the same request will create, as later items must see it
 * while they are validated (it is not in any table yet). Its id is fixed at submission:
 * derived from the item's id, so applying the item creates exactly this id.
 *
 * Types in use: `user` (data: status, clientType, adminSignature, email, firstName,
 * lastName, phone, language), `credential` (data: userId, type, bankingPower),
 * `user-rights` (id: the user's id; data: services, the services of the rights given).
 */
export class PlannedEntity {
  @IsString() @MaxLength(40) type: string;
  @IsUUID() id: string;
  @IsUUID() companyId: string;
  /** Position of the item that creates it (set by the workflow). */
  @Optional() @IsInt() @Min(0) @Max(500) position?: number;
  @IsObject() data: Record<string, unknown>;
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
  /** What applying the change creates; the first is what `{"$ref": name}` in a later item refers to. */
  creates?: PlannedEntity[];
}

export type ChangeOutcome = 'APPLIED' | 'STALE' | 'FAILED';
/** An item's outcome in a change request: NOT_APPLIED when an earlier item stopped the request. */
export type ChangeItemOutcome = ChangeOutcome | 'NOT_APPLIED';

/** Result of applying a change; applying the same change id twice returns the first result. */
export interface ChangeApplyResult {
  outcome: ChangeOutcome;
  /** Why a change is STALE or FAILED, for the maker. */
  reason?: string;
  /** What the change produced (e.g. the created user); never a secret unless `revealOnce`. */
  result?: Record<string, unknown>;
  /** Shown once to the maker when the change applies at once, never stored (e.g. a provisional password without a phone). */
  revealOnce?: Record<string, string>;
  /**
   * What the audit trail records about this item (the owner's entry, with its event id):
   * the workflow appends it with the request's outcome, so one event is one append. The
   * same entries come back on a replay, and an event id is recorded once.
   */
  audit?: AuditEventJob[];
}

export class ValidateChangePayload {
  @IsIn(CHANGE_KIND_NAMES) kind: ChangeKind;
  @IsUUID() companyId: string;
  @IsObject() payload: Record<string, unknown>;
  /** The item's id, fixed at submission: ids of what the change creates derive from it. */
  @Optional() @IsUUID() itemId?: string;
  /** What earlier items of the same request will create. */
  @Optional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => PlannedEntity) planned?: PlannedEntity[];
}

export class ApplyChangePayload {
  /** The item's id (the change request item): the owner applies it at most once. */
  @IsUUID() changeRequestId: string;
  @IsIn(CHANGE_KIND_NAMES) kind: ChangeKind;
  @IsUUID() companyId: string;
  @IsUUID() makerUserId: string;
  /** `operator` when makerUserId is an operator's id (the audit names `operator:<id>`). */
  @Optional() @IsIn(['user', 'operator']) makerKind?: 'user' | 'operator';
  @IsObject() payload: Record<string, unknown>;
  @Optional() @IsInt() @Min(0) @Max(MAX_INT) targetVersion?: number;
  /** True when the change applies at once for its maker: secrets may be revealed once in the response. */
  @Optional() @IsIn(['immediate', 'approved']) mode?: 'immediate' | 'approved';
  /** What earlier items of the same request created (they are applied already). */
  @Optional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => PlannedEntity) planned?: PlannedEntity[];
  /** The workflow resumes an application after a crash: the item may be decided already. */
  @Optional() @IsBoolean() resuming?: boolean;
}

/** The validate/apply commands every owning service answers for the kinds it owns. */
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
