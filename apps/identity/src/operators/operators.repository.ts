import { Injectable } from '@nestjs/common';
import { PrismaService } from '@procura/database';

@Injectable()
export class OperatorsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByApiKeyHash(apiKeyHash: string) {
    return this.prisma.operator.findUnique({ where: { apiKeyHash }, select: { id: true, name: true, email: true } });
  }
}
