import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsEnum, IsIn, IsInt, IsString, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsDisplayName, IsIsoDateTime, Optional } from './input-rules';
import { Page, PageQueryDto } from './pagination';
import { defineCommand } from './rpc';

// Users, credentials, sign-in, strong authentication and EDI signatures (identity service).

export enum ClientType {
  ADMINISTRATOR = 'ADMINISTRATOR',
  STANDARD = 'STANDARD',
}

export enum AdminSignature {
  NONE = 'NONE',
  INDIVIDUAL = 'INDIVIDUAL',
  COLLECTIVE = 'COLLECTIVE',
}

export enum UserStatus {
  REGISTERED = 'REGISTERED',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DELETED = 'DELETED',
}

export enum ActivationMode {
  IMMEDIATE = 'IMMEDIATE',
  DEFERRED = 'DEFERRED',
}

export enum CredentialType {
  PERMANENT = 'PERMANENT',
  TEMPORARY = 'TEMPORARY',
}

/** 14 digits; the 14th is the Luhn check digit of the first 13 (checked by the service before any lookup). */
export const LOGIN_ID_PATTERN = /^\d{14}$/;
const E164 = /^\+[1-9]\d{7,14}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TOTP_CODE = /^\d{6}$/;

// ── Users ───────────────────────────────────────────────────────────────────────────

export class CreateUserDto {
  @ApiProperty({ example: 'Leroy', maxLength: 100 }) @IsString() @Length(1, 100) @IsDisplayName() lastName: string;
  @ApiProperty({ example: 'Julie', maxLength: 100 }) @IsString() @Length(1, 100) @IsDisplayName() firstName: string;
  @ApiProperty({ example: '1990-01-22', format: 'date' })
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  birthDate: string;
  @ApiProperty({ example: 'julie.leroy@example.com', description: 'Personal (nominative) e-mail, unique on the platform' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;
  @ApiPropertyOptional({ example: '+33612345678', description: 'E.164; needed to receive the provisional password by SMS' })
  @Optional()
  @Matches(E164, { message: 'phone must be an E.164 number such as +33612345678' })
  phone?: string;
  @ApiProperty({ enum: ClientType }) @IsEnum(ClientType) clientType: ClientType;
  @ApiPropertyOptional({ enum: AdminSignature, default: AdminSignature.NONE })
  @Optional()
  @IsEnum(AdminSignature)
  adminSignature?: AdminSignature;
  @ApiPropertyOptional({
    enum: ActivationMode,
    default: ActivationMode.IMMEDIATE,
    description: 'DEFERRED: the user is activated later by an administrator',
  })
  @Optional()
  @IsEnum(ActivationMode)
  activationMode?: ActivationMode;
  @ApiPropertyOptional({ enum: ['fr', 'en'], default: 'fr' }) @Optional() @IsIn(['fr', 'en']) language?: 'fr' | 'en';
}

export class UpdateUserDto {
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 100) @IsDisplayName() lastName?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 100) @IsDisplayName() firstName?: string;
  @ApiPropertyOptional({ format: 'date' })
  @Optional()
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  birthDate?: string;
  @ApiPropertyOptional() @Optional() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(254) email?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes the phone number' })
  @Optional({ nullable: true })
  @Matches(E164, { message: 'phone must be an E.164 number such as +33612345678' })
  phone?: string | null;
  @ApiPropertyOptional({ enum: ClientType }) @Optional() @IsEnum(ClientType) clientType?: ClientType;
  @ApiPropertyOptional({ enum: ['fr', 'en'] }) @Optional() @IsIn(['fr', 'en']) language?: 'fr' | 'en';
}

export class AdminSignatureDto {
  @ApiProperty({ enum: AdminSignature }) @IsEnum(AdminSignature) adminSignature: AdminSignature;
}

export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty() lastName: string;
  @ApiProperty() firstName: string;
  @ApiProperty({ format: 'date' }) birthDate: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ enum: ClientType }) clientType: ClientType;
  @ApiProperty({ enum: AdminSignature }) adminSignature: AdminSignature;
  @ApiProperty({ enum: UserStatus }) status: UserStatus;
  @ApiProperty({ enum: ActivationMode }) activationMode: ActivationMode;
  @ApiProperty({ enum: ['fr', 'en'] }) language: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UserPage implements Page<UserView> {
  @ApiProperty({ type: [UserView] }) items: UserView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: UserStatus }) @Optional() @IsEnum(UserStatus) status?: UserStatus;
  @ApiPropertyOptional({ enum: ClientType }) @Optional() @IsEnum(ClientType) clientType?: ClientType;
  @ApiPropertyOptional({ description: 'Part of the last name, first name or e-mail (any case)', maxLength: 100 })
  @Optional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

// ── Credentials ─────────────────────────────────────────────────────────────────────

export class CreateCredentialDto {
  @ApiProperty({ enum: CredentialType }) @IsEnum(CredentialType) type: CredentialType;
  @ApiPropertyOptional({ format: 'date-time', description: 'Required for a TEMPORARY credential: login is refused after it' })
  @Optional()
  @IsIsoDateTime({ message: 'validUntil must be an ISO 8601 date-time' })
  validUntil?: string;
  @ApiProperty({ description: 'Banking power (pouvoir bancaire); refused when the user only has e-invoicing rights' })
  @IsBoolean()
  bankingPower: boolean;
  @ApiPropertyOptional({
    description:
      'Seed 003, "Envoyer un email" (true when left out): send the welcome e-mail with the login id now (false: send it later with POST /users/{userId}/welcome-email). For a user activated later, it goes at the activation.',
  })
  @Optional()
  @IsBoolean()
  sendWelcomeEmail?: boolean;
}

export class CreateCredentialRequestDto extends CreateCredentialDto {
  @ApiPropertyOptional({ example: '123456', description: "The administrator's fresh TOTP code (step-up); operators send none" })
  @Optional()
  @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class ResetCredentialDto {
  @ApiPropertyOptional({ description: 'Also remove the enrolled TOTP (lost phone): the user enrols again' })
  @Optional()
  @IsBoolean()
  resetTotp?: boolean;
}

export class CredentialView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: '40512345678903', description: '14 digits, the last one a check digit' }) loginId: string;
  @ApiProperty({ enum: CredentialType }) type: CredentialType;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' }) validUntil: string | null;
  @ApiProperty() bankingPower: boolean;
  @ApiProperty({ enum: ['ACTIVE', 'REVOKED', 'EXPIRED'] }) status: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  @ApiProperty() locked: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' }) lockedUntil: string | null;
  @ApiProperty({ description: 'The provisional password has not been changed yet' }) passwordChangeRequired: boolean;
  @ApiProperty() totpEnrolled: boolean;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** Result of a credential creation or reset: how the provisional password reaches the user. */
export class CredentialIssued {
  @ApiProperty({ type: CredentialView }) credential: CredentialView;
  @ApiProperty({ enum: ['SMS', 'SHOWN_ONCE'] }) provisionalPasswordDelivery: 'SMS' | 'SHOWN_ONCE';
  @ApiProperty({ format: 'date-time' }) provisionalPasswordExpiresAt: string;
}

// ── Sign-in ─────────────────────────────────────────────────────────────────────────

/** Exactly one of `login` and `loginId` (the field clients used before e-mail sign-in). */
export class LoginDto {
  @ApiPropertyOptional({
    example: 'jeanne.martin@example.com',
    maxLength: 254,
    description:
      "What the company's users sign in with: the 14-digit login id, or the e-mail where the company says so (seed 003). Give this or loginId.",
  })
  @ValidateIf((o: LoginDto) => o.loginId === undefined || o.login !== undefined)
  @IsString()
  @Length(1, 254)
  login?: string;

  @ApiPropertyOptional({ example: '40512345678903', description: 'The 14-digit login id (or give login)' })
  @ValidateIf((o: LoginDto) => o.login === undefined || o.loginId !== undefined)
  @Matches(LOGIN_ID_PATTERN, { message: 'loginId must be 14 digits' })
  loginId?: string;

  @ApiProperty({ format: 'password' }) @IsString() @Length(1, 256) password: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @Length(20, 200) refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', description: 'The current (or provisional) password' })
  @IsString()
  @Length(1, 256)
  currentPassword: string;
  @ApiProperty({ format: 'password', minLength: 12 }) @IsString() @Length(1, 256) newPassword: string;
  @ApiProperty({ format: 'password', description: 'newPassword again' }) @IsString() @Length(1, 256) newPasswordConfirmation: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' }) @Matches(TOTP_CODE, { message: 'code must be 6 digits' }) code: string;
}

export type SessionScope = 'full' | 'password-change' | 'totp-enrolment' | 'totp-verification';
const SESSION_SCOPES: SessionScope[] = ['full', 'password-change', 'totp-enrolment', 'totp-verification'];

export class SessionTokens {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access-token lifetime in seconds' }) expiresIn: number;
  @ApiProperty({
    enum: SESSION_SCOPES,
    description:
      'full: everything the person may do; password-change: only POST /auth/password; totp-enrolment: only the TOTP enrolment; totp-verification: only POST /auth/totp/verify (the credential has TOTP enrolled: the code follows the password)',
  })
  scope: SessionScope;
  @ApiProperty({ description: 'Signed in with a provisional password: only the password change is allowed' })
  passwordChangeRequired: boolean;
  @ApiProperty({ description: 'The company requires strong authentication and none is enrolled yet' }) totpEnrolmentRequired: boolean;
  @ApiProperty({ description: 'TOTP is enrolled: give the current code (POST /auth/totp/verify) to finish signing in' })
  totpCodeRequired: boolean;
  @ApiProperty({
    format: 'date-time',
    description: 'When the session ends whatever the refreshes (sign in again after it); lets a page warn before it happens',
  })
  sessionExpiresAt: string;
}

/** The session's access token after a step-up: it carries the strong authentication until `stepUpUntil`. */
export class StepUpTokens {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access-token lifetime in seconds' }) expiresIn: number;
  @ApiProperty({ description: 'Until when the strong authentication counts for changes that ask for it' }) stepUpUntil: string;
}

export class TotpEnrolment {
  @ApiProperty({ example: 'otpauth://totp/Procura:40512345678903?secret=…&issuer=Procura' }) otpauthUri: string;
  @ApiProperty({ description: 'The same secret, for manual entry in the authenticator app (shown only here)' }) secret: string;
}

// ── EDI signatures (seed 004) ───────────────────────────────────────────────────────

export class CreateEdiSignatureDto {
  @ApiProperty({ description: 'Confidential EDI code e-mailed to the administrator' })
  @IsString()
  @Matches(/^[A-Z0-9]{10}$/, { message: 'code must be 10 letters or digits' })
  code: string;
  @ApiProperty({ enum: [1, 2, 3] })
  @Type(() => Number)
  @IsInt()
  @IsIn([1, 2, 3], { message: 'validityYears must be 1, 2 or 3' })
  validityYears: 1 | 2 | 3;
  @ApiProperty({ format: 'password', minLength: 12 }) @IsString() @Length(1, 256) password: string;
  @ApiProperty({ format: 'password' }) @IsString() @Length(1, 256) passwordConfirmation: string;
}

export class CreateEdiSignatureRequestDto extends CreateEdiSignatureDto {
  @ApiProperty({ example: '123456', description: 'Fresh TOTP code (step-up)' })
  @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode: string;
}

export class VerifyEdiSignatureDto {
  @ApiProperty({ format: 'password' }) @IsString() @Length(1, 256) password: string;
}

/**
 * Seed 004: a signature is "pour chaque personne en charge d'effectuer les envois", so it
 * belongs to this right: created and verified only by its holder, suspended while it is gone.
 */
export const EDI_SENDING_RIGHT = { service: 'EDI', right: 'SEND_DECLARATIONS', level: 'ACCESS' } as const;

export type EdiSignatureStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

/**
 * A signature's status at `now`: revoked and expired as stored, SUSPENDED while its owner
 * does not hold the EDI sending right (read from the current rights at every question,
 * like banking power, so it follows every path that takes the right away and gives it back).
 */
export function ediSignatureStatus(
  signature: { status: string; validUntil: Date },
  now: Date,
  holdsSendingRight: boolean,
): EdiSignatureStatus {
  if (signature.status === 'REVOKED') return 'REVOKED';
  if (signature.validUntil.getTime() <= now.getTime()) return 'EXPIRED';
  return holdsSendingRight ? 'ACTIVE' : 'SUSPENDED';
}

export class EdiSignatureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({
    enum: ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'],
    description: 'SUSPENDED while the user does not hold the EDI sending right (EDI / SEND_DECLARATIONS, seed 004)',
  })
  status: EdiSignatureStatus;
  @ApiProperty({ format: 'date-time' }) validFrom: string;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty() locked: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EdiCodeSent {
  @ApiProperty({ format: 'uuid' }) codeId: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: "The administrator's e-mail, masked" }) sentTo: string;
}

export class EdiVerification {
  @ApiProperty() valid: true;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
}

export class WelcomeEmailSent {
  @ApiProperty({ description: "The user's e-mail, masked" }) sentTo: string;
}

// ── RPC payloads (the gateway adds ids and the caller's IP) ─────────────────────────

class WithSourceIp {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class ListUsersPayload extends ListUsersQueryDto {
  @IsUUID() companyId: string;
}

export class UserIdPayload extends WithSourceIp {
  @IsUUID() userId: string;
}

export class CredentialIdPayload extends WithSourceIp {
  @IsUUID() credentialId: string;
}

export class LoginPayload extends LoginDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class RefreshPayload extends RefreshDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class ChangePasswordPayload extends ChangePasswordDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class ConfirmTotpPayload extends TotpCodeDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class SessionPayload extends WithSourceIp {}

// ── One person, several companies (seed 003 "accès aux dossiers") ────────────────────

export class SwitchCompanyDto {
  @ApiProperty({ format: 'uuid', description: 'A company the signed-in person is a user of (GET /auth/companies)' })
  @IsUUID()
  companyId: string;
  @ApiPropertyOptional({
    example: '123456',
    description:
      "The current code of the TOTP enrolled on the person's credential in that company: needed when it is enrolled and " +
      'this session was opened without a TOTP code; each code is accepted once',
  })
  @Optional()
  @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class SwitchCompanyPayload extends SwitchCompanyDto {
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

/** One company the signed-in person is a user of: their membership there. */
export class CompanyMembershipView {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty() companyName: string;
  @ApiProperty({ format: 'uuid', description: 'The person as a user of this company (its own rights, credential and status)' })
  userId: string;
  @ApiProperty({ enum: ClientType }) clientType: ClientType;
  @ApiProperty({ description: 'The company this session acts in' }) current: boolean;
}

export class CreateEdiSignaturePayload extends CreateEdiSignatureDto {
  @IsUUID() userId: string;
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class VerifyEdiSignaturePayload extends VerifyEdiSignatureDto {
  @IsUUID() signatureId: string;
  @Optional() @IsString() @MaxLength(100) sourceIp?: string;
}

export class EdiSignatureIdPayload extends WithSourceIp {
  @IsUUID() signatureId: string;
}

export const IdentityAccessCommands = {
  listUsers: defineCommand<ListUsersPayload, Page<UserView>>('identity', 'identity.users.list'),
  getUser: defineCommand<UserIdPayload, UserView>('identity', 'identity.users.get'),
  listCredentials: defineCommand<UserIdPayload, CredentialView[]>('identity', 'identity.credentials.list'),
  resendWelcomeEmail: defineCommand<UserIdPayload, WelcomeEmailSent>('identity', 'identity.credentials.resend-welcome'),
  unlockCredential: defineCommand<CredentialIdPayload, CredentialView>('identity', 'identity.credentials.unlock'),
  login: defineCommand<LoginPayload, SessionTokens>('identity', 'identity.auth.login'),
  refresh: defineCommand<RefreshPayload, SessionTokens>('identity', 'identity.auth.refresh'),
  logout: defineCommand<SessionPayload, { loggedOut: true }>('identity', 'identity.auth.logout'),
  changePassword: defineCommand<ChangePasswordPayload, SessionTokens>('identity', 'identity.auth.change-password'),
  enrolTotp: defineCommand<SessionPayload, TotpEnrolment>('identity', 'identity.auth.totp-enrol'),
  confirmTotp: defineCommand<ConfirmTotpPayload, SessionTokens>('identity', 'identity.auth.totp-confirm'),
  /** The second step of signing in with TOTP enrolled: the session's credential's current code. */
  verifyTotp: defineCommand<ConfirmTotpPayload, SessionTokens>('identity', 'identity.auth.totp-verify'),
  stepUp: defineCommand<ConfirmTotpPayload, StepUpTokens>('identity', 'identity.auth.step-up'),
  /** The companies the signed-in person is a user of. */
  listCompanies: defineCommand<SessionPayload, CompanyMembershipView[]>('identity', 'identity.auth.companies'),
  /** A new session in another of the person's companies; the current one ends. */
  switchCompany: defineCommand<SwitchCompanyPayload, SessionTokens>('identity', 'identity.auth.switch-company'),
  requestEdiCode: defineCommand<UserIdPayload, EdiCodeSent>('identity', 'identity.edi.request-code'),
  createEdiSignature: defineCommand<CreateEdiSignaturePayload, EdiSignatureView>('identity', 'identity.edi.create-signature'),
  listEdiSignatures: defineCommand<UserIdPayload, EdiSignatureView[]>('identity', 'identity.edi.list-signatures'),
  verifyEdiSignature: defineCommand<VerifyEdiSignaturePayload, EdiVerification>('identity', 'identity.edi.verify-signature'),
  revokeEdiSignature: defineCommand<EdiSignatureIdPayload, EdiSignatureView>('identity', 'identity.edi.revoke-signature'),
};

// ── Change payloads (ChangeKind → payload, validated by the identity change handlers) ─

export class UserCreateChange extends CreateUserDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'true: the e-mail names a person who is already a user of another company (seed 003 "accès aux dossiers"); ' +
      'the names and birth date must be theirs. The person gets a membership of this company with its own rights, ' +
      'credential and status, and switches to it after signing in (POST /auth/switch-company).',
  })
  @Optional()
  @IsBoolean()
  existingPerson?: boolean;
}

export class UserUpdateChange extends UpdateUserDto {
  @IsUUID() userId: string;
}

export class UserTargetChange {
  @IsUUID() userId: string;
}

export class AdminSignatureChange extends AdminSignatureDto {
  @IsUUID() userId: string;
}

export class CredentialCreateChange extends CreateCredentialDto {
  @IsUUID() userId: string;
}

export class CredentialRevokeChange {
  @IsUUID() credentialId: string;
}

export class CredentialResetChange extends ResetCredentialDto {
  @IsUUID() credentialId: string;
}
