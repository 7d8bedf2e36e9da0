import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  CompanySummary,
  CompanySummaryPayload,
  CompanyView,
  CreateCompanyPayload,
  GetCompanyPayload,
  IdentityCommands,
  IdentitySeams,
  ListCompaniesPayload,
  Page,
  type RpcMeta,
  UpdateCompanyPayload,
} from '@procura/contracts';
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

  /** Services read a company's name on their own behalf (e.g. a report cover); no operator scope. */
  @MessagePattern(IdentitySeams.companySummary.pattern)
  summary(@Payload() payload: CompanySummaryPayload): Promise<CompanySummary> {
    return this.companies.summary(payload.companyId);
  }
}
