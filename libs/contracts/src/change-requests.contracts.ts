import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHANGE_KIND_NAMES, type ChangeKind } from './changes.contracts';
import { IsIsoDateTime, Optional } from './input-rules';
import { ChangePolicyView } from './change-policy.contracts';
import type { ChangeSubmissionResult } from './changes.contracts';
import { Page, PageQueryDto } from './pagination';
import { defineCommand } from './rpc';

export const CHANGE_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'APPLIED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'STALE', 'FAILED'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

/** A name an item gives itself so that later items can refer to what it creates. */
export const CHANGE_ITEM_REF = /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/;

export class ChangeItemInput {
  @ApiProperty({ enum: CHANGE_KIND_NAMES }) @IsIn(CHANGE_KIND_NAMES) kind: ChangeKind;
  @ApiPropertyOptional({
    description:
      'Names the item (unique in the request): a later item writes {"$ref": name} where an id of what this item creates is expected',
    pattern: CHANGE_ITEM_REF.source,
  })
  @Optional()
  @IsString()
  @Matches(CHANGE_ITEM_REF, { message: 'ref must start with a letter and have at most 40 letters, digits, "_" or "-"' })
  ref?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The change; {"$ref": name} stands for the id an earlier item creates',
  })
  @IsObject()
  payload: Record<string, unknown>;
}

export class SubmitChangesPayload {
  @ValidateNested({ each: true })
  @Type(() => ChangeItemInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items: ChangeItemInput[];

  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
  /** Submitted through the batch endpoint: refusals name fields `items[i].payload.<field>`. */
  @Optional() @IsBoolean() batch?: boolean;
  /** The company the changes are for: required of an operator (an administrator's is their own). */
  @Optional() @IsUUID() companyId?: string;
}

/** A batch submitted by hand: several changes validated (and applied) as one request. */
export class SubmitBatchDto {
  @ApiProperty({ type: [ChangeItemInput], maxItems: 500 })
  @ValidateNested({ each: true })
  @Type(() => ChangeItemInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items: ChangeItemInput[];
}

export class ChangeItemView {
  @ApiProperty() position: number;
  @ApiProperty({ enum: CHANGE_KIND_NAMES }) kind: string;
  @ApiPropertyOptional() ref?: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) diff: Record<string, unknown>;
  @ApiProperty() targetType: string;
  @ApiPropertyOptional() targetId?: string;
  @ApiPropertyOptional({ enum: ['APPLIED', 'STALE', 'FAILED', 'NOT_APPLIED'], description: 'Once the request was applied or failed' })
  outcome?: string;
  @ApiPropertyOptional() reason?: string;
}

export class ChangeRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ enum: CHANGE_REQUEST_STATUSES }) status: ChangeRequestStatus;
  @ApiProperty() kind: string;
  @ApiProperty() summary: string;
  @ApiProperty({ format: 'uuid', description: 'The maker: a user of the company, or an operator when makerKind is operator' })
  makerUserId: string;
  @ApiProperty({
    enum: ['user', 'operator'],
    description: 'operator: made by the bank advisor or accounting-firm collaborator managing the company',
  })
  makerKind: 'user' | 'operator';
  @ApiProperty() requiredApprovals: number;
  @ApiProperty({ type: [Object] }) approvals: Array<{ validatorUserId: string; approvedAt: string }>;
  @ApiProperty({ type: [String] }) subjectUserIds: string[];
  @ApiProperty({ type: [ChangeItemView] }) items: ChangeItemView[];
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) result?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Shown to the maker once (e.g. a provisional password when the user has no phone), then erased' })
  revealOnce?: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) appliedAt?: string;
  @ApiPropertyOptional({
    description:
      'A pending request that can no longer get its approvals (validators suspended, signatures removed…): why. ' +
      'The maker should cancel it and resubmit once enough administrators can approve.',
  })
  cannotComplete?: string;
}

export class ChangeRequestPage implements Page<ChangeRequestView> {
  @ApiProperty({ type: [ChangeRequestView] }) items: ChangeRequestView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

/** Decision D2: what submitting these items would do, without writing anything. */
export class ChangePreviewItem {
  @ApiProperty() position: number;
  @ApiProperty({ enum: CHANGE_KIND_NAMES }) kind: string;
  @ApiPropertyOptional() ref?: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) diff: Record<string, unknown>;
  @ApiProperty({ type: [String] }) subjectUserIds: string[];
  @ApiProperty() targetType: string;
  @ApiPropertyOptional() targetId?: string;
}

export class EligibleValidator {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
}

export class ChangePreview {
  @ApiProperty({ type: [ChangePreviewItem] }) items: ChangePreviewItem[];
  @ApiProperty({ description: 'True when submitting applies the change at once (no approval needed)' }) appliesImmediately: boolean;
  @ApiProperty({ description: "Submitting needs the maker's fresh strong authentication (POST /auth/step-up first)" })
  makerStepUpRequired: boolean;
  @ApiProperty() requiredApprovals: number;
  @ApiProperty({ type: [EligibleValidator], description: 'Who can approve it: active administrators, neither the maker nor a subject' })
  eligibleValidators: EligibleValidator[];
}

export class PreviewChangesPayload {
  @IsUUID() companyId: string;
  @ValidateNested({ each: true })
  @Type(() => ChangeItemInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items: ChangeItemInput[];
}

export class ListChangeRequestsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES }) @Optional() @IsIn(CHANGE_REQUEST_STATUSES) status?: ChangeRequestStatus;
  @ApiPropertyOptional({ enum: CHANGE_KIND_NAMES }) @Optional() @IsIn(CHANGE_KIND_NAMES) kind?: ChangeKind;
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsUUID() makerUserId?: string;
  @ApiPropertyOptional({ description: 'Only requests older than this many hours' })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 365)
  olderThanHours?: number;
}

export class ListChangeRequestsPayload extends ListChangeRequestsQuery {
  @IsUUID() companyId: string;
}

export class ChangeRequestIdPayload {
  @IsUUID() changeRequestId: string;
}

export class ApproveChangeDto {
  @ApiProperty({ example: '123456', description: 'A fresh code of your authenticator app (strong authentication)' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'totpCode must be the 6 digits of your authenticator app' })
  totpCode: string;
}

export class ApproveChangePayload extends ApproveChangeDto {
  @IsUUID() changeRequestId: string;
}

export class RejectChangeDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 }) @IsString() @Length(3, 1000) reason: string;
}

export class RejectChangePayload extends RejectChangeDto {
  @IsUUID() changeRequestId: string;
}

export class CompanyIdPayload {
  @IsUUID() companyId: string;
}

export class AuditQuery extends PageQueryDto {
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 100) action?: string;
  @ApiPropertyOptional({ description: 'Who acted, as written in the trail (`user:<id>`, `operator:<id>`, `system:<name>`)' })
  @Optional()
  @IsString()
  @Length(1, 100)
  actor?: string;
  @ApiPropertyOptional({
    description: 'Entries about this id: its target, or what the user with this id did (a user page passes the user and their credentials)',
    type: [String],
    format: 'uuid',
  })
  @Optional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsUUID('all', { each: true, message: 'about must be ids (uuid)' })
  @ArrayMaxSize(20)
  about?: string[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this instant' })
  @Optional()
  @IsIsoDateTime()
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this instant' })
  @Optional()
  @IsIsoDateTime()
  to?: string;
}

export class AuditListPayload extends AuditQuery {
  @IsUUID() companyId: string;
}

export class AuditEntryView {
  @ApiProperty() seq: number;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty() actor: string;
  @ApiProperty() action: string;
  @ApiProperty() targetType: string;
  @ApiPropertyOptional() targetId?: string;
  @ApiPropertyOptional() sourceIp?: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional() before?: unknown;
  @ApiPropertyOptional() after?: unknown;
  @ApiPropertyOptional() details?: unknown;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditPage implements Page<AuditEntryView> {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class AuditVerification {
  @ApiProperty() valid: boolean;
  @ApiProperty() entries: number;
  @ApiPropertyOptional({ description: 'First entry whose hash or link does not match' }) firstBrokenSeq?: number;
  @ApiPropertyOptional() problem?: string;
}

export const ChangeRequestCommands = {
  submit: defineCommand<SubmitChangesPayload, ChangeSubmissionResult>('authorizations', 'authorizations.change-requests.submit'),
  preview: defineCommand<PreviewChangesPayload, ChangePreview>('authorizations', 'authorizations.change-requests.preview'),
  list: defineCommand<ListChangeRequestsPayload, Page<ChangeRequestView>>('authorizations', 'authorizations.change-requests.list'),
  get: defineCommand<ChangeRequestIdPayload, ChangeRequestView>('authorizations', 'authorizations.change-requests.get'),
  approve: defineCommand<ApproveChangePayload, ChangeRequestView>('authorizations', 'authorizations.change-requests.approve'),
  reject: defineCommand<RejectChangePayload, ChangeRequestView>('authorizations', 'authorizations.change-requests.reject'),
  cancel: defineCommand<ChangeRequestIdPayload, ChangeRequestView>('authorizations', 'authorizations.change-requests.cancel'),
  policy: defineCommand<CompanyIdPayload, ChangePolicyView>('authorizations', 'authorizations.change-policy.get'),
  auditList: defineCommand<AuditListPayload, Page<AuditEntryView>>('authorizations', 'authorizations.audit.list'),
  auditVerify: defineCommand<CompanyIdPayload, AuditVerification>('authorizations', 'authorizations.audit.verify'),
};
