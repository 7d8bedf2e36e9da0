import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsDisplayName, IsIsoDateTime, Optional } from './input-rules';
import { Page, PageQueryDto } from './pagination';
import { defineCommand } from './rpc';

export class CatalogLevelView {
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiProperty({ description: 'Higher rank = broader level; a level grants every lower-ranked one' }) rank: number;
}

export class CatalogRightView {
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiPropertyOptional({ description: 'Accounting-portal family; a family is granted as a whole' }) family?: string;
  @ApiProperty({ enum: ['NONE', 'ACCOUNTS_AND_CONTRACTS'] }) resourceScope: 'NONE' | 'ACCOUNTS_AND_CONTRACTS';
}

export class CatalogServiceView {
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiProperty({ type: [CatalogRightView] }) rights: CatalogRightView[];
  @ApiProperty({ type: [CatalogLevelView] }) levels: CatalogLevelView[];
}

export const AuthorizationsCommands = {
  listServices: defineCommand<Record<string, never>, CatalogServiceView[]>('authorizations', 'authorizations.catalog.list'),
};

// ── Seams used by other services (implemented by the authorizations service) ────────

export class ServicesOfUserPayload {
  @IsUUID() userId: string;
  @IsUUID() companyId: string;
}

export class ReportRightsPayload {
  @IsUUID() companyId: string;
  @IsUUID('all', { each: true }) userIds: string[];
  @Optional() @IsIsoDateTime() at?: string;
}

/** Rights of one user as the access-rights report shows them. */
export interface ReportUserRights {
  authorizations: Array<{
    id: string;
    label: string;
    service: string;
    effectiveFrom: string;
    endsAt: string | null;
    active: boolean;
    /** Authorize-all's standing rule: the profile per contract type contracts opened later receive. */
    standingProfiles?: Array<{ contractType: string; profile: string }>;
  }>;
  effectiveRights: Array<{
    service: string;
    right: string;
    level: string;
    resources: Array<{ id: string; label: string; identifier: string }> | null;
    authorizationId: string;
  }>;
  pendingChangeRequests: Array<{ id: string; kind: string; summary: string; createdAt: string }>;
}

export class CompiledRightsPayload {
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(100) @ArrayUnique() @IsUUID('all', { each: true }) userIds: string[];
}

/** One grant of a user's compiled rights, on the wire (epoch ms; active on [from, until)). */
export interface CompiledGrantWire {
  authorizationId: string;
  authorizationLabel: string;
  service: string;
  right: string;
  level: string;
  from: number;
  until: number | null;
  /** null: the right is not about resources. */
  resources: string[] | null;
}

/** Everything the check needs about one user, on the wire (see @procura/rights). */
export interface CompiledRightsWire {
  userId: string;
  companyId: string;
  status: string;
  credentials: Array<{ validUntil: number | null; revoked: boolean; bankingPower: boolean }>;
  grants: CompiledGrantWire[];
}

export interface CompiledRightsAnswer {
  /** Identifies the catalog the rights were compiled against (see catalogVersion in @procura/rights). */
  catalogVersion: string;
  /**
   * In the order asked. `token` is the user's generation token read before the rights
   * were read: the copy is current exactly while that token is. `rights` null: unknown user.
   */
  users: Array<{ userId: string; token: string; rights: CompiledRightsWire | null }>;
}

export const AuthorizationsSeams = {
  /** Compiled rights of users with their generation tokens: the gateway answers the check from them. */
  compiledRights: defineCommand<CompiledRightsPayload, CompiledRightsAnswer>('authorizations', 'authorizations.rights.compiled'),
  /** Services a user's authorizations cover (all dates): the banking-power rule needs it. */
  servicesOfUser: defineCommand<ServicesOfUserPayload, { services: string[] }>('authorizations', 'authorizations.rights.services-of-user'),
  reportRights: defineCommand<ReportRightsPayload, Record<string, ReportUserRights>>(
    'authorizations',
    'authorizations.reports.rights-of-users',
  ),
};

// ── Resources: a company's accounts and contracts (operators manage them) ───────────

export const BANKING_RIGHTS = ['CONSULT', 'MANAGE', 'VALIDATE'] as const;
export type BankingRight = (typeof BANKING_RIGHTS)[number];
export const RESOURCE_KINDS = ['ACCOUNT', 'CONTRACT'] as const;
export type ResourceKindName = (typeof RESOURCE_KINDS)[number];
const CODE = /^[A-Z][A-Z0-9_]{1,49}$/;
const CODE_MESSAGE = (field: string) => `${field} must be 2 to 50 capital letters, digits or underscores`;

export class CreateResourceDto {
  @ApiProperty({ enum: RESOURCE_KINDS }) @IsIn(RESOURCE_KINDS) kind: ResourceKindName;
  @ApiProperty({ example: 'CURRENT_ACCOUNT' }) @IsString() @Matches(CODE, { message: CODE_MESSAGE('contractType') }) contractType: string;
  @ApiProperty({ example: 'Compte courant', maxLength: 200 }) @IsString() @Length(1, 200) @IsDisplayName() label: string;
  @ApiProperty({ example: 'FR7630001007941234567890185', description: 'IBAN or contract number, unique within the company' })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9 -]{2,48}[A-Z0-9]$/, { message: 'identifier must be 4 to 50 capital letters, digits, spaces or dashes' })
  identifier: string;
  @ApiPropertyOptional({ enum: BANKING_RIGHTS, isArray: true, description: 'Banking rights this resource allows (default: all)' })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(BANKING_RIGHTS, { each: true })
  allowedRights?: BankingRight[];
}

export class UpdateResourceDto {
  @ApiPropertyOptional() @Optional() @IsString() @Matches(CODE, { message: CODE_MESSAGE('contractType') }) contractType?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 200) @IsDisplayName() label?: string;
  @ApiPropertyOptional({ enum: BANKING_RIGHTS, isArray: true })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(BANKING_RIGHTS, { each: true })
  allowedRights?: BankingRight[];
}

export class ResourceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) kind: ResourceKindName;
  @ApiProperty() contractType: string;
  @ApiProperty() label: string;
  @ApiProperty() identifier: string;
  @ApiProperty({ enum: BANKING_RIGHTS, isArray: true }) allowedRights: BankingRight[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ResourcePage implements Page<ResourceView> {
  @ApiProperty({ type: [ResourceView] }) items: ResourceView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class CreateResourcePayload {
  @IsUUID() companyId: string;
  @ValidateNested() @Type(() => CreateResourceDto) resource: CreateResourceDto;
}

export class UpdateResourcePayload {
  @IsUUID() companyId: string;
  @IsUUID() resourceId: string;
  @ValidateNested() @Type(() => UpdateResourceDto) changes: UpdateResourceDto;
}

export class ListResourcesPayload extends PageQueryDto {
  @IsUUID() companyId: string;
}

// ── Authorizations (seed 000) ───────────────────────────────────────────────────────

export class GrantDto {
  @ApiProperty({ example: 'SUPPLIER_INVOICE_APPROVAL' }) @IsString() @Matches(CODE, { message: CODE_MESSAGE('right') }) right: string;
  @ApiProperty({ example: 'CONSULT_ENTER_VALIDATE' }) @IsString() @Matches(CODE, { message: CODE_MESSAGE('level') }) level: string;
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Accounts and contracts the right covers: required (non-empty) for banking rights, absent for the others',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  resourceIds?: string[];
}

/** Steps 2 to 4 of seed 000 in one document: characteristics, users, rights with levels. */
export class CreateAuthorizationDto {
  @ApiProperty({ example: 'Comptabilité fournisseurs', maxLength: 200 }) @IsString() @Length(1, 200) @IsDisplayName() label: string;
  @ApiProperty({ example: 'EINVOICING' }) @IsString() @Matches(CODE, { message: CODE_MESSAGE('service') }) service: string;
  @ApiProperty({ format: 'date-time', description: 'From when the authorization is active' })
  @IsIsoDateTime()
  effectiveFrom: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Optional end, after effectiveFrom' })
  @Optional()
  @IsIsoDateTime()
  endsAt?: string;
  @ApiProperty({ type: [GrantDto] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GrantDto)
  grants: GrantDto[];
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Users of the company who receive the authorization' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds?: string[];
}

export class UpdateAuthorizationDto {
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 200) @IsDisplayName() label?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @Optional() @IsIsoDateTime() effectiveFrom?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null removes the end date' })
  @Optional({ nullable: true })
  @IsIsoDateTime()
  endsAt?: string | null;
  @ApiPropertyOptional({ type: [GrantDto], description: 'Replaces every grant' })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GrantDto)
  grants?: GrantDto[];
}

export class AssignUsersDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  attach?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  detach?: string[];
}

/** Cumulative profiles used by templates and authorize-all: consult < manage < validate. */
export const PROFILES = ['CONSULT', 'MANAGE', 'VALIDATE'] as const;
export type Profile = (typeof PROFILES)[number];

export class ContractTypeProfileDto {
  @ApiProperty({ example: 'CURRENT_ACCOUNT' }) @IsString() @Matches(CODE, { message: CODE_MESSAGE('contractType') }) contractType: string;
  @ApiProperty({ enum: PROFILES }) @IsIn(PROFILES) profile: Profile;
}

export class GrantView {
  @ApiProperty() right: string;
  @ApiProperty() level: string;
  @ApiProperty({ type: [String], format: 'uuid' }) resourceIds: string[];
}

export class AuthorizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty() label: string;
  @ApiProperty() service: string;
  @ApiProperty({ format: 'date-time' }) effectiveFrom: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) endsAt: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: [GrantView] }) grants: GrantView[];
  @ApiProperty({ type: [String], format: 'uuid' }) userIds: string[];
  @ApiPropertyOptional({
    type: [ContractTypeProfileDto],
    nullable: true,
    description:
      'Standing rule of authorize-all (seed 002: "valable pour tous les contrats de la relation client"): contracts of these types opened later are added at the closest lower allowed level of the profile. null: no standing rule',
  })
  standingProfiles: ContractTypeProfileDto[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AuthorizationPage implements Page<AuthorizationView> {
  @ApiProperty({ type: [AuthorizationView] }) items: AuthorizationView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class ListAuthorizationsPayload extends PageQueryDto {
  @IsUUID() companyId: string;
  @Optional() @IsUUID() userId?: string;
}

export class ListAuthorizationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the authorizations of this user' }) @Optional() @IsUUID() userId?: string;
}

export class GetAuthorizationPayload {
  @IsUUID() authorizationId: string;
}

// ── Ways to give rights (seeds 001, 002) ────────────────────────────────────────────

export const TEMPLATES = ['DIRECTOR', 'ACCOUNTANT', 'PREPARER', 'VALIDATOR'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export class RightRefDto {
  @ApiProperty() @IsString() @Matches(CODE, { message: CODE_MESSAGE('service') }) service: string;
  @ApiProperty() @IsString() @Matches(CODE, { message: CODE_MESSAGE('right') }) right: string;
}

export class RightsTemplateDto {
  @ApiProperty({ enum: TEMPLATES }) @IsIn(TEMPLATES) template: TemplateName;
  @ApiPropertyOptional({ type: [String], example: ['BANKING'], description: 'Services the template covers (default: BANKING)' })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(CODE, { each: true, message: CODE_MESSAGE('services') })
  services?: string[];
  @ApiPropertyOptional({ type: [RightRefDto], description: 'Customisation (PREPARER and VALIDATOR only): rights to leave out' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RightRefDto)
  excludedRights?: RightRefDto[];
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Customisation (PREPARER and VALIDATOR only): accounts and contracts to leave out',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  excludedResourceIds?: string[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' })
  @Optional()
  @IsIsoDateTime()
  effectiveFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @Optional() @IsIsoDateTime() endsAt?: string;
}

export class RightsCopyDto {
  @ApiProperty({ format: 'uuid', description: 'The user whose rights are copied' }) @IsUUID() fromUserId: string;
  @ApiPropertyOptional({ type: [String], description: 'Services not to copy' })
  @Optional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(CODE, { each: true, message: CODE_MESSAGE('excludedServices') })
  excludedServices?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Accounts and contracts not to copy' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  excludedResourceIds?: string[];
}

export class ServiceProfileDto {
  @ApiProperty({ example: 'EINVOICING' }) @IsString() @Matches(CODE, { message: CODE_MESSAGE('service') }) service: string;
  @ApiProperty({ enum: PROFILES }) @IsIn(PROFILES) profile: Profile;
}

export class AuthorizeAllDto {
  @ApiPropertyOptional({
    type: [ContractTypeProfileDto],
    description: 'One profile per contract type, applied to every contract of that type',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ContractTypeProfileDto)
  contractTypes?: ContractTypeProfileDto[];
  @ApiPropertyOptional({ type: [ServiceProfileDto], description: 'One profile per other service' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ServiceProfileDto)
  services?: ServiceProfileDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' })
  @Optional()
  @IsIsoDateTime()
  effectiveFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @Optional() @IsIsoDateTime() endsAt?: string;
}

/** Where a requested profile was not allowed and the closest lower one was given instead. */
export interface Substitution {
  service: string;
  resourceId?: string;
  contractType?: string;
  requested: Profile;
  /** null: no lower profile is allowed either, nothing is given. */
  given: Profile | null;
  reason: string;
}

// ── Effective rights and the check ──────────────────────────────────────────────────

export const CHECK_REASONS = [
  'GRANTED',
  'NO_AUTHORIZATION',
  'OUTSIDE_VALIDITY_DATES',
  'USER_SUSPENDED',
  'USER_NOT_ACTIVE',
  'NO_CREDENTIAL',
  'CREDENTIAL_REVOKED',
  'CREDENTIAL_EXPIRED',
  'LEVEL_TOO_LOW',
  'RESOURCE_NOT_GRANTED',
  'UNKNOWN_RIGHT',
  'UNKNOWN_LEVEL',
  'NO_BANKING_POWER',
] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

export class CheckQuestionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
  @ApiProperty({ example: 'BANKING' }) @IsString() @Length(1, 50) service: string;
  @ApiProperty({ example: 'VALIDATE' }) @IsString() @Length(1, 50) right: string;
  @ApiProperty({ example: 'ACCESS' }) @IsString() @Length(1, 50) level: string;
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsUUID() resourceId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' }) @Optional() @IsIsoDateTime() at?: string;
}

export class CheckBatchDto {
  @ApiProperty({ type: [CheckQuestionDto], maxItems: 100 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CheckQuestionDto)
  questions: CheckQuestionDto[];
}

export class CheckAnswer {
  @ApiProperty() allowed: boolean;
  @ApiProperty({ enum: CHECK_REASONS }) reason: CheckReason;
  @ApiPropertyOptional({ format: 'uuid', description: 'The authorization that grants the right' }) authorizationId?: string;
}

export class CheckBatchAnswer {
  @ApiProperty({ type: [CheckAnswer] }) answers: CheckAnswer[];
}

export class EffectiveRightsQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' }) @Optional() @IsIsoDateTime() at?: string;
}

export class EffectiveRightsPayload {
  @IsUUID() userId: string;
  @Optional() @IsIsoDateTime() at?: string;
}

export class EffectiveRightView {
  @ApiProperty() service: string;
  @ApiProperty() right: string;
  @ApiProperty() level: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', nullable: true, description: 'null: the right is not about resources' })
  resourceIds: string[] | null;
  @ApiProperty({ format: 'uuid' }) authorizationId: string;
  @ApiProperty() authorizationLabel: string;
  @ApiProperty({ format: 'date-time' }) validFrom: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) validUntil: string | null;
  @ApiPropertyOptional({ enum: ['NO_BANKING_POWER'], description: 'Granted but not usable: a banking right without banking power' })
  withheld?: 'NO_BANKING_POWER';
}

export class EffectiveRightsView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'False when the user is not active or has no valid credential: then no right is effective' }) usable: boolean;
  @ApiPropertyOptional({ enum: CHECK_REASONS, description: 'Why the user cannot use any right' }) reason?: CheckReason;
  @ApiProperty({ description: 'Pouvoir bancaire (seed 000): banking rights are usable only with it' }) bankingPower: boolean;
  @ApiPropertyOptional({ description: 'Why the user is without banking power' }) bankingPowerReason?: string;
  @ApiProperty({ type: [EffectiveRightView] }) rights: EffectiveRightView[];
}

export const AuthorizationsQueries = {
  createResource: defineCommand<CreateResourcePayload, ResourceView>('authorizations', 'authorizations.resources.create'),
  updateResource: defineCommand<UpdateResourcePayload, ResourceView>('authorizations', 'authorizations.resources.update'),
  listResources: defineCommand<ListResourcesPayload, Page<ResourceView>>('authorizations', 'authorizations.resources.list'),
  listAuthorizations: defineCommand<ListAuthorizationsPayload, Page<AuthorizationView>>(
    'authorizations',
    'authorizations.authorizations.list',
  ),
  getAuthorization: defineCommand<GetAuthorizationPayload, AuthorizationView>('authorizations', 'authorizations.authorizations.get'),
  effectiveRights: defineCommand<EffectiveRightsPayload, EffectiveRightsView>('authorizations', 'authorizations.rights.effective'),
  check: defineCommand<CheckQuestionDto, CheckAnswer>('authorizations', 'authorizations.check.one'),
  checkBatch: defineCommand<CheckBatchDto, CheckBatchAnswer>('authorizations', 'authorizations.check.batch'),
};

// ── Payloads of the authorizations change kinds (ChangeCommands.validate/apply) ─────

export class AuthorizationCreateChange extends CreateAuthorizationDto {}

export class AuthorizationUpdateChange extends UpdateAuthorizationDto {
  @IsUUID() authorizationId: string;
}

export class AuthorizationDeleteChange {
  @IsUUID() authorizationId: string;
}

export class AuthorizationAssignChange extends AssignUsersDto {
  @IsUUID() authorizationId: string;
}

export class RightsTemplateChange extends RightsTemplateDto {
  @IsUUID() userId: string;
}

export class RightsCopyChange extends RightsCopyDto {
  @IsUUID() userId: string;
}

export class RightsAuthorizeAllChange extends AuthorizeAllDto {
  @IsUUID() userId: string;
}

/** An authorization a template, copy or authorize-all will create, resolved at validation. */
export class PlannedAuthorizationDto extends CreateAuthorizationDto {
  /** Authorize-all's banking authorization: the profiles it keeps giving on contracts opened later. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ContractTypeProfileDto)
  standingProfiles?: ContractTypeProfileDto[];
}

/**
 * What RIGHTS_TEMPLATE, RIGHTS_COPY and RIGHTS_AUTHORIZE_ALL normalise to: exactly what
 * the approvers saw and what will be applied (authorizations to create for the user,
 * existing ones to attach them to), beside the request it came from.
 */
export class RightsPlanChange {
  @IsUUID() userId: string;
  @IsIn(['RIGHTS_TEMPLATE', 'RIGHTS_COPY', 'RIGHTS_AUTHORIZE_ALL']) method: 'RIGHTS_TEMPLATE' | 'RIGHTS_COPY' | 'RIGHTS_AUTHORIZE_ALL';
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => PlannedAuthorizationDto) create: PlannedAuthorizationDto[];
  @IsArray() @ArrayMaxSize(500) @ArrayUnique() @IsUUID('all', { each: true }) attach: string[];
  /** Informational (shown in the summary and the result); not re-validated. */
  @Optional() @IsArray() substitutions?: Substitution[];
  /** The administrator's request, for the audit trail. */
  @Optional() request?: Record<string, unknown>;
}
