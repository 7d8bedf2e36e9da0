import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsDisplayName, MAX_INT, Optional } from './input-rules';
import { Page, PageQueryDto } from './pagination';
import { PRICING_OFFER_CODES } from './pricing-offers';
import { defineCommand } from './rpc';

export enum BillingMode {
  /** The client is billed directly (seed 003). */
  CLIENT = 'CLIENT',
  /** The accounting firm is billed and re-bills its client. */
  FIRM = 'FIRM',
}

/** What a company's users type to sign in (seed 003: the e-mail "sert d'identifiant unique"). */
export enum SignInIdentifier {
  LOGIN_ID = 'LOGIN_ID',
  EMAIL = 'EMAIL',
}

export class CreateCompanyDto {
  @ApiProperty({ example: 'Boulangerie Martin SARL', minLength: 2, maxLength: 200 })
  @IsString()
  @Length(2, 200)
  @IsDisplayName()
  name: string;

  @ApiProperty({ example: '552100554', description: 'SIREN (9 digits), SIRET (14 digits) or another official registration number' })
  @IsString()
  @Matches(/^[0-9A-Z][0-9A-Z-]{3,18}[0-9A-Z]$/, { message: 'registrationNumber must be 5 to 20 capital letters, digits or dashes' })
  registrationNumber: string;

  @ApiProperty({ enum: BillingMode })
  @IsEnum(BillingMode)
  billingMode: BillingMode;

  @ApiProperty({
    example: 'ESSENTIEL',
    maxLength: 100,
    description: `The company's pricing offer, which says which services its users may be granted (seed 001). One of: ${PRICING_OFFER_CODES.join(', ')}; another is refused with 422 UNKNOWN_PRICING_OFFER`,
  })
  @IsString()
  @Length(1, 100)
  pricingOffer: string;

  @ApiPropertyOptional({ default: true, description: 'Users must enrol TOTP strong authentication before using the service' })
  @Optional()
  @IsBoolean()
  requireStrongAuth?: boolean;

  @ApiPropertyOptional({
    enum: SignInIdentifier,
    default: SignInIdentifier.LOGIN_ID,
    description: "What the company's users sign in with: their 14-digit login id, or their e-mail (seed 003)",
  })
  @Optional()
  @IsEnum(SignInIdentifier)
  signInWith?: SignInIdentifier;
}

/** What an operator may change on a company they manage. */
export class UpdateCompanyDto {
  @ApiPropertyOptional({ minLength: 2, maxLength: 200 })
  @Optional()
  @IsString()
  @Length(2, 200)
  @IsDisplayName()
  name?: string;

  @ApiPropertyOptional({ enum: BillingMode })
  @Optional()
  @IsEnum(BillingMode)
  billingMode?: BillingMode;

  @ApiPropertyOptional({
    maxLength: 100,
    description: `A new pricing offer (operators of the company's organisation only; audited). One of: ${PRICING_OFFER_CODES.join(', ')}; another is refused with 422 UNKNOWN_PRICING_OFFER`,
  })
  @Optional()
  @IsString()
  @Length(1, 100)
  pricingOffer?: string;

  @ApiPropertyOptional({ description: 'Users must enrol TOTP strong authentication before using the service' })
  @Optional()
  @IsBoolean()
  requireStrongAuth?: boolean;

  @ApiPropertyOptional({ enum: SignInIdentifier, description: "What the company's users sign in with from now on" })
  @Optional()
  @IsEnum(SignInIdentifier)
  signInWith?: SignInIdentifier;
}

export class UpdateCompanyPayload {
  @IsUUID()
  companyId: string;

  @ValidateNested()
  @Type(() => UpdateCompanyDto)
  company: UpdateCompanyDto;
}

export class CompanyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() registrationNumber: string;
  @ApiProperty({ enum: BillingMode }) billingMode: BillingMode;
  @ApiProperty() pricingOffer: string;
  @ApiProperty({ format: 'uuid', description: 'The operator who registered the company' }) managedBy: string;
  @ApiProperty({ format: 'uuid', description: 'The operator organisation (bank branch, accounting firm) whose client it is' })
  organisationId: string;
  @ApiProperty() requireStrongAuth: boolean;
  @ApiProperty({ enum: SignInIdentifier, description: "What the company's users sign in with" }) signInWith: SignInIdentifier;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CompanyPage implements Page<CompanyView> {
  @ApiProperty({ type: [CompanyView] }) items: CompanyView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class CreateCompanyPayload {
  @ValidateNested()
  @Type(() => CreateCompanyDto)
  company: CreateCompanyDto;
}

export class ListCompaniesPayload extends PageQueryDto {}

export class GetCompanyPayload {
  @IsUUID()
  companyId: string;
}

export class OptionalRequestPayload {
  @Optional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export const IdentityCommands = {
  createCompany: defineCommand<CreateCompanyPayload, CompanyView>('identity', 'identity.companies.create'),
  listCompanies: defineCommand<ListCompaniesPayload, Page<CompanyView>>('identity', 'identity.companies.list'),
  getCompany: defineCommand<GetCompanyPayload, CompanyView>('identity', 'identity.companies.get'),
  updateCompany: defineCommand<UpdateCompanyPayload, CompanyView>('identity', 'identity.companies.update'),
};

// ── Seams used by other services (implemented by the identity service) ──────────────

export class VerifyStepUpPayload {
  @IsUUID() userId: string;
  @IsString() @Matches(/^\d{6}$/) code: string;
  /** What the step-up authorises, for the audit trail (e.g. "approve change request <id>"). */
  @IsString() @Length(1, 200) purpose: string;
}

/** An administrator about to approve a change request: may they, and is their fresh TOTP code right? */
export class VerifyApproverPayload extends VerifyStepUpPayload {
  @IsUUID() companyId: string;
}

export interface StepUpVerified {
  verifiedAt: string;
}

export class ValidatorEligibilityPayload {
  @IsUUID() userId: string;
  @IsUUID() companyId: string;
}

/** Whether a user may approve change requests: active administrator of the company with a valid credential. */
export interface ValidatorEligibility {
  eligible: boolean;
  reason?: string;
  adminSignature?: 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE';
}

export class UserContactsPayload {
  @IsUUID() companyId: string;
  @Optional() @IsUUID('all', { each: true }) userIds?: string[];
  /** Only active administrators (the validators to notify of a new pending request). */
  @Optional() administratorsOnly?: boolean;
}

export interface UserContact {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  language: 'fr' | 'en';
  clientType: 'ADMINISTRATOR' | 'STANDARD';
  adminSignature: 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE';
  status: string;
  /** For an administrator who could not approve a change now: why (signature NONE, no credential, no TOTP…). */
  approvalBlocker?: string;
}

export class ReportUsersPagePayload {
  @IsUUID() companyId: string;
  /** Keyset pagination: users are read in pages, never the whole company at once. */
  @Optional() @IsUUID() afterUserId?: string;
  @Optional() @IsInt() @Min(1) @Max(MAX_INT) limit?: number;
}

/** A user as the access-rights report shows it. */
export interface ReportUser {
  userId: string;
  lastName: string;
  firstName: string;
  email: string;
  clientType: string;
  adminSignature: string;
  status: string;
  credentials: Array<{
    loginIdMasked: string;
    type: 'PERMANENT' | 'TEMPORARY';
    validUntil: string | null;
    bankingPower: boolean;
    status: string;
  }>;
  /** Seed 004: the user's EDI signatures, with their validity (ACTIVE, EXPIRED or REVOKED). */
  ediSignatures?: Array<{ status: string; validFrom: string; validUntil: string }>;
}

export class CompanySummaryPayload {
  @IsUUID() companyId: string;
}

/** What a report's cover shows of a company; read by a service on its own behalf (no operator actor). */
export interface CompanySummary {
  id: string;
  name: string;
  registrationNumber: string;
  /** Code of the company's offer in PRICING_OFFERS: which services its users may be granted. */
  pricingOffer: string;
}

export const IdentitySeams = {
  companySummary: defineCommand<CompanySummaryPayload, CompanySummary>('identity', 'identity.companies.summary'),
  verifyStepUp: defineCommand<VerifyStepUpPayload, StepUpVerified>('identity', 'identity.auth.verify-step-up'),
  /**
   * Eligibility and step-up of an approver in one round trip. The code is checked even for
   * an ineligible user (refused either way); a right code is not audited here: the
   * approval's own audit entry says it was given with strong authentication.
   */
  verifyApprover: defineCommand<VerifyApproverPayload, ValidatorEligibility>('identity', 'identity.auth.verify-approver'),
  validatorEligibility: defineCommand<ValidatorEligibilityPayload, ValidatorEligibility>(
    'identity',
    'identity.users.validator-eligibility',
  ),
  userContacts: defineCommand<UserContactsPayload, UserContact[]>('identity', 'identity.users.contacts'),
  reportUsersPage: defineCommand<ReportUsersPagePayload, { users: ReportUser[]; nextAfterUserId?: string }>(
    'identity',
    'identity.reports.users-page',
  ),
};
