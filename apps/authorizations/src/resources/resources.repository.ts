import { Injectable } from '@nestjs/common';
import { Db, Prisma, PrismaService } from '@procura/database';

export type ResourceRow = Prisma.ResourceGetPayload<object>;

@Injectable()
export class ResourcesRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Prisma.ResourceUncheckedCreateInput, db: Db = this.prisma): Promise<ResourceRow> {
    return db.resource.create({ data });
  }

  async update(companyId: string, id: string, data: Prisma.ResourceUpdateInput, db: Db = this.prisma): Promise<ResourceRow | null> {
    const { count } = await db.resource.updateMany({ where: { id, companyId }, data });
    return count ? db.resource.findUnique({ where: { id } }) : null;
  }

  async page(companyId: string, skip: number, take: number): Promise<{ items: ResourceRow[]; total: number }> {
    const [items, total] = await Promise.all([
      this.prisma.resource.findMany({ where: { companyId }, orderBy: [{ kind: 'asc' }, { label: 'asc' }, { id: 'asc' }], skip, take }),
      this.prisma.resource.count({ where: { companyId } }),
    ]);
    return { items, total };
  }

  /** Every resource of a company: the rules check grants against it. */
  ofCompany(companyId: string, db: Db = this.prisma): Promise<ResourceRow[]> {
    return db.resource.findMany({ where: { companyId }, orderBy: [{ kind: 'asc' }, { label: 'asc' }, { id: 'asc' }] });
  }

  byIds(ids: string[]): Promise<ResourceRow[]> {
    return ids.length ? this.prisma.resource.findMany({ where: { id: { in: ids } } }) : Promise.resolve([]);
  }
}
