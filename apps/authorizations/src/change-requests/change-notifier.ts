import { Injectable } from '@nestjs/common';
import { Tx } from '@procura/database';
import { AppConfig } from '@procura/config';
import { type ChangeOutcomeStatus, JOBS, UserContact } from '@procura/contracts';
import { Outbox } from '@procura/messaging';
import { FullChangeRequest } from './change-request.repository';

export interface MakerContact {
  email: string;
  firstName: string;
  lastName: string;
  language: 'fr' | 'en';
}

/** E-mails about change requests, written through the outbox with the state change they announce. */
@Injectable()
export class ChangeNotifier {
  private readonly outbox = new Outbox('authorizations');

  constructor(private readonly config: AppConfig) {}

  private link(cr: { id: string }): string {
    return `${this.config.publicUrl}/api/v1/change-requests/${cr.id}`;
  }

  async pending(tx: Tx, cr: FullChangeRequest, validators: UserContact[], maker: MakerContact): Promise<void> {
    for (const validator of validators) {
      await this.outbox.add(tx, JOBS.sendEmail, `cr-pending:${cr.id}:${validator.userId}`, {
        eventKey: `cr-pending:${cr.id}:${validator.userId}`,
        companyId: cr.companyId,
        template: 'change-request-pending',
        to: validator.email,
        language: validator.language,
        params: {
          validatorFirstName: validator.firstName,
          makerName: `${maker.firstName} ${maker.lastName}`,
          summary: cr.summary,
          kind: cr.kind,
          link: this.link(cr),
          expiresAt: cr.expiresAt.toISOString(),
        },
      });
    }
  }

  /** Rule 3 (issue 17): the maker learns that a pending request can no longer complete; the event key makes it once per request. */
  async cannotComplete(tx: Tx, cr: FullChangeRequest, reason: string): Promise<void> {
    const maker = cr.makerContact as unknown as MakerContact;
    await this.outbox.add(tx, JOBS.sendEmail, `cr-cannot-complete:${cr.id}`, {
      eventKey: `cr-cannot-complete:${cr.id}`,
      companyId: cr.companyId,
      template: 'change-request-cannot-complete',
      to: maker.email,
      language: maker.language,
      params: { makerFirstName: maker.firstName, summary: cr.summary, reason, link: this.link(cr), expiresAt: cr.expiresAt.toISOString() },
    });
  }

  async outcome(tx: Tx, cr: FullChangeRequest, status: ChangeOutcomeStatus, reason?: string): Promise<void> {
    const maker = cr.makerContact as unknown as MakerContact;
    await this.outbox.add(tx, JOBS.sendEmail, `cr-outcome:${cr.id}:${status}`, {
      eventKey: `cr-outcome:${cr.id}:${status}`,
      companyId: cr.companyId,
      template: 'change-request-outcome',
      to: maker.email,
      language: maker.language,
      params: { makerFirstName: maker.firstName, summary: cr.summary, status, ...(reason ? { reason } : {}), link: this.link(cr) },
    });
  }
}
