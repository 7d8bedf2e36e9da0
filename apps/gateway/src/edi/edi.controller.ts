import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CreateEdiSignatureRequestDto,
  EdiCodeSent,
  EdiSignatureView,
  EdiVerification,
  IdentityAccessCommands,
  VerifyEdiSignatureDto,
} from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { CurrentActor, SourceIp } from '../auth/auth.guard';
import { StepUp } from '../auth/step-up';
import { uuidPipe } from '../http/uuid.pipe';

@ApiTags('edi')
@ApiBearerAuth()
@Controller()
export class EdiController {
  constructor(
    private readonly bus: CommandBus,
    private readonly stepUp: StepUp,
  ) {}

  @Post('users/:userId/edi-code')
  @HttpCode(201)
  @ApiOperation({ summary: 'Request a confidential EDI code for a user: it is e-mailed to the requesting administrator (seed 004)' })
  @ApiCreatedResponse({ type: EdiCodeSent })
  requestCode(
    @Param('userId', uuidPipe('userId')) userId: string,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp?: string,
  ): Promise<EdiCodeSent> {
    return this.bus.execute(IdentityAccessCommands.requestEdiCode, { userId, sourceIp }, { actor });
  }

  @Post('users/:userId/edi-signatures')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create my EDI signature with the code, a validity of 1, 2 or 3 years and a signature password typed twice (+ TOTP step-up)',
  })
  @ApiCreatedResponse({ type: EdiSignatureView })
  async create(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() body: CreateEdiSignatureRequestDto,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp?: string,
  ): Promise<EdiSignatureView> {
    const { totpCode, ...signature } = body;
    await this.stepUp.require(actor, totpCode, 'create an EDI signature');
    return this.bus.execute(IdentityAccessCommands.createEdiSignature, { ...signature, userId, sourceIp }, { actor });
  }

  @Get('users/:userId/edi-signatures')
  @ApiOperation({ summary: "A user's EDI signatures" })
  @ApiOkResponse({ type: [EdiSignatureView] })
  list(@Param('userId', uuidPipe('userId')) userId: string, @CurrentActor() actor: Actor): Promise<EdiSignatureView[]> {
    return this.bus.execute(IdentityAccessCommands.listEdiSignatures, { userId }, { actor });
  }

  @Post('edi-signatures/:signatureId/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the signature password before sending a declaration (locks after repeated failures)' })
  @ApiOkResponse({ type: EdiVerification })
  verify(
    @Param('signatureId', uuidPipe('signatureId')) signatureId: string,
    @Body() body: VerifyEdiSignatureDto,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp?: string,
  ): Promise<EdiVerification> {
    return this.bus.execute(IdentityAccessCommands.verifyEdiSignature, { ...body, signatureId, sourceIp }, { actor });
  }

  @Delete('edi-signatures/:signatureId')
  @ApiOperation({ summary: 'Revoke an EDI signature (its owner or an administrator)' })
  @ApiOkResponse({ type: EdiSignatureView })
  revoke(
    @Param('signatureId', uuidPipe('signatureId')) signatureId: string,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp?: string,
  ): Promise<EdiSignatureView> {
    return this.bus.execute(IdentityAccessCommands.revokeEdiSignature, { signatureId, sourceIp }, { actor });
  }
}
