import { Injectable } from '@nestjs/common';
import { Delivery, Prisma, PrismaService, Tx } from '@procura/database';

export interface DeliveryCursor {
  accountIdentifier: string;
  type: Delivery['type'];
}

@Injectable()
export class DeliveriesRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(id: string): Promise<Delivery | null> {
    return this.prisma.delivery.findUnique({ where: { id } });
  }

  async page(companyId: string, skip: number, take: number): Promise<[Delivery[], number]> {
    const where = { companyId };
    return Promise.all([
      this.prisma.delivery.findMany({ where, orderBy: [{ accountIdentifier: 'asc' }, { type: 'asc' }], skip, take }),
      this.prisma.delivery.count({ where }),
    ]);
  }

  countActive(companyId: string): Promise<number> {
    return this.prisma.delivery.count({ where: { companyId, active: true } });
  }

  /** Keyset pages of the active deliveries (account, then type): a report never loads them all at once. */
  activePage(companyId: string, after: DeliveryCursor | undefined, take: number): Promise<Delivery[]> {
    return this.prisma.delivery.findMany({
      where: { companyId, active: true },
      orderBy: [{ accountIdentifier: 'asc' }, { type: 'asc' }],
      ...(after ? { cursor: { companyId_accountIdentifier_type: { companyId, ...after } }, skip: 1 } : {}),
      take,
    });
  }

  /** Updates when the version is still `expectedVersion`; null when someone changed it meanwhile. */
  async updateVersioned(
    tx: Tx,
    id: string,
    expectedVersion: number,
    data: Prisma.DeliveryUpdateManyMutationInput,
  ): Promise<Delivery | null> {
    const { count } = await tx.delivery.updateMany({
      where: { id, version: expectedVersion },
      data: { ...data, version: { increment: 1 } },
    });
    return count === 1 ? tx.delivery.findUnique({ where: { id } }) : null;
  }

  findInTx(tx: Tx, id: string): Promise<Delivery | null> {
    return tx.delivery.findUnique({ where: { id } });
  }

  async seed(rows: Prisma.DeliveryCreateManyInput[]): Promise<void> {
    await this.prisma.delivery.createMany({ data: rows, skipDuplicates: true });
  }
}
