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

  findByRegistrationNumber(organisationId: string, registrationNumber: string): Promise<Company | null> {
    return this.prisma.company.findUnique({ where: { organisationId_registrationNumber: { organisationId, registrationNumber } } });
  }

  findById(companyId: string): Promise<Company | null> {
    return this.prisma.company.findUnique({ where: { id: companyId } });
  }
}
