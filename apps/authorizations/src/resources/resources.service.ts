import { Injectable } from '@nestjs/common';
import {
  Actor,
  BankingRight,
  CreateResourceDto,
  Page,
  pageWindow,
  PageQueryDto,
  ResourceView,
  UpdateResourceDto,
} from '@procura/contracts';
import { Prisma, PrismaService } from '@procura/database';
import { ConflictError, NotFoundError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { CompanyAccessService } from '../company-access/company-access.service';
import { NO_EXTENSION, StandingRulesService } from '../standing-rules/standing-rules.service';
import { ResourceRow, ResourcesRepository } from './resources.repository';

export function resourceView(r: ResourceRow): ResourceView {
  return {
    id: r.id,
    companyId: r.companyId,
    kind: r.kind,
    contractType: r.contractType,
    label: r.label,
    identifier: r.identifier,
    allowedRights: r.allowedRights as BankingRight[],
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * A company's accounts and contracts, managed by the operator of the company. Changing a
 * resource never changes existing grants (they name resources by id): what a resource
 * allows is used by templates and authorize-all, and by the rules for new grants.
 */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly resources: ResourcesRepository,
    private readonly access: CompanyAccessService,
    private readonly standingRules: StandingRulesService,
  ) {}

  /** A new account or contract; authorize-all's standing rules give it to their users in the same transaction. */
  async create(actor: Actor, companyId: string, dto: CreateResourceDto): Promise<ResourceView> {
    await this.access.assertOperator(actor, companyId, 'Company');
    try {
      const { row, extension } = await this.prisma.$transaction(async (tx) => {
        const row = await this.resources.create(
          { id: randomUUID(), companyId, ...dto, ...(dto.allowedRights ? { allowedRights: dto.allowedRights } : {}) },
          tx,
        );
        return { row, extension: await this.standingRules.extendTo(tx, actor, companyId, row) };
      });
      await this.standingRules.afterCommit(extension);
      return resourceView(row);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ConflictError('RESOURCE_EXISTS', `The company already has a resource with identifier ${dto.identifier}`);
      }
      throw error;
    }
  }

  /**
   * A contract retyped, or allowing other rights, joins the standing rules that now cover it,
   * as a contract opened then would; what its users already hold on it stays (taking rights
   * away is an administrator's change request).
   */
  async update(actor: Actor, companyId: string, resourceId: string, dto: UpdateResourceDto): Promise<ResourceView> {
    await this.access.assertOperator(actor, companyId, 'Company');
    const { row, extension } = await this.prisma.$transaction(async (tx) => {
      const row = await this.resources.update(
        companyId,
        resourceId,
        {
          ...(dto.label !== undefined ? { label: dto.label } : {}),
          ...(dto.contractType !== undefined ? { contractType: dto.contractType } : {}),
          ...(dto.allowedRights !== undefined ? { allowedRights: dto.allowedRights } : {}),
        },
        tx,
      );
      if (!row) throw new NotFoundError('Resource');
      const rulesMayCover = dto.contractType !== undefined || dto.allowedRights !== undefined;
      return { row, extension: rulesMayCover ? await this.standingRules.extendTo(tx, actor, companyId, row) : NO_EXTENSION };
    });
    await this.standingRules.afterCommit(extension);
    return resourceView(row);
  }

  async list(actor: Actor, companyId: string, query: PageQueryDto): Promise<Page<ResourceView>> {
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    const { page, pageSize, skip } = pageWindow(query);
    const { items, total } = await this.resources.page(companyId, skip, pageSize);
    return { items: items.map(resourceView), page, pageSize, total };
  }
}
