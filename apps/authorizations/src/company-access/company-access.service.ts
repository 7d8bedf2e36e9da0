import { Injectable } from '@nestjs/common';
import { Actor, IdentityCommands } from '@procura/contracts';
import { DomainError, ForbiddenError, NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';

const MANAGES_TTL_MS = 60_000;
const NOT_MANAGED_TTL_MS = 5_000;

export type AccessLevel = 'member' | 'administrator';

/**
 * Who may read or act on a company's rights: its own users (administrators for most
 * things), and the operator who manages it. Anyone else is answered 404, so a company's
 * existence never leaks. Whether an operator manages a company is asked to identity and
 * remembered briefly: the check is the hot path and management rarely changes.
 */
@Injectable()
export class CompanyAccessService {
  private readonly managed = new Map<string, { manages: boolean; until: number }>();

  constructor(private readonly bus: CommandBus) {}

  async assert(actor: Actor, companyId: string, level: AccessLevel, what: string): Promise<void> {
    if (actor.kind === 'user') {
      if (actor.companyId !== companyId) throw new NotFoundError(what);
      if (level === 'administrator' && actor.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only administrators of the company may do this');
      return;
    }
    if (actor.kind === 'operator' && (await this.operatorManages(actor.operatorId, companyId))) return;
    if (actor.kind === 'system') return;
    throw new NotFoundError(what);
  }

  async assertOperator(actor: Actor, companyId: string, what: string): Promise<void> {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators may do this');
    if (!(await this.operatorManages(actor.operatorId, companyId))) throw new NotFoundError(what);
  }

  private async operatorManages(operatorId: string, companyId: string): Promise<boolean> {
    const key = `${operatorId}|${companyId}`;
    const hit = this.managed.get(key);
    if (hit && hit.until > Date.now()) return hit.manages;
    let manages: boolean;
    try {
      await this.bus.execute(IdentityCommands.getCompany, { companyId }, { actor: { kind: 'operator', operatorId } });
      manages = true;
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 404) throw error;
      manages = false;
    }
    if (this.managed.size > 10_000) this.managed.clear();
    this.managed.set(key, { manages, until: Date.now() + (manages ? MANAGES_TTL_MS : NOT_MANAGED_TTL_MS) });
    return manages;
  }
}
