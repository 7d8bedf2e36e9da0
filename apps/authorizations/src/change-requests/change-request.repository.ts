import { Injectable } from '@nestjs/common';
import { ChangeRequestStatus } from '@procura/contracts';
import { ChangeApproval, ChangeRequest, ChangeRequestItem, Prisma, PrismaService } from '@procura/database';
import { SqlExecutor } from '@procura/messaging';

export type Tx = Prisma.TransactionClient & SqlExecutor;
export type FullChangeRequest = ChangeRequest & { items: ChangeRequestItem[]; approvals: ChangeApproval[] };

const FULL = { items: { orderBy: { position: 'asc' as const } }, approvals: { orderBy: { approvedAt: 'asc' as const } } };

export interface ListFilter {
  companyId: string;
  status?: ChangeRequestStatus;
  kind?: string;
  makerUserId?: string;
  createdBefore?: Date;
}

@Injectable()
export class ChangeRequestRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>, timeoutMs = 15_000): Promise<T> {
    return this.prisma.$transaction((tx) => fn(tx as Tx), { timeout: timeoutMs, maxWait: 10_000 });
  }

  create(tx: Tx, data: Prisma.ChangeRequestUncheckedCreateInput, items: Array<Omit<Prisma.ChangeRequestItemUncheckedCreateInput, 'changeRequestId'>>) {
    return tx.changeRequest.create({ data: { ...data, items: { create: items } }, include: FULL });
  }

  find(id: string): Promise<FullChangeRequest | null> {
    return this.prisma.changeRequest.findUnique({ where: { id }, include: FULL });
  }

  findByIdempotencyKey(makerUserId: string, idempotencyKey: string): Promise<FullChangeRequest | null> {
    return this.prisma.changeRequest.findUnique({ where: { makerUserId_idempotencyKey: { makerUserId, idempotencyKey } }, include: FULL });
  }

  /** Locks the request for the rest of the transaction: status changes are serialised. */
  async lock(tx: Tx, id: string): Promise<FullChangeRequest | null> {
    await tx.$queryRawUnsafe(`SELECT 1 FROM "authorizations"."change_requests" WHERE id = $1::uuid FOR UPDATE`, id);
    return tx.changeRequest.findUnique({ where: { id }, include: FULL });
  }

  /** Adds one approval; false when this validator already approved (each validator counts once). */
  async addApproval(tx: Tx, changeRequestId: string, validatorUserId: string): Promise<boolean> {
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO "authorizations"."change_approvals" (change_request_id, validator_user_id) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING`,
      changeRequestId,
      validatorUserId,
    );
    return inserted === 1;
  }

  update(tx: Tx, id: string, data: Prisma.ChangeRequestUncheckedUpdateInput) {
    return tx.changeRequest.update({ where: { id }, data, include: FULL });
  }

  updateItem(tx: Tx, id: string, data: Prisma.ChangeRequestItemUncheckedUpdateInput) {
    return tx.changeRequestItem.update({ where: { id }, data });
  }

  async page(filter: ListFilter, skip: number, take: number): Promise<[FullChangeRequest[], number]> {
    const where: Prisma.ChangeRequestWhereInput = {
      companyId: filter.companyId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.kind ? { items: { some: { kind: filter.kind } } } : {}),
      ...(filter.makerUserId ? { makerUserId: filter.makerUserId } : {}),
      ...(filter.createdBefore ? { createdAt: { lt: filter.createdBefore } } : {}),
    };
    return Promise.all([
      this.prisma.changeRequest.findMany({ where, include: FULL, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.changeRequest.count({ where }),
    ]);
  }

  /** Pending requests about some users (for the access-rights report). */
  pendingAbout(companyId: string, userIds: string[]) {
    return this.prisma.changeRequest.findMany({
      where: { companyId, status: 'PENDING', subjectUserIds: { hasSome: userIds } },
      select: { id: true, kind: true, summary: true, createdAt: true, subjectUserIds: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  policies(companyId: string) {
    return this.prisma.changePolicy.findMany({ where: { companyId }, orderBy: { kind: 'asc' } });
  }
}
