import { Injectable, Logger } from '@nestjs/common';
import { Actor, AuditEntryView, AuditEventJob, AuditQuery, AuditVerification, Page, pageWindow } from '@procura/contracts';
import { AuditFact, auditEvent, auditJobId, Outbox, SqlExecutor } from '@procura/messaging';
import { JOBS } from '@procura/contracts';
import { CompanyAccessService } from '../company-access/company-access.service';
import { ChainVerifier } from './audit-chain';
import { AuditRepository, chainOf, StoredEntry } from './audit.repository';

function toView(entry: StoredEntry): AuditEntryView {
  return {
    seq: entry.seq,
    eventId: entry.eventId,
    occurredAt: entry.occurredAt,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    ...(entry.targetId ? { targetId: entry.targetId } : {}),
    ...(entry.sourceIp ? { sourceIp: entry.sourceIp } : {}),
    ...(entry.requestId ? { requestId: entry.requestId } : {}),
    ...(entry.before !== null ? { before: entry.before } : {}),
    ...(entry.after !== null ? { after: entry.after } : {}),
    ...(entry.details !== null ? { details: entry.details } : {}),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/** The tamper-evident audit trail: one hash chain per company, append-only. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly outbox = new Outbox('authorizations');

  constructor(
    private readonly audit: AuditRepository,
    private readonly access: CompanyAccessService,
  ) {}

  /** Records an event of this service in the same transaction as the change it describes. */
  async recordInTransaction(tx: SqlExecutor, fact: AuditFact): Promise<void> {
    const event = auditEvent(fact, new Date());
    await this.outbox.add(tx, JOBS.recordAuditEvent, auditJobId(event), event);
  }

  /** Events another part of the system described (an owner's change entries), recorded as they are. */
  async recordEvents(tx: SqlExecutor, events: AuditEventJob[]): Promise<void> {
    for (const event of events) await this.outbox.add(tx, JOBS.recordAuditEvent, auditJobId(event), event);
  }

  async append(event: AuditEventJob): Promise<void> {
    const outcome = await this.audit.append(event);
    if (outcome === 'duplicate') this.logger.debug?.({ msg: 'audit event already recorded', eventId: event.eventId });
  }

  async list(actor: Actor, companyId: string, query: AuditQuery): Promise<Page<AuditEntryView>> {
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    const { page, pageSize, skip } = pageWindow(query);
    const filter = { action: query.action, actor: query.actor, about: query.about, from: query.from, to: query.to };
    const [entries, total] = await this.audit.page(chainOf(companyId), skip, pageSize, filter);
    return { items: entries.map(toView), page, pageSize, total };
  }

  async verify(actor: Actor, companyId: string): Promise<AuditVerification> {
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    return this.verifyChain(chainOf(companyId));
  }

  verifyChain(chain: string): Promise<AuditVerification> {
    return verifyAuditChain(this.audit, chain);
  }
}

/** Walks a stored chain page by page and checks every link and hash, then the head. */
export async function verifyAuditChain(repository: AuditRepository, chain: string): Promise<AuditVerification> {
  const verifier = new ChainVerifier();
  for await (const entry of repository.walk(chain)) verifier.push(entry);
  return verifier.finish(await repository.head(chain));
}
