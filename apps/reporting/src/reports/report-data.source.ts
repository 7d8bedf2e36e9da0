import { Injectable } from '@nestjs/common';
import { Actor, AuthorizationsSeams, CommandContract, CompanySummary, IdentitySeams, ReportUserRights } from '@procura/contracts';
import { DomainError } from '@procura/errors';
import { CommandBus, PermanentJobError } from '@procura/messaging';
import { AccessRightsSection } from './render/access-rights-report.writer';

/** Who ordered a report, as stored with the order. */
export interface ReportOrderer {
  companyId: string;
  orderedBy: string;
  orderedByUserId: string | null;
}

/**
 * Where the access-rights report's data comes from. The production source asks the
 * owning services page by page; tests and the benchmark give fabricated pages through
 * the same builder.
 */
export abstract class ReportDataSource {
  abstract company(companyId: string): Promise<CompanySummary>;
  /** The name printed as "ordered by". */
  abstract ordererName(orderer: ReportOrderer): Promise<string>;
  /** The company's users with their rights, one page at a time. */
  abstract userPages(companyId: string, pageSize: number): AsyncIterable<AccessRightsSection[]>;
}

interface FetchedPage {
  sections: AccessRightsSection[];
  nextAfterUserId: string | null;
}

const SYSTEM: Actor = { kind: 'system', reason: 'reporting:build-report' };

export const EMPTY_RIGHTS: ReportUserRights = { authorizations: [], effectiveRights: [], pendingChangeRequests: [] };

/** The data source over the identity and authorizations seams (libs/contracts). */
@Injectable()
export class ServiceReportDataSource extends ReportDataSource {
  constructor(private readonly bus: CommandBus) {
    super();
  }

  company(companyId: string): Promise<CompanySummary> {
    return this.seam(IdentitySeams.companySummary, { companyId });
  }

  async ordererName(orderer: ReportOrderer): Promise<string> {
    if (!orderer.orderedByUserId) return orderer.orderedBy;
    const contacts = await this.seam(IdentitySeams.userContacts, { companyId: orderer.companyId, userIds: [orderer.orderedByUserId] });
    const contact = contacts.find((c) => c.userId === orderer.orderedByUserId);
    return contact ? `${contact.firstName} ${contact.lastName} (${contact.email})` : orderer.orderedBy;
  }

  // The next page is asked for while the builder spools this one, so the services and the
  // builder work at the same time; at most two pages are ever held.
  async *userPages(companyId: string, pageSize: number): AsyncIterable<AccessRightsSection[]> {
    let ahead: Promise<FetchedPage> | null = this.fetchPage(companyId, pageSize, undefined);
    while (ahead) {
      const fetched: FetchedPage = await ahead;
      ahead = fetched.nextAfterUserId ? this.fetchPage(companyId, pageSize, fetched.nextAfterUserId) : null;
      // Awaited on the next turn; this only keeps a consumer that stops early from leaving an unhandled rejection.
      ahead?.catch(() => undefined);
      if (fetched.sections.length) yield fetched.sections;
    }
  }

  private async fetchPage(companyId: string, pageSize: number, afterUserId: string | undefined): Promise<FetchedPage> {
    const page = await this.seam(IdentitySeams.reportUsersPage, { companyId, limit: pageSize, ...(afterUserId ? { afterUserId } : {}) });
    if (page.users.length === 0) return { sections: [], nextAfterUserId: null };
    const rights = await this.seam(AuthorizationsSeams.reportRights, { companyId, userIds: page.users.map((u) => u.userId) });
    return {
      sections: page.users.map((user) => ({ user, rights: rights[user.userId] ?? EMPTY_RIGHTS })),
      nextAfterUserId: page.nextAfterUserId ?? null,
    };
  }

  /**
   * A seam command; a service that does not (yet) answer it, or refuses the question,
   * will not change its mind on retry: the build fails at once, saying which.
   */
  private async seam<P, R>(command: CommandContract<P, R>, payload: P): Promise<R> {
    try {
      return await this.bus.execute(command, payload, { actor: SYSTEM, timeoutMs: 15_000 });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NO_HANDLER') {
        throw new PermanentJobError(`The ${command.service} service does not provide ${command.pattern}, which this report needs`);
      }
      if (error instanceof DomainError && error.status < 500) {
        throw new PermanentJobError(`The ${command.service} service refused ${command.pattern}: ${error.message}`);
      }
      throw error;
    }
  }
}
