import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CompanyPage,
  CompanyView,
  CreateCompanyDto,
  IdentityCommands,
  PageQueryDto,
  UpdateCompanyDto,
} from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { CurrentActor, OperatorOnly } from '../auth/auth.guard';
import { IdempotencyKey } from '../http/idempotency-key';
import { uuidPipe } from '../http/uuid.pipe';

@ApiTags('companies')
@ApiBearerAuth()
@Controller('companies')
export class CompaniesController {
  constructor(private readonly bus: CommandBus) {}

  @Post()
  @OperatorOnly()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a client company (operator)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key returns the first result' })
  @ApiCreatedResponse({ type: CompanyView })
  create(@Body() company: CreateCompanyDto, @CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey?: string): Promise<CompanyView> {
    return this.bus.execute(IdentityCommands.createCompany, { company }, { actor, idempotencyKey });
  }

  @Get()
  @OperatorOnly()
  @ApiOperation({ summary: 'List the companies the operator manages, newest first' })
  @ApiOkResponse({ type: CompanyPage })
  list(@Query() query: PageQueryDto, @CurrentActor() actor: Actor): Promise<CompanyPage> {
    return this.bus.execute(IdentityCommands.listCompanies, query, { actor });
  }

  @Get(':companyId')
  @ApiOperation({ summary: "One company: one the operator manages, or the administrator's own" })
  @ApiOkResponse({ type: CompanyView })
  get(@Param('companyId', uuidPipe('companyId')) companyId: string, @CurrentActor() actor: Actor): Promise<CompanyView> {
    return this.bus.execute(IdentityCommands.getCompany, { companyId }, { actor });
  }

  @Patch(':companyId')
  @OperatorOnly()
  @ApiOperation({
    summary: 'Edit a company the operator manages (e.g. whether strong authentication is required, or its pricing offer)',
  })
  @ApiOkResponse({ type: CompanyView })
  update(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() company: UpdateCompanyDto,
    @CurrentActor() actor: Actor,
  ): Promise<CompanyView> {
    return this.bus.execute(IdentityCommands.updateCompany, { companyId, company }, { actor });
  }
}
