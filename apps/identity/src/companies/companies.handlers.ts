import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Actor, CompanyView, CreateCompanyPayload, GetCompanyPayload, IdentityCommands, ListCompaniesPayload, Page, RpcMeta, UpdateCompanyPayload } from '@procura/contracts';
import { RpcActor, RpcMetaParam } from '@procura/messaging';
import { CompaniesService } from './companies.service';

@Controller()
export class CompaniesHandlers {
  constructor(private readonly companies: CompaniesService) {}

  @MessagePattern(IdentityCommands.createCompany.pattern)
  create(@Payload() payload: CreateCompanyPayload, @RpcActor() actor: Actor, @RpcMetaParam() meta: RpcMeta): Promise<CompanyView> {
    return this.companies.create(actor, payload.company, meta.idempotencyKey);
  }

  @MessagePattern(IdentityCommands.listCompanies.pattern)
  list(@Payload() payload: ListCompaniesPayload, @RpcActor() actor: Actor): Promise<Page<CompanyView>> {
    return this.companies.list(actor, payload);
  }

  @MessagePattern(IdentityCommands.getCompany.pattern)
  get(@Payload() payload: GetCompanyPayload, @RpcActor() actor: Actor): Promise<CompanyView> {
    return this.companies.get(actor, payload.companyId);
  }

  @MessagePattern(IdentityCommands.updateCompany.pattern)
  update(@Payload() payload: UpdateCompanyPayload, @RpcActor() actor: Actor): Promise<CompanyView> {
    return this.companies.update(actor, payload.companyId, payload.company);
  }
}
