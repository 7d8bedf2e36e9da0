import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CheckAnswer, CheckBatchAnswer, CheckBatchDto, CheckQuestionDto } from '@procura/contracts';
import { CurrentActor } from '../auth/auth.guard';
import { RightsChecker } from './rights-checker';

@ApiTags('check')
@ApiBearerAuth()
@Controller('check')
export class CheckController {
  constructor(private readonly rights: RightsChecker) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'May this user use this right at this level (on this resource) at this instant?',
    description: 'Any signed-in user of the same company, or the operator managing it. Denials name the reason.',
  })
  @ApiOkResponse({ type: CheckAnswer })
  check(@Body() question: CheckQuestionDto, @CurrentActor() actor: Actor): Promise<CheckAnswer> {
    return this.rights.check(actor, question);
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Up to 100 checks in one call, answered in order' })
  @ApiOkResponse({ type: CheckBatchAnswer })
  async batch(@Body() batch: CheckBatchDto, @CurrentActor() actor: Actor): Promise<CheckBatchAnswer> {
    return { answers: await this.rights.checkBatch(actor, batch.questions) };
  }
}
