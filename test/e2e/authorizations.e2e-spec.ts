import {
  AuthorizationsSeams,
  AuthorizationView,
  CheckAnswer,
  CheckBatchAnswer,
  CompanyView,
  DEMO,
  EffectiveRightsView,
  JOBS,
  PrincipalStateJob,
  QUEUES,
  ResourceView,
} from '@procura/contracts';
import { CommandBus, RedisRpcClient } from '@procura/messaging';
import {
  addAdministrator,
  addOperator,
  ApiSession,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  userSession,
  waitFor,
} from '@procura/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; messages: string[] }>;
}
interface Submission {
  status: string;
  changeRequestId: string;
  result: Record<string, unknown>;
}

const DAY = 24 * 3600 * 1000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();
let seq = 0;

describe('Authorizations (e2e)', () => {
  let system: RunningSystem;
  let operator: ApiSession;
  let principals: Queue;
  let company: CompanyView;
  let other: CompanyView;
  let admin: ApiSession;
  let otherAdmin: ApiSession;
  // The maker: an administrator with an individual signature, so changes apply at once
  // (the dual-validation path itself is covered by dual-validation.e2e-spec.ts).
  let adminId: string;
  const [julie, hugo, lea, paul] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const stranger = randomUUID();
  const versions = new Map<string, number>();
  const resources: Record<string, ResourceView> = {};
  let foreignResource: ResourceView;

  async function syncPrincipal(userId: string, companyId: string, overrides: Partial<PrincipalStateJob> = {}): Promise<void> {
    const version = (versions.get(userId) ?? 0) + 1;
    versions.set(userId, version);
    const state: PrincipalStateJob = {
      userId,
      companyId,
      status: 'ACTIVE',
      version,
      // With banking power: these users' banking rights are usable (seed 000; rule 4 of docs/seed-rules.md).
      credentials: [{ id: randomUUID(), validUntil: null, revoked: false, bankingPower: true }],
      ...overrides,
    };
    const job = await principals.add(JOBS.syncPrincipal.name, state, { jobId: `${userId}-v${version}` });
    await waitFor(async () => (await job.isCompleted()) || undefined, {
      timeoutMs: 10_000,
      what: `principal ${userId} v${version} projected`,
    });
  }

  const check = (session: ApiSession, q: Record<string, unknown>) => session.post<CheckAnswer>('/check', q);

  async function newCompany(): Promise<CompanyView> {
    seq++;
    const digits = `${Date.now()}${seq}`.slice(-9);
    const res = await operator.post<CompanyView>('/companies', {
      name: `Authz ${digits}`,
      registrationNumber: digits,
      billingMode: 'CLIENT',
      pricingOffer: 'ESSENTIEL',
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function addResource(companyId: string, body: Record<string, unknown>): Promise<ResourceView> {
    const res = await operator.post<ResourceView>(`/companies/${companyId}/resources`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  async function createAuthorization(body: Record<string, unknown>): Promise<string> {
    const res = await admin.post<Submission>(`/companies/${company.id}/authorizations`, body);
    expect(res.status).toBe(201);
    return res.body.result.authorizationId as string;
  }

  beforeAll(async () => {
    system = await sharedSystem();
    operator = (await addOperator(system.databaseUrl)).session(system.baseUrl);
    principals = new Queue(QUEUES.principals, { connection: { url: system.redisUrl } });
    company = await newCompany();
    other = await newCompany();
    const maker = await addAdministrator(system.databaseUrl, company.id, { adminSignature: 'INDIVIDUAL', firstName: 'Maker' });
    adminId = maker.userId;
    admin = maker.session(system.baseUrl);
    otherAdmin = (await addAdministrator(system.databaseUrl, other.id, { adminSignature: 'INDIVIDUAL', firstName: 'Elsewhere' })).session(
      system.baseUrl,
    );
    for (const u of [adminId, julie, hugo, lea, paul]) await syncPrincipal(u, company.id);
    await syncPrincipal(stranger, other.id);
    resources.current = await addResource(company.id, {
      kind: 'ACCOUNT',
      contractType: 'CURRENT_ACCOUNT',
      label: 'Compte courant',
      identifier: 'FR7630001007941234567890185',
    });
    resources.savings = await addResource(company.id, {
      kind: 'ACCOUNT',
      contractType: 'SAVINGS_ACCOUNT',
      label: 'Livret',
      identifier: 'FR7630001007949876543210142',
      allowedRights: ['CONSULT', 'MANAGE'],
    });
    resources.transfers = await addResource(company.id, {
      kind: 'CONTRACT',
      contractType: 'SEPA_TRANSFERS',
      label: 'Virements',
      identifier: 'CTR-VIR-000145',
    });
    foreignResource = await addResource(other.id, {
      kind: 'ACCOUNT',
      contractType: 'CURRENT_ACCOUNT',
      label: 'Compte ailleurs',
      identifier: 'FR7610107001011234567890129',
    });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await principals?.close();
  });

  it('serves the catalog with ranked levels', async () => {
    const res =
      await admin.get<Array<{ code: string; rights: Array<{ code: string }>; levels: Array<{ code: string; rank: number }> }>>('/services');
    const einvoicing = res.body.find((s) => s.code === 'EINVOICING')!;
    expect(einvoicing.rights).toHaveLength(7);
    expect(einvoicing.levels.map((l) => l.code)).toEqual(['CONSULT', 'CONSULT_ENTER_VALIDATE']);
  });

  it('lets operators manage resources, administrators read them, and hides them from other companies', async () => {
    const mine = await admin.get<{ items: ResourceView[]; total: number }>(`/companies/${company.id}/resources`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r) => r.identifier).sort()).toEqual([
      'CTR-VIR-000145',
      'FR7630001007941234567890185',
      'FR7630001007949876543210142',
    ]);
    expect((await otherAdmin.get<Problem>(`/companies/${company.id}/resources`)).status).toBe(404);
    expect(
      (
        await admin.post<Problem>(`/companies/${company.id}/resources`, {
          kind: 'ACCOUNT',
          contractType: 'X1',
          label: 'x',
          identifier: 'ABCD1',
        })
      ).status,
    ).toBe(403);
    const dup = await operator.post<Problem>(`/companies/${company.id}/resources`, {
      kind: 'ACCOUNT',
      contractType: 'CURRENT_ACCOUNT',
      label: 'x',
      identifier: 'FR7630001007941234567890185',
    });
    expect(dup.status).toBe(409);
    const patched = await operator.request<ResourceView>('PATCH', `/companies/${company.id}/resources/${resources.transfers.id}`, {
      label: 'Virements SEPA',
    });
    expect(patched.body.label).toBe('Virements SEPA');
  });

  it('runs the seed 000 journey: preview, create for several users, rights effective, check names the authorization', async () => {
    const body = {
      label: 'Comptabilité fournisseurs',
      service: 'EINVOICING',
      effectiveFrom: isoIn(-DAY),
      grants: [
        { right: 'SUPPLIER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' },
        { right: 'SUPPLIER_INVOICE_APPROVAL', level: 'CONSULT' },
      ],
      userIds: [julie, hugo],
    };
    const preview = await admin.post<{ summary: string; diff: { after: { userIds: string[] } }; subjectUserIds: string[] }>(
      `/companies/${company.id}/authorizations/preview`,
      body,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.summary).toContain('Comptabilité fournisseurs');
    expect(preview.body.subjectUserIds.sort()).toEqual([julie, hugo].sort());
    expect((await check(admin, { userId: julie, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' })).body.reason).toBe(
      'NO_AUTHORIZATION',
    );

    const id = await createAuthorization(body);
    const read = await admin.get<AuthorizationView>(`/authorizations/${id}`);
    expect(read.body).toMatchObject({ label: 'Comptabilité fournisseurs', service: 'EINVOICING', version: 1 });
    expect(read.body.userIds.sort()).toEqual([julie, hugo].sort());

    for (const userId of [julie, hugo]) {
      expect(
        (await check(admin, { userId, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' })).body,
      ).toEqual({ allowed: true, reason: 'GRANTED', authorizationId: id });
    }
    expect(
      (await check(admin, { userId: julie, service: 'EINVOICING', right: 'SUPPLIER_INVOICE_APPROVAL', level: 'CONSULT_ENTER_VALIDATE' }))
        .body.reason,
    ).toBe('LEVEL_TOO_LOW');
    const effective = await admin.get<EffectiveRightsView>(`/users/${julie}/effective-rights`);
    expect(effective.body.usable).toBe(true);
    expect(effective.body.rights.map((r) => `${r.right}:${r.level}`).sort()).toEqual([
      'SUPPLIER_INVOICE_APPROVAL:CONSULT',
      'SUPPLIER_INVOICING:CONSULT_ENTER_VALIDATE',
    ]);
    const listed = await admin.get<{ items: AuthorizationView[] }>(`/companies/${company.id}/authorizations?userId=${hugo}`);
    expect(listed.body.items.map((a) => a.id)).toContain(id);

    // detach Hugo: his next check is denied, Julie keeps hers
    const detached = await admin.post<Submission>(`/authorizations/${id}/users`, { detach: [hugo] });
    expect(detached.status).toBe(200);
    expect((await check(admin, { userId: hugo, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' })).body.reason).toBe(
      'NO_AUTHORIZATION',
    );
    expect((await check(admin, { userId: julie, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' })).body.allowed).toBe(
      true,
    );
  });

  it('checks the rules: dates, catalog levels, banking resources, cross-company resources and users', async () => {
    const base = { label: 'Banque', service: 'BANKING', effectiveFrom: isoIn(-DAY), userIds: [paul] };
    const dates = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      endsAt: isoIn(-2 * DAY),
      grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [resources.current.id] }],
    });
    expect(dates.status).toBe(400);
    expect(dates.body.errors?.map((e) => e.field)).toContain('endsAt');
    const level = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: [{ right: 'CONSULT', level: 'CONSULT_ENTER_VALIDATE', resourceIds: [resources.current.id] }],
    });
    expect([level.status, level.body.code]).toEqual([422, 'UNKNOWN_LEVEL']);
    const noResources = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: [{ right: 'CONSULT', level: 'ACCESS' }],
    });
    expect([noResources.status, noResources.body.code]).toEqual([422, 'RESOURCES_REQUIRED']);
    const foreign = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [foreignResource.id] }],
    });
    const missing = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [randomUUID()] }],
    });
    expect([foreign.status, foreign.body.code]).toEqual([422, 'UNKNOWN_RESOURCE']);
    expect(foreign.body.detail.replace(foreignResource.id, 'X')).toBe(missing.body.detail.replace(/[0-9a-f-]{36}/, 'X'));
    const savingsValidate = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: [{ right: 'VALIDATE', level: 'ACCESS', resourceIds: [resources.savings.id] }],
    });
    expect(savingsValidate.body.code).toBe('RIGHT_NOT_ALLOWED_ON_RESOURCE');
    const strangerUser = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      userIds: [stranger],
      grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [resources.current.id] }],
    });
    expect([strangerUser.status, strangerUser.body.code]).toEqual([422, 'UNKNOWN_USER']);
    // another company's administrator sees neither the authorization nor the user
    const id = await createAuthorization({ ...base, grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [resources.current.id] }] });
    expect((await otherAdmin.get<Problem>(`/authorizations/${id}`)).status).toBe(404);
    expect((await otherAdmin.request<Problem>('PATCH', `/authorizations/${id}`, { label: 'pwned' })).status).toBe(404);
    expect((await otherAdmin.post<Problem>('/check', { userId: paul, service: 'BANKING', right: 'CONSULT', level: 'ACCESS' })).status).toBe(
      404,
    );
    expect((await otherAdmin.post<Problem>(`/companies/${company.id}/authorizations`, { ...base, grants: [] })).status).toBe(400);
    const check1 = await check(admin, {
      userId: paul,
      service: 'BANKING',
      right: 'CONSULT',
      level: 'ACCESS',
      resourceId: resources.current.id,
    });
    expect(check1.body).toEqual({ allowed: true, reason: 'GRANTED', authorizationId: id });
    expect(
      (await check(admin, { userId: paul, service: 'BANKING', right: 'CONSULT', level: 'ACCESS', resourceId: resources.savings.id })).body
        .reason,
    ).toBe('RESOURCE_NOT_GRANTED');
    expect((await check(admin, { userId: paul, service: 'BANKING', right: 'TELEPORT', level: 'ACCESS' })).body.reason).toBe(
      'UNKNOWN_RIGHT',
    );
  });

  it('keeps accounting-portal applications to one complete family, never mixed (seed 003)', async () => {
    const base = { label: 'Portail', service: 'ACCOUNTING_PORTAL', effectiveFrom: isoIn(-DAY), userIds: [lea] };
    const g = (...rights: string[]) => rights.map((right) => ({ right, level: 'ACCESS' }));
    const incomplete = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: g('PRODUCTION_COMPTA', 'PRODUCTION_PAIE'),
    });
    expect([incomplete.status, incomplete.body.code]).toEqual([422, 'ACCOUNTING_FAMILY_INCOMPLETE']);
    const mixed = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: g('PRODUCTION_COMPTA', 'PRODUCTION_FISCALITE', 'PRODUCTION_PAIE', 'PRODUCTION_PAIE_CONSULTATION'),
    });
    expect(mixed.body.code).toBe('ACCOUNTING_FAMILIES_MIXED');
    await createAuthorization({ ...base, grants: g('PRODUCTION_COMPTA', 'PRODUCTION_FISCALITE', 'PRODUCTION_PAIE') });
    // a second authorization of the other family for the same user mixes them too
    const second = await admin.post<Problem>(`/companies/${company.id}/authorizations`, {
      ...base,
      grants: g('PRODUCTION_COMPTA_CONSULTATION', 'PRODUCTION_FISCALITE_CONSULTATION', 'PRODUCTION_PAIE_CONSULTATION'),
    });
    expect(second.body.code).toBe('ACCOUNTING_FAMILIES_MIXED');
  });

  it('grants nothing outside the dates, and an end date passing denies the next check with no change at all', async () => {
    const user = randomUUID();
    await syncPrincipal(user, company.id);
    const endsAt = isoIn(3000);
    const future = await createAuthorization({
      label: 'Futur',
      service: 'REPORTS',
      effectiveFrom: isoIn(10 * DAY),
      grants: [{ right: 'ORDER_REPORTS', level: 'ACCESS' }],
      userIds: [user],
    });
    const q = { userId: user, service: 'REPORTS', right: 'ORDER_REPORTS', level: 'ACCESS' };
    expect((await check(admin, q)).body.reason).toBe('OUTSIDE_VALIDITY_DATES');
    expect((await check(admin, { ...q, at: isoIn(11 * DAY) })).body).toEqual({ allowed: true, reason: 'GRANTED', authorizationId: future });
    const ending = await createAuthorization({
      label: 'Bientôt fini',
      service: 'EDI',
      effectiveFrom: isoIn(-DAY),
      endsAt,
      grants: [{ right: 'SEND_DECLARATIONS', level: 'ACCESS' }],
      userIds: [user],
    });
    const edi = { userId: user, service: 'EDI', right: 'SEND_DECLARATIONS', level: 'ACCESS' };
    expect((await check(admin, edi)).body).toEqual({ allowed: true, reason: 'GRANTED', authorizationId: ending });
    await waitFor(async () => (await check(admin, edi)).body.reason === 'OUTSIDE_VALIDITY_DATES', {
      timeoutMs: 10_000,
      what: 'the end date to pass',
    });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(endsAt));
  });

  it('invalidates the compiled rights on every kind of change: update, assign, delete, suspension, credential revocation', async () => {
    const user = randomUUID();
    await syncPrincipal(user, company.id);
    const q = { userId: user, service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' };
    const id = await createAuthorization({
      label: 'Clients',
      service: 'EINVOICING',
      effectiveFrom: isoIn(-DAY),
      grants: [{ right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' }],
      userIds: [user],
    });
    expect((await check(admin, q)).body.allowed).toBe(true); // compiled and cached now
    const lowered = await admin.request<Submission>('PATCH', `/authorizations/${id}`, {
      grants: [{ right: 'CUSTOMER_INVOICING', level: 'CONSULT' }],
    });
    expect(lowered.status).toBe(200);
    expect((await check(admin, q)).body.reason).toBe('LEVEL_TOO_LOW');
    await admin.request('PATCH', `/authorizations/${id}`, {
      grants: [{ right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' }],
      endsAt: isoIn(-1000),
      effectiveFrom: isoIn(-DAY),
    });
    expect((await check(admin, q)).body.reason).toBe('OUTSIDE_VALIDITY_DATES');
    await admin.request('PATCH', `/authorizations/${id}`, { endsAt: null });
    expect((await check(admin, q)).body.allowed).toBe(true);
    await admin.post(`/authorizations/${id}/users`, { detach: [user] });
    expect((await check(admin, q)).body.reason).toBe('NO_AUTHORIZATION');
    await admin.post(`/authorizations/${id}/users`, { attach: [user] });
    expect((await check(admin, q)).body.allowed).toBe(true);

    await syncPrincipal(user, company.id, { status: 'SUSPENDED' });
    expect((await check(admin, q)).body.reason).toBe('USER_SUSPENDED');
    await syncPrincipal(user, company.id, { credentials: [{ id: randomUUID(), validUntil: null, revoked: true, bankingPower: false }] });
    expect((await check(admin, q)).body.reason).toBe('CREDENTIAL_REVOKED');
    await syncPrincipal(user, company.id, {
      credentials: [{ id: randomUUID(), validUntil: isoIn(-1000), revoked: false, bankingPower: false }],
    });
    expect((await check(admin, q)).body.reason).toBe('CREDENTIAL_EXPIRED');
    // an older state arriving late changes nothing
    await principals.add(JOBS.syncPrincipal.name, {
      userId: user,
      companyId: company.id,
      status: 'ACTIVE',
      version: 1,
      // With banking power: these users' banking rights are usable (seed 000; rule 4 of docs/seed-rules.md).
      credentials: [{ id: randomUUID(), validUntil: null, revoked: false, bankingPower: true }],
    });
    await syncPrincipal(user, company.id);
    expect((await check(admin, q)).body.allowed).toBe(true);

    const deleted = await admin.request<Submission>('DELETE', `/authorizations/${id}`);
    expect(deleted.status).toBe(200);
    expect((await check(admin, q)).body.reason).toBe('NO_AUTHORIZATION');
    expect((await admin.get<Problem>(`/authorizations/${id}`)).status).toBe(404);
  });

  it('gives rights from templates, with customisation only for PREPARER and VALIDATOR', async () => {
    const user = randomUUID();
    await syncPrincipal(user, company.id);
    // cached before the change: the apply must invalidate it
    expect(
      (await check(admin, { userId: user, service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: resources.current.id })).body
        .reason,
    ).toBe('NO_AUTHORIZATION');
    const director = await admin.post<Submission>(`/users/${user}/rights/template`, {
      template: 'DIRECTOR',
      services: ['BANKING', 'EINVOICING'],
    });
    expect(director.status).toBe(201);
    const bank = (right: string, resourceId: string) =>
      check(admin, { userId: user, service: 'BANKING', right, level: 'ACCESS', resourceId });
    expect((await bank('VALIDATE', resources.current.id)).body.allowed).toBe(true);
    expect((await bank('VALIDATE', resources.savings.id)).body.reason).toBe('RESOURCE_NOT_GRANTED');
    expect((await bank('MANAGE', resources.savings.id)).body.allowed).toBe(true);
    expect(
      (await check(admin, { userId: user, service: 'EINVOICING', right: 'SUBSCRIPTION', level: 'CONSULT_ENTER_VALIDATE' })).body.allowed,
    ).toBe(true);
    expect(director.body.result.substitutions as Array<{ resourceId: string; given: string }>).toEqual([
      expect.objectContaining({ resourceId: resources.savings.id, requested: 'VALIDATE', given: 'MANAGE' }),
    ]);

    const notCustomisable = await admin.post<Problem>(`/users/${user}/rights/template`, {
      template: 'ACCOUNTANT',
      excludedResourceIds: [resources.current.id],
    });
    expect(notCustomisable.body.code).toBe('TEMPLATE_NOT_CUSTOMISABLE');

    const accountant = randomUUID();
    await syncPrincipal(accountant, company.id);
    await admin.post(`/users/${accountant}/rights/template`, { template: 'ACCOUNTANT' });
    expect(
      (
        await check(admin, {
          userId: accountant,
          service: 'BANKING',
          right: 'CONSULT',
          level: 'ACCESS',
          resourceId: resources.transfers.id,
        })
      ).body.allowed,
    ).toBe(true);
    expect(
      (await check(admin, { userId: accountant, service: 'BANKING', right: 'MANAGE', level: 'ACCESS', resourceId: resources.transfers.id }))
        .body.reason,
    ).toBe('NO_AUTHORIZATION');

    const preparer = randomUUID();
    await syncPrincipal(preparer, company.id);
    await admin.post(`/users/${preparer}/rights/template`, { template: 'PREPARER', excludedResourceIds: [resources.transfers.id] });
    expect(
      (await check(admin, { userId: preparer, service: 'BANKING', right: 'MANAGE', level: 'ACCESS', resourceId: resources.current.id }))
        .body.allowed,
    ).toBe(true);
    expect(
      (await check(admin, { userId: preparer, service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: resources.current.id }))
        .body.reason,
    ).toBe('NO_AUTHORIZATION');
    expect(
      (await check(admin, { userId: preparer, service: 'BANKING', right: 'CONSULT', level: 'ACCESS', resourceId: resources.transfers.id }))
        .body.reason,
    ).toBe('RESOURCE_NOT_GRANTED');

    const validator = randomUUID();
    await syncPrincipal(validator, company.id);
    await admin.post(`/users/${validator}/rights/template`, {
      template: 'VALIDATOR',
      excludedRights: [{ service: 'BANKING', right: 'MANAGE' }],
    });
    expect(
      (
        await check(admin, {
          userId: validator,
          service: 'BANKING',
          right: 'VALIDATE',
          level: 'ACCESS',
          resourceId: resources.transfers.id,
        })
      ).body.allowed,
    ).toBe(true);
    expect(
      (await check(admin, { userId: validator, service: 'BANKING', right: 'MANAGE', level: 'ACCESS', resourceId: resources.transfers.id }))
        .body.reason,
    ).toBe('NO_AUTHORIZATION');
  });

  it("copies another user's rights, excluding services and resources", async () => {
    const source = randomUUID();
    const target = randomUUID();
    await syncPrincipal(source, company.id);
    await syncPrincipal(target, company.id);
    const bankId = await createAuthorization({
      label: 'Banque source',
      service: 'BANKING',
      effectiveFrom: isoIn(-DAY),
      grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [resources.current.id, resources.transfers.id] }],
      userIds: [source],
    });
    const reportsId = await createAuthorization({
      label: 'Rapports',
      service: 'REPORTS',
      effectiveFrom: isoIn(-DAY),
      grants: [{ right: 'ORDER_REPORTS', level: 'ACCESS' }],
      userIds: [source],
    });
    expect((await check(admin, { userId: target, service: 'REPORTS', right: 'ORDER_REPORTS', level: 'ACCESS' })).body.reason).toBe(
      'NO_AUTHORIZATION',
    );
    const einvId = await createAuthorization({
      label: 'Factures',
      service: 'EINVOICING',
      effectiveFrom: isoIn(-DAY),
      grants: [{ right: 'COUNTERPARTIES', level: 'CONSULT' }],
      userIds: [source],
    });
    const copied = await admin.post<Submission>(`/users/${target}/rights/copy`, {
      fromUserId: source,
      excludedServices: ['EINVOICING'],
      excludedResourceIds: [resources.transfers.id],
    });
    expect(copied.status).toBe(201);
    // Copy copies (rule 6 of docs/seed-rules.md): the target gets authorizations of its own, never the source's.
    expect(copied.body.result.attachedAuthorizationIds).toEqual([]);
    expect(copied.body.result.createdAuthorizationIds).toHaveLength(2);
    const reportsCopy = (await check(admin, { userId: target, service: 'REPORTS', right: 'ORDER_REPORTS', level: 'ACCESS' })).body;
    expect(reportsCopy.allowed).toBe(true);
    expect(copied.body.result.createdAuthorizationIds).toContain(reportsCopy.authorizationId);
    expect(reportsCopy.authorizationId).not.toBe(reportsId);
    expect(
      (await check(admin, { userId: target, service: 'BANKING', right: 'CONSULT', level: 'ACCESS', resourceId: resources.current.id })).body
        .allowed,
    ).toBe(true);
    expect(
      (await check(admin, { userId: target, service: 'BANKING', right: 'CONSULT', level: 'ACCESS', resourceId: resources.transfers.id }))
        .body.reason,
    ).toBe('RESOURCE_NOT_GRANTED');
    expect((await check(admin, { userId: target, service: 'EINVOICING', right: 'COUNTERPARTIES', level: 'CONSULT' })).body.reason).toBe(
      'NO_AUTHORIZATION',
    );
    // the source keeps everything
    expect(
      (await check(admin, { userId: source, service: 'BANKING', right: 'CONSULT', level: 'ACCESS', resourceId: resources.transfers.id }))
        .body.authorizationId,
    ).toBe(bankId);
    expect(
      (await check(admin, { userId: source, service: 'EINVOICING', right: 'COUNTERPARTIES', level: 'CONSULT' })).body.authorizationId,
    ).toBe(einvId);
  });

  it('authorizes all with one profile per contract type, substituting the closest lower profile and saying so', async () => {
    const user = randomUUID();
    await syncPrincipal(user, company.id);
    expect(
      (await check(admin, { userId: user, service: 'BANKING', right: 'MANAGE', level: 'ACCESS', resourceId: resources.savings.id })).body
        .reason,
    ).toBe('NO_AUTHORIZATION');
    const res = await admin.post<Submission>(`/users/${user}/rights/authorize-all`, {
      contractTypes: [
        { contractType: 'SAVINGS_ACCOUNT', profile: 'VALIDATE' },
        { contractType: 'SEPA_TRANSFERS', profile: 'MANAGE' },
      ],
      services: [{ service: 'EINVOICING', profile: 'MANAGE' }],
    });
    expect(res.status).toBe(201);
    const subs = res.body.result.substitutions as Array<{
      service: string;
      resourceId?: string;
      requested: string;
      given: string;
      reason: string;
    }>;
    expect(subs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'BANKING', resourceId: resources.savings.id, requested: 'VALIDATE', given: 'MANAGE' }),
        expect.objectContaining({ service: 'EINVOICING', requested: 'MANAGE', given: 'CONSULT' }),
      ]),
    );
    expect(subs).toHaveLength(2);
    expect(
      (await check(admin, { userId: user, service: 'BANKING', right: 'MANAGE', level: 'ACCESS', resourceId: resources.savings.id })).body
        .allowed,
    ).toBe(true);
    expect(
      (await check(admin, { userId: user, service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: resources.transfers.id }))
        .body.reason,
    ).toBe('NO_AUTHORIZATION');
    expect(
      (await check(admin, { userId: user, service: 'BANKING', right: 'MANAGE', level: 'ACCESS', resourceId: resources.current.id })).body
        .reason,
    ).toBe('RESOURCE_NOT_GRANTED');
    expect(
      (await check(admin, { userId: user, service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' })).body
        .reason,
    ).toBe('LEVEL_TOO_LOW');
    const unknownType = await admin.post<Problem>(`/users/${user}/rights/authorize-all`, {
      contractTypes: [{ contractType: 'LOAN', profile: 'CONSULT' }],
    });
    expect(unknownType.body.code).toBe('UNKNOWN_CONTRACT_TYPE');
  });

  it('answers batches of up to 100 questions in order, for colleagues and the operator, and refuses 101', async () => {
    const questions = [
      { userId: julie, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' },
      { userId: hugo, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' },
    ];
    const colleague = userSession(system.baseUrl, { userId: julie, companyId: company.id, clientType: 'STANDARD' });
    for (const session of [colleague, operator]) {
      const res = await session.post<CheckBatchAnswer>('/check/batch', { questions });
      expect(res.status).toBe(200);
      expect(res.body.answers.map((a) => a.reason)).toEqual(['GRANTED', 'NO_AUTHORIZATION']);
    }
    const tooMany = await admin.post<Problem>('/check/batch', { questions: Array.from({ length: 101 }, () => questions[0]) });
    expect(tooMany.status).toBe(400);
    expect(
      (await admin.post<Problem>('/check', { userId: randomUUID(), service: 'REPORTS', right: 'ORDER_REPORTS', level: 'ACCESS' })).status,
    ).toBe(404);
  });

  it("tells identity which services a user's rights cover (banking-power rule) through the seam", async () => {
    const client = new RedisRpcClient(system.redisUrl);
    try {
      const bus = new CommandBus(client, 3000);
      expect(await bus.execute(AuthorizationsSeams.servicesOfUser, { userId: julie, companyId: company.id })).toEqual({
        services: ['EINVOICING'],
      });
      const report = await bus.execute(AuthorizationsSeams.reportRights, { companyId: company.id, userIds: [julie] });
      expect(report[julie].effectiveRights.map((r) => r.right).sort()).toEqual(['SUPPLIER_INVOICE_APPROVAL', 'SUPPLIER_INVOICING']);
      expect(report[julie].pendingChangeRequests).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('seeds demo authorizations for the demo users', async () => {
    const demoAdmin = userSession(system.baseUrl, {
      userId: '00000000-0000-4000-8000-000000000201',
      companyId: DEMO.companies.martin.id,
      clientType: 'ADMINISTRATOR',
    });
    const list = await demoAdmin.get<{ items: AuthorizationView[] }>(`/companies/${DEMO.companies.martin.id}/authorizations`);
    expect(list.body.items.map((a) => a.label)).toEqual(
      expect.arrayContaining(['Direction – banque à distance', 'Comptabilité fournisseurs']),
    );
  });
});
