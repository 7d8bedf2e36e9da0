import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  AuthorizationsQueries,
  CreateResourceDto,
  PageQueryDto,
  ResourcePage,
  ResourceView,
  UpdateResourceDto,
} from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { CurrentActor, OperatorOnly } from '../auth/auth.guard';
import { uuidPipe } from '../http/uuid.pipe';

@ApiTags('resources')
@ApiBearerAuth()
@Controller('companies/:companyId/resources')
export class ResourcesController {
  constructor(private readonly bus: CommandBus) {}

  @Post()
  @OperatorOnly()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an account or contract of a company (operator managing it)' })
  @ApiCreatedResponse({ type: ResourceView })
  create(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() resource: CreateResourceDto,
    @CurrentActor() actor: Actor,
  ): Promise<ResourceView> {
    return this.bus.execute(AuthorizationsQueries.createResource, { companyId, resource }, { actor });
  }

  @Get()
  @ApiOperation({ summary: "The company's accounts and contracts (its administrators, or the operator managing it)" })
  @ApiOkResponse({ type: ResourcePage })
  list(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<ResourcePage> {
    return this.bus.execute(AuthorizationsQueries.listResources, { companyId, ...query }, { actor });
  }

  @Patch(':resourceId')
  @OperatorOnly()
  @ApiOperation({ summary: 'Change the label, contract type or allowed rights of a resource (operator); existing grants are unchanged' })
  @ApiOkResponse({ type: ResourceView })
  update(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Param('resourceId', uuidPipe('resourceId')) resourceId: string,
    @Body() changes: UpdateResourceDto,
    @CurrentActor() actor: Actor,
  ): Promise<ResourceView> {
    return this.bus.execute(AuthorizationsQueries.updateResource, { companyId, resourceId, changes }, { actor });
  }
}
