import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import {
  Actor,
  ApiKeyIssued,
  ApiKeyPrincipal,
  ApiKeyView,
  CreateOperatorDto,
  OperatorCreated,
  OperatorRole,
  OperatorStatus,
  OperatorView,
  Page,
  PageQueryDto,
  pageWindow,
  PortfolioEntry,
} from '@procura/contracts';
import { Operator, OperatorApiKey, Prisma, Transactions } from '@procura/database';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RuleViolationError, UnauthenticatedError } from '@procura/errors';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { OperatorAuthService } from '../auth/operator-auth.service';
import { generateLoginId } from '../credentials/login-id';
import { hashPassword } from '../credentials/password-hasher';
import { generateProvisionalPassword } from '../credentials/provisional-password';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { isNominativeEmail, normaliseEmail } from '../users/user-rules';
import { OperatorsRepository } from './operators.repository';

type OperatorActor = Extract<Actor, { kind: 'operator' }>;

/** Only a SHA-256 of an API key is stored: keys are 256-bit random strings, not passwords. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

const API_KEY_PREFIX = 'prk_';

export function toOperatorView(o: Operator): OperatorView {
  return {
    id: o.id,
    organisationId: o.organisationId,
    name: o.name,
    email: o.email,
    role: o.role as OperatorRole,
    status: o.status as OperatorStatus,
    ...(o.loginId ? { loginId: o.loginId } : {}),
    totpEnrolled: o.totpEnrolledAt !== null,
    createdAt: o.createdAt.toISOString(),
  };
}

function toApiKeyView(k: OperatorApiKey): ApiKeyView {
  return {
    id: k.id,
    organisationId: k.organisationId,
    operatorId: k.operatorId,
    label: k.label,
    prefix: k.keyPrefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/**
 * An organisation's operators, their portfolios and API keys. Managing them is a
 * supervisor's work, signed in interactively (an API key cannot manage operators or
 * keys); anything outside the supervisor's organisation answers 404.
 */
@Injectable()
export class OperatorsService {
  private readonly logger = new Logger(OperatorsService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly operators: OperatorsRepository,
    private readonly auth: OperatorAuthService,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
  ) {}

  // ── API keys as credentials ───────────────────────────────────────────────────────

  async authenticateApiKey(apiKey: string): Promise<ApiKeyPrincipal> {
    const key = await this.operators.findApiKeyByHash(hashApiKey(apiKey));
    if (!key || key.revokedAt || key.operator.status !== 'ACTIVE') throw new UnauthenticatedError('Invalid credentials');
    await this.operators.touchApiKey(key.id, this.clock.now());
    return { operatorId: key.operatorId, organisationId: key.organisationId, apiKeyId: key.id };
  }

  async me(actor: Actor): Promise<OperatorView> {
    const operator = await this.self(actor);
    return toOperatorView(operator);
  }

  // ── operators ─────────────────────────────────────────────────────────────────────

  async create(actor: Actor, input: CreateOperatorDto, sourceIp?: string): Promise<OperatorCreated> {
    const supervisor = await this.supervisor(actor);
    const email = normaliseEmail(input.email);
    if (!isNominativeEmail(email))
      throw new RuleViolationError('EMAIL_NOT_NOMINATIVE', 'Use a personal e-mail address, not a shared mailbox', [
        { field: 'email', messages: ['email must be a personal address (not contact@, info@, compta@…)'] },
      ]);
    const provisional = generateProvisionalPassword();
    const passwordHash = await hashPassword(provisional);
    const now = this.clock.now();
    try {
      const operator = await this.transactions.run(async (tx) => {
        const created = await this.operators.create(tx, {
          id: randomUUID(),
          organisationId: supervisor.organisationId,
          name: input.name,
          email,
          role: input.role,
          loginId: generateLoginId(),
          passwordHash,
          passwordIsProvisional: true,
          provisionalExpiresAt: new Date(now.getTime() + this.config.provisionalPasswordTtlHours * 3600_000),
        });
        await this.events.audit(tx, {
          companyId: null,
          actor,
          action: 'operator.created',
          targetType: 'operator',
          targetId: created.id,
          sourceIp,
          after: { name: created.name, email: created.email, role: created.role, organisationId: created.organisationId },
        });
        return created;
      });
      this.relay.nudge();
      this.logger.log({ msg: 'operator created', operatorId: operator.id });
      return { operator: toOperatorView(operator), provisionalPassword: provisional };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        throw new ConflictError('EMAIL_ALREADY_USED', 'This e-mail already identifies an operator');
      throw error;
    }
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<OperatorView>> {
    const supervisor = await this.supervisor(actor);
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.operators.page(supervisor.organisationId, skip, pageSize);
    return { items: items.map(toOperatorView), page, pageSize, total };
  }

  async get(actor: Actor, operatorId: string): Promise<OperatorView> {
    const self = await this.self(actor);
    if (self.id === operatorId) return toOperatorView(self);
    return toOperatorView(await this.colleague(await this.supervisor(actor), operatorId));
  }

  async setStatus(actor: Actor, operatorId: string, status: 'ACTIVE' | 'SUSPENDED' | 'REMOVED', sourceIp?: string): Promise<OperatorView> {
    const supervisor = await this.supervisor(actor);
    if (operatorId === supervisor.id)
      throw new RuleViolationError('OWN_ACCOUNT', 'You cannot suspend or remove yourself: ask another supervisor');
    const target = await this.colleague(supervisor, operatorId);
    if (target.status === 'REMOVED') throw new NotFoundError('Operator');
    if (target.status === status) return toOperatorView(target);
    const now = this.clock.now();
    const { updated, ended, lifted } = await this.transactions.run(async (tx) => {
      const row = await this.operators.update(tx, target.id, { status, version: { increment: 1 } });
      let endedIds: string[] = [];
      let liftedIds: string[] = [];
      if (status === 'ACTIVE') {
        const keys = await tx.operatorApiKey.findMany({ where: { operatorId: target.id, revokedAt: null }, select: { id: true } });
        liftedIds = keys.map((k) => k.id);
      } else {
        // A suspended or removed operator is out at once: sessions ended, keys refused.
        endedIds = await this.auth.endSessionsInTx(tx, target.id, status === 'SUSPENDED' ? 'operator-suspended' : 'operator-removed');
        const keys = await tx.operatorApiKey.findMany({ where: { operatorId: target.id, revokedAt: null }, select: { id: true } });
        endedIds.push(...keys.map((k) => k.id));
        if (status === 'REMOVED') {
          await this.operators.revokeApiKeysOf(tx, target.id, now);
          await this.operators.unassignAll(tx, target.id);
        }
      }
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: `operator.${status === 'ACTIVE' ? 'reactivated' : status.toLowerCase()}`,
        targetType: 'operator',
        targetId: target.id,
        sourceIp,
        before: { status: target.status },
        after: { status },
      });
      return { updated: row, ended: endedIds, lifted: liftedIds };
    });
    await this.auth.publishEnded(ended);
    await this.auth.liftKeyMarks(lifted);
    this.relay.nudge();
    return toOperatorView(updated);
  }

  // ── portfolio ─────────────────────────────────────────────────────────────────────

  async assign(actor: Actor, operatorId: string, companyId: string, sourceIp?: string): Promise<PortfolioEntry> {
    const supervisor = await this.supervisor(actor);
    const target = await this.colleague(supervisor, operatorId);
    if (target.status !== 'ACTIVE') throw new RuleViolationError('OPERATOR_NOT_ACTIVE', 'Only an active operator can be given clients');
    const company = await this.operators.findCompanyOfOrganisation(supervisor.organisationId, companyId);
    if (!company) throw new NotFoundError('Company');
    const assignment = await this.transactions.run(async (tx) => {
      const row = await this.operators.assign(tx, target.id, company.id, `operator:${supervisor.id}`);
      await this.events.audit(tx, {
        companyId: company.id,
        actor,
        action: 'operator.assigned',
        targetType: 'operator',
        targetId: target.id,
        sourceIp,
        after: { operatorId: target.id, operatorName: target.name },
      });
      return row;
    });
    this.relay.nudge();
    return {
      companyId: company.id,
      name: company.name,
      registrationNumber: company.registrationNumber,
      assignedAt: assignment.assignedAt.toISOString(),
      assignedBy: assignment.assignedBy,
    };
  }

  async unassign(actor: Actor, operatorId: string, companyId: string, sourceIp?: string): Promise<{ unassigned: true }> {
    const supervisor = await this.supervisor(actor);
    const target = await this.colleague(supervisor, operatorId);
    const company = await this.operators.findCompanyOfOrganisation(supervisor.organisationId, companyId);
    if (!company) throw new NotFoundError('Company');
    await this.transactions.run(async (tx) => {
      if (!(await this.operators.unassign(tx, target.id, company.id))) throw new NotFoundError('Assignment');
      await this.events.audit(tx, {
        companyId: company.id,
        actor,
        action: 'operator.unassigned',
        targetType: 'operator',
        targetId: target.id,
        sourceIp,
        before: { operatorId: target.id, operatorName: target.name },
      });
    });
    this.relay.nudge();
    return { unassigned: true };
  }

  /** An operator's portfolio: the supervisor of the organisation, or the operator themselves. */
  async portfolio(actor: Actor, operatorId: string, query: PageQueryDto): Promise<Page<PortfolioEntry>> {
    const self = await this.self(actor);
    const target = self.id === operatorId ? self : await this.colleague(await this.supervisor(actor), operatorId);
    const { page, pageSize, skip } = pageWindow(query);
    const [rows, total] = await this.operators.pagePortfolio(target.id, skip, pageSize);
    return {
      items: rows.map((a) => ({
        companyId: a.companyId,
        name: a.company.name,
        registrationNumber: a.company.registrationNumber,
        assignedAt: a.assignedAt.toISOString(),
        assignedBy: a.assignedBy,
      })),
      page,
      pageSize,
      total,
    };
  }

  // ── API keys ──────────────────────────────────────────────────────────────────────

  async issueApiKey(actor: Actor, input: { label: string; operatorId?: string; totpCode: string }): Promise<ApiKeyIssued> {
    const supervisor = await this.supervisor(actor);
    const owner = input.operatorId && input.operatorId !== supervisor.id ? await this.colleague(supervisor, input.operatorId) : supervisor;
    if (owner.status !== 'ACTIVE') throw new RuleViolationError('OPERATOR_NOT_ACTIVE', 'Keys are issued to active operators only');
    await this.auth.verifyStepUp(actor as OperatorActor, input.totpCode, 'api-key.issue');
    return this.writeKey(actor, owner, input.label);
  }

  async listApiKeys(actor: Actor, query: PageQueryDto): Promise<Page<ApiKeyView>> {
    const supervisor = await this.supervisor(actor);
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.operators.pageApiKeys(supervisor.organisationId, skip, pageSize);
    return { items: items.map(toApiKeyView), page, pageSize, total };
  }

  /** A new key replaces the old one, which stops working at once. */
  async rotateApiKey(actor: Actor, apiKeyId: string, totpCode: string): Promise<ApiKeyIssued> {
    const supervisor = await this.supervisor(actor);
    const key = await this.keyOfOrganisation(supervisor, apiKeyId);
    if (key.revokedAt) throw new RuleViolationError('API_KEY_REVOKED', 'This key is revoked: issue a new one');
    const owner = await this.colleague(supervisor, key.operatorId);
    await this.auth.verifyStepUp(actor as OperatorActor, totpCode, 'api-key.rotate');
    return this.writeKey(actor, owner, key.label, key);
  }

  async revokeApiKey(actor: Actor, apiKeyId: string): Promise<ApiKeyView> {
    const supervisor = await this.supervisor(actor);
    const key = await this.keyOfOrganisation(supervisor, apiKeyId);
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      if (!(await this.operators.revokeApiKey(tx, key.id, now))) return;
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.api-key-revoked',
        targetType: 'api-key',
        targetId: key.id,
        details: { label: key.label, operatorId: key.operatorId },
      });
    });
    await this.auth.publishEnded([key.id]);
    this.relay.nudge();
    return toApiKeyView((await this.operators.findApiKey(key.id))!);
  }

  private async writeKey(actor: Actor, owner: Operator, label: string, replaces?: OperatorApiKey): Promise<ApiKeyIssued> {
    const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const key = await this.transactions.run(async (tx) => {
      if (replaces) await this.operators.revokeApiKey(tx, replaces.id, now);
      const created = await this.operators.createApiKey(tx, {
        id: randomUUID(),
        organisationId: owner.organisationId,
        operatorId: owner.id,
        label,
        keyHash: hashApiKey(secret),
        keyPrefix: secret.slice(0, API_KEY_PREFIX.length + 6),
        createdBy: actor.kind === 'operator' ? `operator:${actor.operatorId}` : 'system',
      });
      // The audit names the key by id and prefix, never the key itself.
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: replaces ? 'operator.api-key-rotated' : 'operator.api-key-issued',
        targetType: 'api-key',
        targetId: created.id,
        details: { label, operatorId: owner.id, prefix: created.keyPrefix, ...(replaces ? { replaces: replaces.id } : {}) },
      });
      return created;
    });
    if (replaces) await this.auth.publishEnded([replaces.id]);
    this.relay.nudge();
    return { key: toApiKeyView(key), apiKey: secret };
  }

  // ── who may ───────────────────────────────────────────────────────────────────────

  private async self(actor: Actor): Promise<Operator> {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators may do this');
    const operator = await this.operators.findById(actor.operatorId);
    if (!operator || operator.status !== 'ACTIVE') throw new UnauthenticatedError('Invalid credentials');
    return operator;
  }

  /** A supervisor signed in interactively: managing operators and keys is not for API keys. */
  private async supervisor(actor: Actor): Promise<Operator> {
    const operator = await this.self(actor);
    if (operator.role !== 'SUPERVISOR') throw new ForbiddenError("Only a supervisor manages the organisation's operators");
    if (actor.kind === 'operator' && !actor.sessionId)
      throw new DomainError('INTERACTIVE_SIGN_IN_REQUIRED', 403, 'Sign in interactively: an API key cannot manage operators or keys');
    return operator;
  }

  private async colleague(supervisor: Operator, operatorId: string): Promise<Operator> {
    const target = await this.operators.findById(operatorId);
    if (!target || target.organisationId !== supervisor.organisationId || target.status === 'REMOVED') throw new NotFoundError('Operator');
    return target;
  }

  private async keyOfOrganisation(supervisor: Operator, apiKeyId: string): Promise<OperatorApiKey> {
    const key = await this.operators.findApiKey(apiKeyId);
    if (!key || key.organisationId !== supervisor.organisationId) throw new NotFoundError('API key');
    return key;
  }
}
