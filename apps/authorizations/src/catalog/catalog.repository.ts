import { Injectable } from '@nestjs/common';
import { PrismaService } from '@procura/database';

@Injectable()
export class CatalogRepository {
  constructor(private readonly prisma: PrismaService) {}

  services() {
    return this.prisma.catalogService.findMany({
      orderBy: { position: 'asc' },
      include: { rights: { orderBy: { position: 'asc' } }, levels: { orderBy: { rank: 'asc' } } },
    });
  }
}
