import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  ChangePasswordDto,
  CompanyMembershipView,
  IdentityAccessCommands,
  LoginDto,
  RefreshDto,
  SessionTokens,
  StepUpTokens,
  SwitchCompanyDto,
  TotpCodeDto,
  TotpEnrolment,
  UserView,
} from '@procura/contracts';
import { UnauthenticatedError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { AllowScopes, CurrentActor, Public, SourceIp } from './auth.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly bus: CommandBus) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with the 14-digit login id or, where the company says so, the e-mail, and the password',
    description:
      "`login` is what the company's users sign in with (company setting signInWith: LOGIN_ID or EMAIL; seed 003); `loginId` is still accepted. A failure never says whether the identifier or the password was wrong, nor whether the person exists: an unknown e-mail costs the same work and gets the same answer. When the credential has TOTP enrolled, the answer has scope totp-verification: give the code with POST /auth/totp/verify.",
  })
  @ApiOkResponse({ type: SessionTokens })
  login(@Body() body: LoginDto, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    // Attempts per client address are limited before this runs (see http-pipeline).
    return this.bus.execute(IdentityAccessCommands.login, { ...body, sourceIp });
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'New access token for a refresh token (each refresh token works once)' })
  @ApiOkResponse({ type: SessionTokens })
  refresh(@Body() body: RefreshDto, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    return this.bus.execute(IdentityAccessCommands.refresh, { ...body, sourceIp });
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowScopes('password-change', 'totp-enrolment', 'totp-verification')
  @ApiOperation({ summary: 'End the session: its access and refresh tokens stop working at once' })
  logout(@CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<{ loggedOut: true }> {
    return this.bus.execute(IdentityAccessCommands.logout, { sourceIp }, { actor });
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowScopes('password-change')
  @ApiOperation({
    summary: 'Change the password (first login: the provisional one)',
    description: 'Policy: at least 12 characters, not the login id nor your names, not one of your last 5 passwords, typed twice.',
  })
  @ApiOkResponse({ type: SessionTokens, description: 'A new session; the previous ones are ended' })
  changePassword(@Body() body: ChangePasswordDto, @CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    return this.bus.execute(IdentityAccessCommands.changePassword, { ...body, sourceIp }, { actor });
  }

  @Post('totp/enrol')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowScopes('totp-enrolment')
  @ApiOperation({ summary: 'Start TOTP enrolment: returns the otpauth:// URI to scan' })
  @ApiOkResponse({ type: TotpEnrolment })
  enrol(@CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<TotpEnrolment> {
    return this.bus.execute(IdentityAccessCommands.enrolTotp, { sourceIp }, { actor });
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowScopes('totp-enrolment')
  @ApiOperation({ summary: 'Finish TOTP enrolment with a first code' })
  @ApiOkResponse({ type: SessionTokens, description: 'A new session with full access' })
  confirm(@Body() body: TotpCodeDto, @CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    return this.bus.execute(IdentityAccessCommands.confirmTotp, { ...body, sourceIp }, { actor });
  }

  @Post('totp/verify')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowScopes('totp-verification')
  @ApiOperation({
    summary: 'Finish signing in with the code of the authenticator app (TOTP enrolled)',
    description:
      'After POST /auth/login answered scope totp-verification. A wrong code counts towards the lock-out like a wrong password; each code is accepted once.',
  })
  @ApiOkResponse({ type: SessionTokens, description: 'A new session with full access; the password-only one is ended' })
  verifyTotp(@Body() body: TotpCodeDto, @CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    return this.bus.execute(IdentityAccessCommands.verifyTotp, { ...body, sourceIp }, { actor });
  }

  @Post('step-up')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Strong authentication of the session (seed 001: validate the operation with Sécur'Pass)",
    description:
      'A fresh TOTP code: the access token returned carries the strong authentication until `stepUpUntil`, so the changes the ' +
      "company's policy asks it for (by default rights changes and user creation) can be submitted with it. Each code is good once.",
  })
  @ApiOkResponse({ type: StepUpTokens })
  stepUp(@Body() body: TotpCodeDto, @CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<StepUpTokens> {
    return this.bus.execute(IdentityAccessCommands.stepUp, { ...body, sourceIp }, { actor });
  }

  @Get('companies')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The companies the signed-in person is a user of (seed 003: "accès aux dossiers")',
    description:
      'One person may be a user of several companies, with separate rights, credential and status in each. `current` marks the ' +
      'company this session acts in (after sign-in: the company of the credential signed in with; with an e-mail, the ' +
      'company that registered the person first).',
  })
  @ApiOkResponse({ type: CompanyMembershipView, isArray: true })
  companies(@CurrentActor() actor: Actor): Promise<CompanyMembershipView[]> {
    return this.bus.execute(IdentityAccessCommands.listCompanies, {}, { actor });
  }

  @Post('switch-company')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Act in another of the person's companies without signing in again",
    description:
      'Opens a session as the user of that company and ends this one: the tokens returned name that company (`cid`) and ' +
      "that membership (`sub`), so every check and audit entry is that company's. Refused (403) when the membership's " +
      'credential is revoked, expired or locked; its TOTP code (`totpCode`) is asked for (422) when it has TOTP enrolled ' +
      'and this session was opened without a code. The scope follows that credential and company (a provisional password ' +
      'to change, TOTP to enrol) as its own sign-in would. A company the person is not a user of is 404.',
  })
  @ApiOkResponse({ type: SessionTokens, description: 'A session in the chosen company; the previous one is ended' })
  switchCompany(@Body() body: SwitchCompanyDto, @CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    return this.bus.execute(IdentityAccessCommands.switchCompany, { ...body, sourceIp }, { actor });
  }

  @Get('me')
  @ApiBearerAuth()
  @AllowScopes('password-change', 'totp-enrolment')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserView })
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    if (actor.kind !== 'user') throw new UnauthenticatedError('Sign in as a user');
    return this.bus.execute(IdentityAccessCommands.getUser, { userId: actor.userId }, { actor });
  }
}
