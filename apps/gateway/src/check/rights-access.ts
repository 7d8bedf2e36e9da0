import { Injectable } from '@nestjs/common';
import { Actor, IdentityCommands } from '@procura/contracts';
import { DomainError, NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { CompiledRights } from '@procura/rights';

const MANAGES_TTL_MS = 60_000;
const NOT_MANAGED_TTL_MS = 5_000;

/**
 * Who may read a user's rights and check them: any user of the same company, and the
 * operator who manages it; anyone else is answered 404 (a user's existence never leaks).
 * The same rule as the authorizations service applies (CompanyAccessService, 'member'):
 * the company comes with the compiled rights, and whether an operator manages a company
 * is asked to identity and remembered briefly (60 s; 5 s for "does not manage").
 */
@Injectable()
export class RightsAccess {
  private readonly managed = new Map<string, { manages: boolean; until: number }>();

  constructor(private readonly bus: CommandBus) {}

  /** The user's rights if the actor may see them; 404 otherwise. `allowed` remembers companies already cleared in this request. */
  async visible(actor: Actor, rights: CompiledRights | null, allowed: Set<string>): Promise<CompiledRights> {
    if (!rights) throw new NotFoundError('User');
    if (!allowed.has(rights.companyId)) {
      await this.assertMember(actor, rights.companyId);
      allowed.add(rights.companyId);
    }
    return rights;
  }

  private async assertMember(actor: Actor, companyId: string): Promise<void> {
    if (actor.kind === 'user') {
      if (actor.companyId !== companyId) throw new NotFoundError('User');
      return;
    }
    if (actor.kind === 'operator' && (await this.operatorManages(actor.operatorId, companyId))) return;
    if (actor.kind === 'system') return;
    throw new NotFoundError('User');
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
