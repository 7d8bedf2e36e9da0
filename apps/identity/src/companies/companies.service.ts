import { Injectable, Logger } from '@nestjs/common';
import {
  Actor,
  CompanySummary,
  CompanyView,
  CreateCompanyDto,
  Page,
  PageQueryDto,
  pageWindow,
  BillingMode,
  SignInIdentifier,
  UpdateCompanyDto,
  PRICING_OFFER_CODES,
  pricingOffer,
} from '@procura/contracts';
import { Company, Prisma, Transactions } from '@procura/database';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { AccessService } from '../users/access.service';
import { CompaniesRepository } from './companies.repository';
import { IdempotencyStore } from './idempotency.store';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { OperatorsRepository } from '../operators/operators.repository';

/** Seed 001: the offer decides what may be granted, so only an offer of the catalog is accepted. */
function checkPricingOffer(code: string | undefined): void {
  if (code === undefined || pricingOffer(code)) return;
  throw new RuleViolationError('UNKNOWN_PRICING_OFFER', `Unknown pricing offer ${code} (offers: ${PRICING_OFFER_CODES.join(', ')})`, [
    { field: 'pricingOffer', messages: [`unknown pricing offer ${code}`] },
  ]);
}

export function toCompanyView(company: Company): CompanyView {
  return {
    id: company.id,
    name: company.name,
    registrationNumber: company.registrationNumber,
    billingMode: company.billingMode as BillingMode,
    pricingOffer: company.pricingOffer,
    managedBy: company.managedBy,
    organisationId: company.organisationId,
    requireStrongAuth: company.requireStrongAuth,
    signInWith: company.signInWith as SignInIdentifier,
    version: company.version,
    createdAt: company.createdAt.toISOString(),
  };
}

/**
 * Operators register client companies for their organisation (the company joins the
 * registering operator's portfolio) and see only the companies they reach: their
 * portfolio, or every client of the organisation for its supervisors. An administrator
 * reads their own company.
 */
@Injectable()
export class CompaniesService {
  private readonly logger = new Logger(CompaniesService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly companies: CompaniesRepository,
    private readonly idempotency: IdempotencyStore,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly access: AccessService,
    private readonly operators: OperatorsRepository,
  ) {}

  async create(actor: Actor, input: CreateCompanyDto, idempotencyKey?: string): Promise<CompanyView> {
    const operator = await this.requireOperator(actor);
    checkPricingOffer(input.pricingOffer);
    const operatorId = operator.id;
    const scope = `operator:${operatorId}:companies.create`;
    const requestHash = IdempotencyStore.hash(input);
    try {
      return await this.transactions.run(async (tx) => {
        if (idempotencyKey) {
          const previous = await this.idempotency.find<CompanyView>(tx, scope, idempotencyKey, requestHash);
          if (previous) return previous;
        }
        const company = await this.companies.create(tx, {
          id: randomUUID(),
          ...input,
          managedBy: operatorId,
          organisationId: operator.organisationId,
        });
        await this.operators.assign(tx, operatorId, company.id, `operator:${operatorId}`);
        await this.events.audit(tx, {
          companyId: company.id,
          actor,
          action: 'company.registered',
          targetType: 'company',
          targetId: company.id,
          after: { name: company.name, billingMode: company.billingMode, pricingOffer: company.pricingOffer },
        });
        const view = toCompanyView(company);
        if (idempotencyKey) await this.idempotency.save(tx, scope, idempotencyKey, requestHash, view);
        this.logger.log({ msg: 'company created', companyId: company.id });
        return view;
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        // Registration numbers are unique per organisation: the one that exists is this organisation's own client.
        const existing = await this.companies.findByRegistrationNumber(operator.organisationId, input.registrationNumber);
        throw new ConflictError(
          'COMPANY_ALREADY_EXISTS',
          `Your organisation already has a client with registration number ${input.registrationNumber}`,
          existing ? { companyId: existing.id } : undefined,
        );
      }
      throw error;
    }
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<CompanyView>> {
    const operator = await this.requireOperator(actor);
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.operators.pageReachable(operator, skip, pageSize);
    return { items: items.map(toCompanyView), page, pageSize, total };
  }

  async summary(companyId: string): Promise<CompanySummary> {
    const company = await this.companies.findById(companyId);
    if (!company) throw new NotFoundError('Company');
    return { id: company.id, name: company.name, registrationNumber: company.registrationNumber, pricingOffer: company.pricingOffer };
  }

  /** Operators read the companies they manage; an administrator reads their own company (the console names it). */
  async get(actor: Actor, companyId: string): Promise<CompanyView> {
    if (actor.kind === 'user') return toCompanyView(await this.access.administeredCompany(actor, companyId));
    const company = await this.reachable(actor, companyId);
    return toCompanyView(company);
  }

  /** Operators edit the companies they manage (name, billing, offer, strong-authentication requirement). */
  async update(actor: Actor, companyId: string, input: UpdateCompanyDto): Promise<CompanyView> {
    const company = await this.reachable(actor, companyId);
    checkPricingOffer(input.pricingOffer);
    const changes = Object.fromEntries(
      Object.entries(input).filter(([key, value]) => value !== undefined && value !== (company as Record<string, unknown>)[key]),
    );
    if (Object.keys(changes).length === 0) return toCompanyView(company);
    const updated = await this.transactions.run(async (tx) => {
      const row = await this.companies.update(tx, companyId, { ...changes, version: { increment: 1 } });
      await this.events.audit(tx, {
        companyId,
        actor,
        action: 'company.updated',
        targetType: 'company',
        targetId: companyId,
        before: Object.fromEntries(Object.keys(changes).map((k) => [k, (company as Record<string, unknown>)[k]])),
        after: changes,
      });
      return row;
    });
    this.relay.nudge();
    return toCompanyView(updated);
  }

  private async requireOperator(actor: Actor) {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators manage companies');
    const operator = await this.operators.findById(actor.operatorId);
    if (!operator || operator.status !== 'ACTIVE') throw new ForbiddenError('Only active operators manage companies');
    return operator;
  }

  /** A company in the operator's reach; 404 otherwise, exactly like one that does not exist. */
  private async reachable(actor: Actor, companyId: string): Promise<Company> {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators manage companies');
    const company = (await this.operators.reaches(actor.operatorId, companyId)) ? await this.companies.findById(companyId) : null;
    if (!company) throw new NotFoundError('Company');
    return company;
  }
}
