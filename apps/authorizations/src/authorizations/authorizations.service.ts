import { Injectable } from '@nestjs/common';
import { Actor, AuthorizationView, Page, pageWindow, PageQueryDto } from '@procura/contracts';
import { NotFoundError } from '@procura/errors';
import { CompanyAccessService } from '../company-access/company-access.service';
import { AuthorizationsRepository, FullAuthorization, standingProfilesOf } from './authorizations.repository';

export function authorizationView(a: FullAuthorization): AuthorizationView {
  return {
    id: a.id,
    companyId: a.companyId,
    label: a.label,
    service: a.serviceCode,
    effectiveFrom: a.effectiveFrom.toISOString(),
    endsAt: a.endsAt?.toISOString() ?? null,
    version: a.version,
    grants: a.grants.map((g) => ({ right: g.rightCode, level: g.levelCode, resourceIds: g.resourceIds })),
    userIds: a.users.map((u) => u.userId),
    standingProfiles: standingProfilesOf(a),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** Reading authorizations (changes go through AuthorizationsChangeKinds). */
@Injectable()
export class AuthorizationsService {
  constructor(
    private readonly repo: AuthorizationsRepository,
    private readonly access: CompanyAccessService,
  ) {}

  async list(actor: Actor, companyId: string, userId: string | undefined, query: PageQueryDto): Promise<Page<AuthorizationView>> {
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    const { page, pageSize, skip } = pageWindow(query);
    const { items, total } = await this.repo.page(companyId, userId, skip, pageSize);
    return { items: items.map(authorizationView), page, pageSize, total };
  }

  async get(actor: Actor, id: string): Promise<AuthorizationView> {
    const found = await this.repo.find(id);
    if (!found) throw new NotFoundError('Authorization');
    await this.access.assert(actor, found.companyId, 'administrator', 'Authorization');
    return authorizationView(found);
  }
}
