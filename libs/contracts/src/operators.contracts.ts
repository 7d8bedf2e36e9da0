import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsDisplayName, Optional } from './input-rules';
import { Page, PageQueryDto } from './pagination';
import { defineCommand } from './rpc';
import { SessionTokens } from './identity-access.contracts';

// Operator organisations (a bank branch, an accounting firm), their operators (persons who
// sign in with mandatory TOTP), portfolios of client companies and API keys (identity service).

export enum OperatorRole {
  SUPERVISOR = 'SUPERVISOR',
  ADVISOR = 'ADVISOR',
  COLLABORATOR = 'COLLABORATOR',
}

export enum OperatorStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  REMOVED = 'REMOVED',
}

const TOTP_CODE = /^\d{6}$/;

/** Login id (14 digits) or e-mail: both identify an operator. */
export class OperatorLoginDto {
  @ApiProperty({ example: 'claire.conseil@cabinet.example', description: "The operator's 14-digit login id or e-mail", maxLength: 254 })
  @IsString()
  @Length(1, 254)
  login: string;
  @ApiProperty({ format: 'password' }) @IsString() @Length(1, 256) password: string;
  @ApiPropertyOptional({
    example: '123456',
    description:
      'A code of the authenticator app, once strong authentication is enrolled. Without it, the answer has scope totp-verification: give the code with POST /auth/totp/verify.',
  })
  @Optional()
  @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class CreateOperatorDto {
  @ApiProperty({ example: 'Camille Durand', maxLength: 200 }) @IsString() @Length(1, 200) @IsDisplayName() name: string;
  @ApiProperty({ example: 'camille.durand@cabinet.example' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;
  @ApiProperty({ enum: OperatorRole }) @IsEnum(OperatorRole) role: OperatorRole;
}

export class IssueApiKeyDto {
  @ApiProperty({ example: 'ERP integration', maxLength: 100 }) @IsString() @Length(1, 100) @IsDisplayName() label: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The operator the key acts as (default: yourself); of your organisation' })
  @Optional()
  @IsUUID()
  operatorId?: string;
  @ApiProperty({ example: '123456', description: 'A fresh code of your authenticator app (step-up)' })
  @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode: string;
}

export class StepUpDto {
  @ApiProperty({ example: '123456', description: 'A fresh code of your authenticator app (step-up)' })
  @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode: string;
}

export class OperatorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: OperatorRole }) role: OperatorRole;
  @ApiProperty({ enum: OperatorStatus }) status: OperatorStatus;
  @ApiPropertyOptional({ description: '14-digit login id (operators may also sign in with their e-mail)' }) loginId?: string;
  @ApiProperty({ description: 'Strong authentication (TOTP) is enrolled' }) totpEnrolled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OperatorPage implements Page<OperatorView> {
  @ApiProperty({ type: [OperatorView] }) items: OperatorView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class OperatorCreated {
  @ApiProperty({ type: OperatorView }) operator: OperatorView;
  @ApiProperty({ description: 'Provisional password, shown once: hand it to the operator, who must change it at the first sign-in' })
  provisionalPassword: string;
}

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid', description: 'The operator the key acts as' }) operatorId: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'The first characters of the key, to recognise it' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class ApiKeyIssued {
  @ApiProperty({ type: ApiKeyView }) key: ApiKeyView;
  @ApiProperty({ description: 'The key itself, shown once: only its hash is stored' }) apiKey: string;
}

export class ApiKeyPage implements Page<ApiKeyView> {
  @ApiProperty({ type: [ApiKeyView] }) items: ApiKeyView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class PortfolioEntry {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty() name: string;
  @ApiProperty() registrationNumber: string;
  @ApiProperty({ format: 'date-time' }) assignedAt: string;
  @ApiProperty() assignedBy: string;
}

export class PortfolioPage implements Page<PortfolioEntry> {
  @ApiProperty({ type: [PortfolioEntry] }) items: PortfolioEntry[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

// ── RPC payloads ────────────────────────────────────────────────────────────────────

export class OperatorLoginPayload extends OperatorLoginDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class AuthenticateApiKeyPayload {
  @IsString() @Length(1, 4096) apiKey: string;
}

/** Who an API key acts as: the operator it was issued to, within the key's organisation. */
export interface ApiKeyPrincipal {
  operatorId: string;
  organisationId: string;
  apiKeyId: string;
}

export class CreateOperatorPayload extends CreateOperatorDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class OperatorIdPayload {
  @IsUUID() operatorId: string;
}

export class ListOperatorsPayload extends PageQueryDto {}

export class AssignmentPayload {
  @IsUUID() operatorId: string;
  @IsUUID() companyId: string;
}

export class PortfolioPayload extends PageQueryDto {
  @IsUUID() operatorId: string;
}

export class IssueApiKeyPayload extends IssueApiKeyDto {}

export class ApiKeyIdPayload {
  @IsUUID() apiKeyId: string;
}

export class RotateApiKeyPayload extends StepUpDto {
  @IsUUID() apiKeyId: string;
}

export class ListApiKeysPayload extends PageQueryDto {}

export const OperatorCommands = {
  login: defineCommand<OperatorLoginPayload, SessionTokens>('identity', 'identity.operators.login'),
  authenticateApiKey: defineCommand<AuthenticateApiKeyPayload, ApiKeyPrincipal>('identity', 'identity.operators.authenticate-key'),
  me: defineCommand<Record<string, never>, OperatorView>('identity', 'identity.operators.me'),
  create: defineCommand<CreateOperatorPayload, OperatorCreated>('identity', 'identity.operators.create'),
  list: defineCommand<ListOperatorsPayload, Page<OperatorView>>('identity', 'identity.operators.list'),
  get: defineCommand<OperatorIdPayload, OperatorView>('identity', 'identity.operators.get'),
  suspend: defineCommand<OperatorIdPayload, OperatorView>('identity', 'identity.operators.suspend'),
  reactivate: defineCommand<OperatorIdPayload, OperatorView>('identity', 'identity.operators.reactivate'),
  remove: defineCommand<OperatorIdPayload, OperatorView>('identity', 'identity.operators.remove'),
  assign: defineCommand<AssignmentPayload, PortfolioEntry>('identity', 'identity.operators.assign'),
  unassign: defineCommand<AssignmentPayload, { unassigned: true }>('identity', 'identity.operators.unassign'),
  portfolio: defineCommand<PortfolioPayload, Page<PortfolioEntry>>('identity', 'identity.operators.portfolio'),
  issueApiKey: defineCommand<IssueApiKeyPayload, ApiKeyIssued>('identity', 'identity.operators.issue-key'),
  listApiKeys: defineCommand<ListApiKeysPayload, Page<ApiKeyView>>('identity', 'identity.operators.list-keys'),
  rotateApiKey: defineCommand<RotateApiKeyPayload, ApiKeyIssued>('identity', 'identity.operators.rotate-key'),
  revokeApiKey: defineCommand<ApiKeyIdPayload, ApiKeyView>('identity', 'identity.operators.revoke-key'),
};
