import { Injectable } from '@nestjs/common';
import { Document, PrismaService } from '@procura/database';

@Injectable()
export class DocumentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(id: string): Promise<Document | null> {
    return this.prisma.document.findUnique({ where: { id } });
  }

  async page(companyId: string, skip: number, take: number): Promise<[Document[], number]> {
    const where = { companyId };
    return Promise.all([
      this.prisma.document.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.document.count({ where }),
    ]);
  }

  expired(now: Date, take: number): Promise<Document[]> {
    return this.prisma.document.findMany({ where: { expiresAt: { lte: now } }, orderBy: { expiresAt: 'asc' }, take });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.document.deleteMany({ where: { id } });
  }
}
