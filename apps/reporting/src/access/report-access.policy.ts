import { Injectable, Logger } from '@nestjs/common';
import { Actor, AuthorizationsQueries, IdentityCommands } from '@procura/contracts';
import { DomainError, ForbiddenError, NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';

/** The right that lets a company user order and read reports and deliveries (catalog: REPORTS/ORDER_REPORTS). */
export const REPORT_RIGHT = { service: 'REPORTS', right: 'ORDER_REPORTS', level: 'ACCESS' } as const;

export type AccessDecision =
  /** Administrators of the company. */
  | { kind: 'allow' }
  /** Another company's user, or a system actor: the resource does not exist for them. */
  | { kind: 'not-found' }
  /** A standard user of the company: allowed when they hold the report right. */
  | { kind: 'check-right'; userId: string }
  /** An operator: allowed when they manage the company. */
  | { kind: 'check-operator' };

/** Who may order and read a company's reports, documents and deliveries (seed 002), before any lookup. */
export function decideReportAccess(actor: Actor, companyId: string): AccessDecision {
  switch (actor.kind) {
    case 'user':
      if (actor.companyId !== companyId) return { kind: 'not-found' };
      return actor.clientType === 'ADMINISTRATOR' ? { kind: 'allow' } : { kind: 'check-right', userId: actor.userId };
    case 'operator':
      return { kind: 'check-operator' };
    default:
      return { kind: 'not-found' };
  }
}

/**
 * Applies decideReportAccess, asking the owners for what it cannot know: the
 * authorizations service whether a standard user holds REPORTS/ORDER_REPORTS, the
 * identity service whether an operator manages the company. `what` names the resource
 * in the 404 so that another company's user learns nothing about its existence.
 */
@Injectable()
export class ReportAccessPolicy {
  private readonly logger = new Logger(ReportAccessPolicy.name);

  constructor(private readonly bus: CommandBus) {}

  async assertAllowed(actor: Actor, companyId: string, what: string): Promise<void> {
    const decision = decideReportAccess(actor, companyId);
    switch (decision.kind) {
      case 'allow':
        return;
      case 'not-found':
        throw new NotFoundError(what);
      case 'check-operator':
        try {
          await this.bus.execute(IdentityCommands.getCompany, { companyId }, { actor });
        } catch (error) {
          if (error instanceof DomainError && error.status === 404) throw new NotFoundError(what);
          throw error;
        }
        return;
      case 'check-right': {
        let allowed = false;
        try {
          const answer = await this.bus.execute(AuthorizationsQueries.check, { userId: decision.userId, ...REPORT_RIGHT }, { actor });
          allowed = answer.allowed;
        } catch (error) {
          // A user the rights service does not know (yet) holds no right; an authorizations
          // service without the check lets only administrators in. Outages stay errors (503).
          if (!(error instanceof DomainError && (error.code === 'NO_HANDLER' || error.status < 500))) throw error;
          this.logger.warn({ msg: 'report right not confirmed: access refused', userId: decision.userId, errorCode: error.code });
        }
        if (!allowed)
          throw new ForbiddenError('Ordering and reading reports needs the REPORTS / ORDER_REPORTS right or the administrator role');
        return;
      }
    }
  }
}
