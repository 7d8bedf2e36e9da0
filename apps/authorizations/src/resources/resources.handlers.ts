import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  AuthorizationsQueries,
  CreateResourcePayload,
  ListResourcesPayload,
  Page,
  ResourceView,
  UpdateResourcePayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { ResourcesService } from './resources.service';

@Controller()
export class ResourcesHandlers {
  constructor(private readonly resources: ResourcesService) {}

  @MessagePattern(AuthorizationsQueries.createResource.pattern)
  create(@Payload() p: CreateResourcePayload, @RpcActor() actor: Actor): Promise<ResourceView> {
    return this.resources.create(actor, p.companyId, p.resource);
  }

  @MessagePattern(AuthorizationsQueries.updateResource.pattern)
  update(@Payload() p: UpdateResourcePayload, @RpcActor() actor: Actor): Promise<ResourceView> {
    return this.resources.update(actor, p.companyId, p.resourceId, p.changes);
  }

  @MessagePattern(AuthorizationsQueries.listResources.pattern)
  list(@Payload() p: ListResourcesPayload, @RpcActor() actor: Actor): Promise<Page<ResourceView>> {
    const { companyId, ...query } = p;
    return this.resources.list(actor, companyId, query);
  }
}
