import { Injectable } from '@nestjs/common';
import { Company, Prisma, PrismaService, Tx } from '@procura/database';

@Injectable()
export class CompaniesRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tx: Tx, data: Prisma.CompanyUncheckedCreateInput): Promise<Company> {
    return tx.company.create({ data });
  }

  update(tx: Tx, id: string, data: Prisma.CompanyUncheckedUpdateInput): Promise<Company> {
    return tx.company.update({ where: { id }, data });
  }

  findManagedByRegistrationNumber(operatorId: string, registrationNumber: string): Promise<Company | null> {
    return this.prisma.company.findUnique({ where: { managedBy_registrationNumber: { managedBy: operatorId, registrationNumber } } });
  }

  findById(companyId: string): Promise<Company | null> {
    return this.prisma.company.findUnique({ where: { id: companyId } });
  }

  findManagedBy(operatorId: string, companyId: string): Promise<Company | null> {
    return this.prisma.company.findFirst({ where: { id: companyId, managedBy: operatorId } });
  }

  async pageManagedBy(operatorId: string, skip: number, take: number): Promise<[Company[], number]> {
    const where = { managedBy: operatorId };
    return Promise.all([
      this.prisma.company.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.company.count({ where }),
    ]);
  }
}
