import { Injectable, Logger } from '@nestjs/common';
import { Actor, describeActor, DocumentDownload, JOBS, OrderReportDto, OrderReportResult, ReportView } from '@procura/contracts';
import { Prisma, Transactions } from '@procura/database';
import { ConflictError, DomainError, NotFoundError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { ReportAccessPolicy } from '../access/report-access.policy';
import { DocumentStorage } from '../documents/document-storage';
import { DownloadTickets } from '../documents/download-ticket';
import { Clock } from '../shared/clock';
import { ReportingEvents, ReportingOutboxRelay } from '../shared/reporting-events';
import { toReportView } from './report-views';
import { ReportsRepository } from './reports.repository';

/** The job id of a report's build: one build job per order, whatever retries the outbox relay makes. */
export const buildJobId = (reportId: string) => `build-report-${reportId}`;

/** Orders and reads of reports. The build itself is ReportBuilder's, in the worker. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly reports: ReportsRepository,
    private readonly access: ReportAccessPolicy,
    private readonly events: ReportingEvents,
    private readonly relay: ReportingOutboxRelay,
    private readonly storage: DocumentStorage,
    private readonly tickets: DownloadTickets,
    private readonly clock: Clock,
  ) {}

  /** A new order, or the one of the same type still queued or running (`created: false`). */
  async order(actor: Actor, companyId: string, input: OrderReportDto): Promise<OrderReportResult> {
    await this.access.assertAllowed(actor, companyId, 'Company');
    const openKey = `${companyId}:${input.type}`;
    const open = await this.reports.findOpen(openKey);
    if (open) return { created: false, report: toReportView(open) };
    const id = randomUUID();
    try {
      const report = await this.transactions.run(async (tx) => {
        const created = await this.reports.create(tx, {
          id,
          companyId,
          type: input.type,
          language: input.language ?? 'fr',
          orderedBy: describeActor(actor) ?? 'unknown',
          orderedByUserId: actor.kind === 'user' ? actor.userId : null,
          openKey,
        });
        await this.events.job(tx, JOBS.buildReport, buildJobId(id), { reportId: id });
        await this.events.audit(tx, {
          companyId,
          actor,
          action: 'REPORT_ORDERED',
          targetType: 'Report',
          targetId: id,
          after: { type: input.type, language: created.language },
        });
        return created;
      });
      this.relay.nudge();
      this.logger.log({ msg: 'report ordered', reportId: id, type: input.type, companyId });
      return { created: true, report: toReportView(report) };
    } catch (error) {
      // Two orders at the same instant: the unique open key lets one through, the other gets it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const winner = await this.reports.findOpen(openKey);
        if (winner) return { created: false, report: toReportView(winner) };
      }
      throw error;
    }
  }

  async get(actor: Actor, reportId: string): Promise<ReportView> {
    const report = await this.reports.find(reportId);
    if (!report) throw new NotFoundError('Report');
    await this.access.assertAllowed(actor, report.companyId, 'Report');
    return toReportView(report);
  }

  /** Access-checked once here; the returned ticket lets the gateway stream the bytes. */
  async openFile(actor: Actor, reportId: string): Promise<DocumentDownload> {
    const report = await this.reports.find(reportId);
    if (!report) throw new NotFoundError('Report');
    await this.access.assertAllowed(actor, report.companyId, 'Report');
    if (report.status !== 'READY') throw new ConflictError('REPORT_NOT_READY', `The report is ${report.status}, its file is not available`);
    const document = report.document;
    if (!document || document.expiresAt <= this.clock.now() || (await this.storage.size(document.storageKey)) === undefined) {
      throw new DomainError(
        'DOCUMENT_EXPIRED',
        410,
        'The document of this report has passed its retention period and was removed; order the report again',
      );
    }
    return {
      documentId: document.id,
      fileName: document.fileName,
      contentType: document.contentType,
      size: document.size,
      fileSha256: document.fileSha256,
      ticket: this.tickets.issue(document.id, this.clock.now().getTime()),
    };
  }
}
