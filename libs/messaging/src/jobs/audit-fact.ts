import { Actor, AuditEventJob, describeActor } from '@procura/contracts';
import { requestContext } from '@procura/logging';
import { randomUUID } from 'node:crypto';

/** What a service tells the audit trail about something that happened (never a secret). */
export interface AuditFact {
  /** Null for platform-level events (operators), which form their own chain. */
  companyId: string | null;
  actor: Actor | string;
  action: string;
  targetType: string;
  targetId?: string;
  sourceIp?: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/**
 * The audit job of a fact, with a fresh event id and the current request id. Every
 * service builds its audit events here, so the trail's consumer sees one shape.
 */
export function auditEvent(fact: AuditFact, occurredAt: Date): AuditEventJob {
  const requestId = requestContext.requestId();
  return {
    eventId: randomUUID(),
    companyId: fact.companyId,
    occurredAt: occurredAt.toISOString(),
    actor: typeof fact.actor === 'string' ? fact.actor : (describeActor(fact.actor) ?? 'unknown'),
    action: fact.action,
    targetType: fact.targetType,
    ...(fact.targetId ? { targetId: fact.targetId } : {}),
    ...(fact.sourceIp ? { sourceIp: fact.sourceIp } : {}),
    ...(requestId ? { requestId } : {}),
    ...(fact.before !== undefined ? { before: fact.before } : {}),
    ...(fact.after !== undefined ? { after: fact.after } : {}),
    ...(fact.details ? { details: fact.details } : {}),
  };
}

/** The outbox job id of an audit event. */
export function auditJobId(event: AuditEventJob): string {
  return `audit-${event.eventId}`;
}
