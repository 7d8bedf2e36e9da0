import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@procura/database';
import { AppConfig } from '@procura/config';
import { IdentitySeams, JOBS, notificationJobId } from '@procura/contracts';
import { DomainError } from '@procura/errors';
import { CommandBus, PermanentJobError } from '@procura/messaging';
import { ReportingEvents, ReportingOutboxRelay } from '../shared/reporting-events';
import { ReportsRepository } from './reports.repository';

/** Tells the user who ordered a report that it is ready (operators see it in the documents list). */
@Injectable()
export class ReportReadyNotifier {
  private readonly logger = new Logger(ReportReadyNotifier.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly reports: ReportsRepository,
    private readonly bus: CommandBus,
    private readonly events: ReportingEvents,
    private readonly relay: ReportingOutboxRelay,
    private readonly config: AppConfig,
  ) {}

  async notify(reportId: string): Promise<'sent' | 'nobody-to-tell'> {
    const report = await this.reports.find(reportId);
    if (!report || report.status !== 'READY' || !report.orderedByUserId) return 'nobody-to-tell';
    let contacts;
    try {
      contacts = await this.bus.execute(
        IdentitySeams.userContacts,
        { companyId: report.companyId, userIds: [report.orderedByUserId] },
        { actor: { kind: 'system', reason: 'reporting:report-ready' } },
      );
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'NO_HANDLER' || error.status < 500)) {
        throw new PermanentJobError(`cannot look up the orderer's e-mail: ${error.message}`);
      }
      throw error;
    }
    const contact = contacts.find((c) => c.userId === report.orderedByUserId);
    if (!contact || contact.status === 'DELETED') return 'nobody-to-tell';
    const eventKey = `report-ready:${report.id}`;
    await this.transactions.run((tx) =>
      this.events.job(tx, JOBS.sendEmail, notificationJobId(eventKey), {
        eventKey,
        companyId: report.companyId,
        template: 'report-ready',
        to: contact.email,
        language: contact.language,
        params: {
          firstName: contact.firstName,
          reportType: report.type,
          link: `${this.config.publicUrl}/api/v1/reports/${report.id}/file`,
        },
      }),
    );
    this.relay.nudge();
    this.logger.log({ msg: 'report-ready e-mail queued', reportId: report.id });
    return 'sent';
  }
}
