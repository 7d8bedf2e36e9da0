import { IdentityCommands } from '@procura/contracts';
import { DomainError } from '@procura/errors';
import { CommandBus } from './command-bus';

const MANAGES_TTL_MS = 60_000;
const NOT_MANAGED_TTL_MS = 5_000;

/**
 * Whether an operator manages a company, asked to the identity service (its getCompany
 * answers 404 otherwise) and remembered briefly: 60 s, 5 s for "does not manage", so a
 * newly assigned company shows up quickly. Used on hot paths (the rights check).
 */
export class OperatorScope {
  private readonly answers = new Map<string, { manages: boolean; until: number }>();

  constructor(private readonly bus: CommandBus) {}

  async manages(operatorId: string, companyId: string): Promise<boolean> {
    const key = `${operatorId}|${companyId}`;
    const hit = this.answers.get(key);
    if (hit && hit.until > Date.now()) return hit.manages;
    let manages: boolean;
    try {
      await this.bus.execute(IdentityCommands.getCompany, { companyId }, { actor: { kind: 'operator', operatorId } });
      manages = true;
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 404) throw error;
      manages = false;
    }
    if (this.answers.size > 10_000) this.answers.clear();
    this.answers.set(key, { manages, until: Date.now() + (manages ? MANAGES_TTL_MS : NOT_MANAGED_TTL_MS) });
    return manages;
  }
}
