import { Injectable } from '@nestjs/common';
import { ReportUserRights } from '@procura/contracts';
import { ChangeRequestRepository } from './change-request.repository';

/** Pending change requests about users, from the dual-validation workflow, for the access-rights report. */
@Injectable()
export class PendingChangeRequests {
  constructor(private readonly changeRequests: ChangeRequestRepository) {}

  async pendingChangeRequestsOf(companyId: string, userIds: string[]): Promise<Map<string, ReportUserRights['pendingChangeRequests']>> {
    const out = new Map<string, ReportUserRights['pendingChangeRequests']>();
    if (userIds.length === 0) return out;
    for (const cr of await this.changeRequests.pendingAbout(companyId, userIds)) {
      for (const userId of cr.subjectUserIds) {
        if (!userIds.includes(userId)) continue;
        out.set(userId, [
          ...(out.get(userId) ?? []),
          { id: cr.id, kind: cr.kind, summary: cr.summary, createdAt: cr.createdAt.toISOString() },
        ]);
      }
    }
    return out;
  }
}
