import { Injectable } from '@nestjs/common';
import { Document, Prisma, PrismaService, Report, Tx } from '@procura/database';

export type ReportWithDocument = Report & { document: Document | null };

@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tx: Tx, data: Prisma.ReportUncheckedCreateInput): Promise<ReportWithDocument> {
    return tx.report.create({ data, include: { document: true } });
  }

  find(id: string): Promise<ReportWithDocument | null> {
    return this.prisma.report.findUnique({ where: { id }, include: { document: true } });
  }

  findOpen(openKey: string): Promise<ReportWithDocument | null> {
    return this.prisma.report.findUnique({ where: { openKey }, include: { document: true } });
  }

  /** QUEUED or RUNNING (a retry after a crash) → RUNNING; false when the report is already finished. */
  async start(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.report.updateMany({
      where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status: 'RUNNING', startedAt: now, progress: 0, attempts: { increment: 1 } },
    });
    return count === 1;
  }

  async progress(id: string, progress: number): Promise<void> {
    await this.prisma.report.updateMany({ where: { id, status: 'RUNNING' }, data: { progress } });
  }

  /** The document and the READY state in one transaction; a repeated call (retried job) replaces the document row. */
  async complete(tx: Tx, id: string, document: Prisma.DocumentUncheckedCreateInput, now: Date): Promise<boolean> {
    const { count } = await tx.report.updateMany({
      where: { id, status: 'RUNNING' },
      data: { status: 'READY', progress: 100, completedAt: now, openKey: null, failureReason: null },
    });
    if (count === 0) return false;
    await tx.document.deleteMany({ where: { reportId: id } });
    await tx.document.create({ data: document });
    return true;
  }

  async fail(id: string, reason: string, now: Date): Promise<void> {
    await this.prisma.report.updateMany({
      where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status: 'FAILED', failureReason: reason.slice(0, 1000), completedAt: now, openKey: null },
    });
  }
}
