import {
  ApiKeyIssued,
  ApiKeyView,
  CompanyView,
  OperatorCreated,
  OperatorView,
  Page,
  PortfolioEntry,
  SessionTokens,
  TotpEnrolment,
} from '@procura/contracts';
import {
  addOperator,
  ApiSession,
  FixtureOperator,
  queryRows,
  randomLoginId,
  readCaughtMail,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  waitFor,
} from '@procura/testing';
import argon2 from 'argon2';
import { generateSecret, generateSync } from 'otplib';

// TOTP codes are single use per 30-second step: a test needing several waits for the next step.
jest.setTimeout(240_000);

interface Problem {
  code: string;
  detail?: string;
  errors?: Array<{ field: string }>;
}

const PASSWORD = 'Tournesol-Bleu-2026!';
/** Every secret the test sees: none may appear in a log line. */
const secrets = new Set<string>();

const lastStep = new Map<string, number>();
/** A code as an authenticator app gives it, each time step used once (the server refuses replays). */
async function totp(secret: string): Promise<string> {
  secrets.add(secret);
  const step = await waitFor(
    async () => {
      const current = Math.floor(Date.now() / 30_000);
      const next = Math.max((lastStep.get(secret) ?? 0) + 1, current);
      return next <= current + 1 ? next : undefined;
    },
    { timeoutMs: 35_000, intervalMs: 250, what: 'a fresh TOTP time step' },
  );
  lastStep.set(secret, step);
  return generateSync({ secret, epoch: step * 30 });
}

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${sequence++}`;
const companyInput = (tag: string) => ({
  name: `Opérateurs ${tag} ${unique()}`,
  registrationNumber: `${Date.now()}${sequence++}`.slice(-9),
  billingMode: 'FIRM',
  pricingOffer: 'PREMIUM',
});

/** A supervisor who can sign in (password and TOTP enrolled), of an organisation of its own. */
async function supervisorOf(system: RunningSystem, name: string): Promise<FixtureOperator & { totpSecret: string; loginId: string }> {
  const totpSecret = generateSecret();
  const loginId = randomLoginId();
  const fixture = await addOperator(system.databaseUrl, name, {
    signIn: { passwordHash: await argon2.hash(PASSWORD, { type: argon2.argon2id }), totpSecret, loginId },
  });
  secrets.add(fixture.apiKey);
  return { ...fixture, totpSecret, loginId };
}

describe('Operators as principals (e2e)', () => {
  let system: RunningSystem;
  let anonymous: ApiSession;
  const as = (token: string) => new ApiSession(system.baseUrl, token);
  const emailOf = (operatorId: string) => `operator.${operatorId}@fixture.example`;

  async function signIn(login: string, secret: string, password = PASSWORD): Promise<ApiSession> {
    const res = await anonymous.post<SessionTokens>('/auth/operators/login', { login, password, totpCode: await totp(secret) });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('full');
    return as(res.body.accessToken);
  }

  beforeAll(async () => {
    system = await sharedSystem();
    anonymous = ApiSession.anonymous(system.baseUrl);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  it('signs a supervisor in with e-mail or login id, password and a TOTP code (with the password or after it); failures all look alike', async () => {
    const supervisor = await supervisorOf(system, 'Sylvie Superviseure');
    const email = emailOf(supervisor.operatorId);
    const wrongPassword = await anonymous.post<Problem>('/auth/operators/login', { login: email, password: 'Not-the-password-1' });
    const wrongCode = await anonymous.post<Problem>('/auth/operators/login', { login: email, password: PASSWORD, totpCode: '000000' });
    const unknown = await anonymous.post<Problem>('/auth/operators/login', {
      login: `nobody.${unique()}@fixture.example`,
      password: PASSWORD,
    });
    for (const refused of [wrongPassword, wrongCode, unknown]) {
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toBe(wrongPassword.body.detail);
    }
    const malformed = await anonymous.post<Problem>('/auth/operators/login', { login: '12345678901234', password: PASSWORD });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((e) => e.field)).toEqual(['login']);

    // The password alone opens a session that may only give the code.
    const passwordOnly = await anonymous.post<SessionTokens>('/auth/operators/login', { login: email, password: PASSWORD });
    expect(passwordOnly.body).toMatchObject({ scope: 'totp-verification', totpCodeRequired: true });
    const waiting = as(passwordOnly.body.accessToken);
    expect((await waiting.get('/operators/me')).status).toBe(403);
    expect((await waiting.get('/companies')).status).toBe(403);
    const badCode = await waiting.post<Problem>('/auth/totp/verify', { code: '000000' });
    expect(badCode.status).toBe(422);
    const verified = await waiting.post<SessionTokens>('/auth/totp/verify', { code: await totp(supervisor.totpSecret) });
    expect(verified.body.scope).toBe('full');
    expect((await as(verified.body.accessToken).get<OperatorView>('/operators/me')).body).toMatchObject({
      id: supervisor.operatorId,
      role: 'SUPERVISOR',
    });

    const byEmail = await signIn(email.toUpperCase(), supervisor.totpSecret);
    expect((await byEmail.get<OperatorView>('/operators/me')).status).toBe(200);
    const byLoginId = await signIn(supervisor.loginId, supervisor.totpSecret);
    expect((await byLoginId.get<OperatorView>('/operators/me')).status).toBe(200);
    // A code is accepted once.
    const code = await totp(supervisor.totpSecret);
    expect((await anonymous.post('/auth/operators/login', { login: email, password: PASSWORD, totpCode: code })).status).toBe(200);
    expect((await anonymous.post('/auth/operators/login', { login: email, password: PASSWORD, totpCode: code })).status).toBe(401);
  });

  it('locks an operator after repeated failures: even the right password and code are refused', async () => {
    const supervisor = await supervisorOf(system, 'Laure Verrou');
    const email = emailOf(supervisor.operatorId);
    for (let i = 0; i < 5; i++) {
      const res = await anonymous.post('/auth/operators/login', { login: email, password: `Wrong-password-${i}`, totpCode: '000000' });
      expect(res.status).toBe(401);
    }
    const locked = await anonymous.post('/auth/operators/login', {
      login: email,
      password: PASSWORD,
      totpCode: await totp(supervisor.totpSecret),
    });
    expect(locked.status).toBe(401);
  });

  it('creates a collaborator whose first sign-in goes through the password change and the mandatory TOTP enrolment', async () => {
    const supervisor = await supervisorOf(system, 'Marie Chef');
    const asSupervisor = await signIn(emailOf(supervisor.operatorId), supervisor.totpSecret);
    const email = `camille.${unique()}@cabinet.example`;
    const generic = await asSupervisor.post<Problem>('/operators', {
      name: 'Compta',
      email: `compta.${unique()}@cabinet.example`,
      role: 'COLLABORATOR',
    });
    expect(generic.status).toBe(422);
    expect(generic.body.errors?.map((e) => e.field)).toEqual(['email']);
    const created = await asSupervisor.post<OperatorCreated>('/operators', { name: 'Camille Durand', email, role: 'COLLABORATOR' });
    expect(created.status).toBe(201);
    expect(created.body.operator).toMatchObject({ email, role: 'COLLABORATOR', status: 'ACTIVE', totpEnrolled: false });
    secrets.add(created.body.provisionalPassword);
    const loginId = created.body.operator.loginId!;

    const first = await anonymous.post<SessionTokens>('/auth/operators/login', {
      login: loginId,
      password: created.body.provisionalPassword,
    });
    expect(first.body).toMatchObject({ scope: 'password-change', passwordChangeRequired: true });
    expect((await as(first.body.accessToken).get('/companies')).status).toBe(403);
    const changed = await as(first.body.accessToken).post<SessionTokens>('/auth/password', {
      currentPassword: created.body.provisionalPassword,
      newPassword: PASSWORD,
      newPasswordConfirmation: PASSWORD,
    });
    expect(changed.body).toMatchObject({ scope: 'totp-enrolment', totpEnrolmentRequired: true });
    expect((await as(changed.body.accessToken).get('/companies')).status).toBe(403);
    const enrolment = await as(changed.body.accessToken).post<TotpEnrolment>('/auth/totp/enrol');
    secrets.add(enrolment.body.secret);
    const confirmed = await as(changed.body.accessToken).post<SessionTokens>('/auth/totp/confirm', {
      code: await totp(enrolment.body.secret),
    });
    expect(confirmed.body.scope).toBe('full');
    // Refresh and logout work on operator sessions as on users'.
    const refreshed = await anonymous.post<SessionTokens>('/auth/refresh', { refreshToken: confirmed.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await as(refreshed.body.accessToken).post('/auth/logout')).status).toBe(200);
    expect((await as(refreshed.body.accessToken).get('/operators/me')).status).toBe(401);

    const again = await signIn(email, enrolment.body.secret);
    expect((await again.get<OperatorView>('/operators/me')).body).toMatchObject({ email, totpEnrolled: true });
  });

  it('lets operators reach only their portfolio; supervisors assign and unassign; other organisations get 404', async () => {
    const supervisor = await supervisorOf(system, 'Paul Patron');
    const asSupervisor = await signIn(emailOf(supervisor.operatorId), supervisor.totpSecret);
    const collaboratorSecret = generateSecret();
    const collaborator = await addOperator(system.databaseUrl, 'Chloé Collab', {
      organisationId: supervisor.organisationId,
      role: 'COLLABORATOR',
      signIn: {
        passwordHash: await argon2.hash(PASSWORD, { type: argon2.argon2id }),
        totpSecret: collaboratorSecret,
        loginId: randomLoginId(),
      },
    });
    const asCollaborator = await signIn(emailOf(collaborator.operatorId), collaboratorSecret);
    const [mine, notMine] = await Promise.all([
      asSupervisor.post<CompanyView>('/companies', companyInput('A')),
      asSupervisor.post<CompanyView>('/companies', companyInput('B')),
    ]);
    expect(mine.status).toBe(201);
    expect(mine.body.organisationId).toBe(supervisor.organisationId);

    expect((await asCollaborator.get(`/companies/${mine.body.id}`)).status).toBe(404);
    const assigned = await asSupervisor.request<PortfolioEntry>('PUT', `/operators/${collaborator.operatorId}/portfolio/${mine.body.id}`);
    expect(assigned.status).toBe(200);
    expect((await asCollaborator.get(`/companies/${mine.body.id}`)).status).toBe(200);
    expect((await asCollaborator.get(`/companies/${notMine.body.id}`)).status).toBe(404);
    expect((await asCollaborator.get(`/companies/${notMine.body.id}/users`)).status).toBe(404);
    const listed = await asCollaborator.get<Page<CompanyView>>('/companies');
    expect(listed.body.items.map((c) => c.id)).toEqual([mine.body.id]);
    const portfolio = await asCollaborator.get<Page<PortfolioEntry>>(`/operators/${collaborator.operatorId}/portfolio`);
    expect(portfolio.body.items.map((p) => p.companyId)).toEqual([mine.body.id]);
    // A collaborator manages nobody.
    expect(
      (await asCollaborator.post('/operators', { name: 'Eve Intruse', email: `eve.${unique()}@x.example`, role: 'SUPERVISOR' })).status,
    ).toBe(403);
    expect((await asCollaborator.request('PUT', `/operators/${collaborator.operatorId}/portfolio/${notMine.body.id}`)).status).toBe(403);

    // Another organisation's supervisor sees none of it, and cannot tell it exists.
    const stranger = await supervisorOf(system, 'Xavier Ailleurs');
    const asStranger = await signIn(emailOf(stranger.operatorId), stranger.totpSecret);
    for (const path of [
      `/operators/${collaborator.operatorId}`,
      `/operators/${collaborator.operatorId}/portfolio`,
      `/companies/${mine.body.id}`,
      `/companies/${mine.body.id}/users`,
    ]) {
      expect([path, (await asStranger.get(path)).status]).toEqual([path, 404]);
    }
    expect((await asStranger.request('PUT', `/operators/${stranger.operatorId}/portfolio/${mine.body.id}`)).status).toBe(404);
    expect((await asStranger.post(`/operators/${collaborator.operatorId}/suspend`)).status).toBe(404);
    expect((await stranger.session(system.baseUrl).get(`/companies/${mine.body.id}`)).status).toBe(404);

    const unassigned = await asSupervisor.request('DELETE', `/operators/${collaborator.operatorId}/portfolio/${mine.body.id}`);
    expect(unassigned.status).toBe(200);
    expect((await asCollaborator.get(`/companies/${mine.body.id}`)).status).toBe(404);
    expect((await asCollaborator.get<Page<CompanyView>>('/companies')).body.total).toBe(0);
    // The assignment and its end are in the client's audit trail, naming the supervisor.
    const audit = await asSupervisor.get<{ items: Array<{ action: string; actor: string }> }>(
      `/companies/${mine.body.id}/audit?pageSize=100`,
    );
    expect(audit.status).toBe(200);
    await waitFor(
      async () => {
        const entries = (
          await asSupervisor.get<{ items: Array<{ action: string; actor: string }> }>(`/companies/${mine.body.id}/audit?pageSize=100`)
        ).body.items;
        const actions = entries.filter((e) => e.actor === `operator:${supervisor.operatorId}`).map((e) => e.action);
        return ['operator.assigned', 'operator.unassigned'].every((a) => actions.includes(a));
      },
      { timeoutMs: 20_000, what: 'the assignment audit entries' },
    );
  });

  it('suspends and removes operators: sessions end and keys stop at once; nobody suspends themselves', async () => {
    const supervisor = await supervisorOf(system, 'Henri Direction');
    const asSupervisor = await signIn(emailOf(supervisor.operatorId), supervisor.totpSecret);
    const secret = generateSecret();
    const advisor = await addOperator(system.databaseUrl, 'Agathe Conseil', {
      organisationId: supervisor.organisationId,
      role: 'ADVISOR',
      signIn: { passwordHash: await argon2.hash(PASSWORD, { type: argon2.argon2id }), totpSecret: secret, loginId: randomLoginId() },
    });
    const asAdvisor = await signIn(emailOf(advisor.operatorId), secret);
    const advisorKey = advisor.session(system.baseUrl);
    expect((await asAdvisor.get('/operators/me')).status).toBe(200);
    expect((await advisorKey.get('/operators/me')).status).toBe(200);

    expect((await asSupervisor.post<Problem>(`/operators/${supervisor.operatorId}/suspend`)).status).toBe(422);
    const suspended = await asSupervisor.post<OperatorView>(`/operators/${advisor.operatorId}/suspend`);
    expect(suspended.body.status).toBe('SUSPENDED');
    expect((await asAdvisor.get('/operators/me')).status).toBe(401);
    expect((await advisorKey.get('/operators/me')).status).toBe(401);
    const refused = await anonymous.post('/auth/operators/login', {
      login: emailOf(advisor.operatorId),
      password: PASSWORD,
      totpCode: await totp(secret),
    });
    expect(refused.status).toBe(401);

    expect((await asSupervisor.post<OperatorView>(`/operators/${advisor.operatorId}/reactivate`)).body.status).toBe('ACTIVE');
    await signIn(emailOf(advisor.operatorId), secret);
    expect((await advisorKey.get('/operators/me')).status).toBe(200);
    const removed = await asSupervisor.request<OperatorView>('DELETE', `/operators/${advisor.operatorId}`);
    expect(removed.body.status).toBe('REMOVED');
    expect((await advisorKey.get('/operators/me')).status).toBe(401);
    expect((await asSupervisor.get(`/operators/${advisor.operatorId}`)).status).toBe(404);
    const listed = await asSupervisor.get<Page<OperatorView>>('/operators');
    expect(listed.body.items.map((o) => o.id)).toEqual([supervisor.operatorId]);
  });

  it('issues API keys through the API (step-up, hashed, shown once), records their last use, rotates and revokes them', async () => {
    const supervisor = await supervisorOf(system, 'Kevin Clés');
    const asSupervisor = await signIn(emailOf(supervisor.operatorId), supervisor.totpSecret);
    const company = await asSupervisor.post<CompanyView>('/companies', companyInput('K'));

    const noStepUp = await asSupervisor.post<Problem>('/api-keys', { label: 'ERP', totpCode: '000000' });
    expect(noStepUp.status).toBe(403);
    expect(noStepUp.body.code).toBe('STEP_UP_FAILED');
    const issued = await asSupervisor.post<ApiKeyIssued>('/api-keys', { label: 'ERP', totpCode: await totp(supervisor.totpSecret) });
    expect(issued.status).toBe(201);
    secrets.add(issued.body.apiKey);
    expect(issued.body.key).toMatchObject({ label: 'ERP', operatorId: supervisor.operatorId, lastUsedAt: null, revokedAt: null });
    const stored = await queryHashes(system.databaseUrl, issued.body.key.id);
    expect(stored).not.toContain(issued.body.apiKey);

    const machine = ApiSession.operator(system.baseUrl, issued.body.apiKey);
    expect((await machine.get(`/companies/${company.body.id}`)).status).toBe(200);
    // A key does client work, not the organisation's management.
    expect((await machine.get<Problem>('/operators')).body.code).toBe('INTERACTIVE_SIGN_IN_REQUIRED');
    const keys = await asSupervisor.get<Page<ApiKeyView>>('/api-keys');
    const listedKey = keys.body.items.find((k) => k.id === issued.body.key.id)!;
    expect(listedKey.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(keys.body)).not.toContain(issued.body.apiKey);

    const rotated = await asSupervisor.post<ApiKeyIssued>(`/api-keys/${issued.body.key.id}/rotate`, {
      totpCode: await totp(supervisor.totpSecret),
    });
    expect(rotated.status).toBe(201);
    secrets.add(rotated.body.apiKey);
    expect((await machine.get(`/companies/${company.body.id}`)).status).toBe(401);
    const rotatedMachine = ApiSession.operator(system.baseUrl, rotated.body.apiKey);
    expect((await rotatedMachine.get(`/companies/${company.body.id}`)).status).toBe(200);
    const revoked = await asSupervisor.post<ApiKeyView>(`/api-keys/${rotated.body.key.id}/revoke`);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await rotatedMachine.get(`/companies/${company.body.id}`)).status).toBe(401);

    const stranger = await supervisorOf(system, 'Yann Dehors');
    const asStranger = await signIn(emailOf(stranger.operatorId), stranger.totpSecret);
    expect((await asStranger.post(`/api-keys/${issued.body.key.id}/revoke`)).status).toBe(404);
  });

  it('seed 003: a collaborator sets up a client (administrator, two users, one activated later with a prepared credential, an accounting family) as change requests; the deferred user, once activated, signs in with their e-mail', async () => {
    const supervisor = await supervisorOf(system, 'Firmin Cabinet');
    const secret = generateSecret();
    const collaborator = await addOperator(system.databaseUrl, 'Clara Collaboratrice', {
      organisationId: supervisor.organisationId,
      role: 'COLLABORATOR',
      signIn: { passwordHash: await argon2.hash(PASSWORD, { type: argon2.argon2id }), totpSecret: secret, loginId: randomLoginId() },
    });
    const asCollaborator = await signIn(emailOf(collaborator.operatorId), secret);
    // Seed 003: the client's users sign in with their e-mail ("sert d'identifiant unique").
    const company = await asCollaborator.post<CompanyView>('/companies', {
      ...companyInput('Client'),
      billingMode: 'FIRM',
      signInWith: 'EMAIL',
    });
    expect(company.status).toBe(201);
    expect(company.body.signInWith).toBe('EMAIL');
    const tag = unique();
    const person = (firstName: string, clientType: string, extra: Record<string, unknown> = {}) => ({
      lastName: 'Girard',
      firstName,
      birthDate: '1985-05-05',
      email: `${firstName.toLowerCase()}.girard.${tag}@client.example`,
      clientType,
      ...extra,
    });
    const family = ['PRODUCTION_COMPTA', 'PRODUCTION_FISCALITE', 'PRODUCTION_PAIE'].map((right) => ({ right, level: 'ACCESS' }));
    const portal = (grants: Array<{ right: string; level: string }>, userRefs: string[]) => ({
      kind: 'AUTHORIZATION_CREATE',
      payload: {
        label: 'Portail comptable',
        service: 'ACCOUNTING_PORTAL',
        effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
        grants,
        userIds: userRefs.map((ref) => ({ $ref: ref })),
      },
    });
    const setUp = (grants: Array<{ right: string; level: string }>) => ({
      items: [
        { kind: 'USER_CREATE', ref: 'admin', payload: person('Gaspard', 'ADMINISTRATOR', { adminSignature: 'INDIVIDUAL' }) },
        { kind: 'USER_CREATE', ref: 'now', payload: person('Nina', 'STANDARD') },
        { kind: 'USER_CREATE', ref: 'later', payload: person('Lucas', 'STANDARD', { activationMode: 'DEFERRED' }) },
        portal(grants, ['now', 'later']),
        {
          kind: 'CREDENTIAL_CREATE',
          payload: { userId: { $ref: 'later' }, type: 'PERMANENT', bankingPower: false, sendWelcomeEmail: false },
        },
      ],
    });
    // One complete family, never mixed (seed 003).
    const mixed = await asCollaborator.post<Problem>(
      `/companies/${company.body.id}/change-requests`,
      setUp([...family.slice(0, 2), { right: 'PRODUCTION_PAIE_CONSULTATION', level: 'ACCESS' }]),
    );
    expect(mixed.status).toBe(422);
    expect(JSON.stringify(mixed.body)).toMatch(/famil/i);
    const applied = await asCollaborator.post<{ status: string; changeRequestId: string; revealOnce?: { provisionalPassword: string } }>(
      `/companies/${company.body.id}/change-requests`,
      setUp(family),
    );
    expect([applied.status, applied.status === 201 ? applied.body.status : applied.body]).toEqual([201, 'APPLIED']);
    const users = (
      await asCollaborator.get<Page<{ id: string; firstName: string; status: string; email: string }>>(
        `/companies/${company.body.id}/users`,
      )
    ).body.items;
    const lucas = users.find((u) => u.firstName === 'Lucas')!;
    expect(lucas.status).toBe('REGISTERED');
    const request = await asCollaborator.get<{ makerUserId: string; makerKind: string }>(
      `/change-requests/${applied.body.changeRequestId}`,
    );
    expect(request.body).toMatchObject({ makerUserId: collaborator.operatorId, makerKind: 'operator' });
    // The prepared credential sent no welcome e-mail: the user is not active yet.
    const credential = (await asCollaborator.get<Array<{ id: string; loginId: string }>>(`/users/${lucas.id}/credentials`)).body[0];
    expect(credential).toBeDefined();
    const welcomeJobs = () =>
      queryRows(system.databaseUrl, `SELECT job_id FROM identity.outbox WHERE job_name = 'send-email' AND job_id LIKE $1`, [
        `welcome.${credential.id}%`,
      ]);
    expect(await welcomeJobs()).toHaveLength(0);

    const activated = await asCollaborator.post<{ status: string }>(`/companies/${company.body.id}/change-requests`, {
      items: [{ kind: 'USER_ACTIVATE', payload: { userId: lucas.id } }],
    });
    expect(activated.status).toBe(201);
    await waitFor(async () => (await welcomeJobs()).length === 1, { timeoutMs: 10_000, what: 'the welcome e-mail at the activation' });
    // The rights check learns of the activation asynchronously (identity's principal job).
    const question = { userId: lucas.id, service: 'ACCOUNTING_PORTAL', right: 'PRODUCTION_PAIE', level: 'ACCESS' };
    await waitFor(async () => (await asCollaborator.post<{ allowed: boolean }>('/check', question)).body.allowed, {
      timeoutMs: 20_000,
      what: "the activated user's accounting right",
    });

    // The welcome e-mail says to sign in with the e-mail; Lucas then does, with the provisional
    // password shown once to the collaborator (he has no phone).
    const lucasEmail = person('Lucas', 'STANDARD').email;
    const welcome = await waitFor(async () => (await readCaughtMail()).find((m) => m.to.includes(lucasEmail)), {
      timeoutMs: 30_000,
      what: "Lucas's welcome e-mail",
    });
    expect(welcome.text).toContain(`Votre identifiant de connexion est votre adresse e-mail : ${lucasEmail}`);
    expect(welcome.text).not.toContain(credential.loginId);
    const provisionalPassword = applied.body.revealOnce!.provisionalPassword;
    secrets.add(provisionalPassword);
    const byEmail = await anonymous.post<SessionTokens>('/auth/login', { login: lucasEmail.toUpperCase(), password: provisionalPassword });
    expect([byEmail.status, byEmail.body.scope]).toEqual([200, 'password-change']);
    // Nothing tells who exists: his login id (not what his company signs in with), an unknown
    // e-mail and a wrong password get the same answer.
    const refusals = await Promise.all(
      [
        { login: credential.loginId, password: provisionalPassword },
        { login: `nobody.${tag}@client.example`, password: provisionalPassword },
        { login: lucasEmail, password: 'Not-His-Password-1' },
      ].map((body) => anonymous.post<Problem>('/auth/login', body)),
    );
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(new Set(refusals.map((r) => JSON.stringify({ code: r.body.code, detail: r.body.detail }))).size).toBe(1);

    // The client's audit trail names the collaborator as the maker.
    await waitFor(
      async () => {
        const entries = (
          await asCollaborator.get<{ items: Array<{ action: string; actor: string }> }>(`/companies/${company.body.id}/audit?pageSize=100`)
        ).body.items;
        return (
          entries.filter((e) => e.actor === `operator:${collaborator.operatorId}` && e.action === 'CHANGE_REQUEST_SUBMITTED').length === 2
        );
      },
      { timeoutMs: 20_000, what: "the operator's change requests in the client's audit trail" },
    );

    // Another firm's operator gets 404 on every one of these resources.
    const stranger = await supervisorOf(system, 'Oscar Autrecabinet');
    const asStranger = await signIn(emailOf(stranger.operatorId), stranger.totpSecret);
    for (const path of [
      `/companies/${company.body.id}`,
      `/companies/${company.body.id}/users`,
      `/users/${lucas.id}`,
      `/users/${lucas.id}/credentials`,
      `/change-requests/${applied.body.changeRequestId}`,
      `/companies/${company.body.id}/audit`,
    ]) {
      expect([path, (await asStranger.get(path)).status]).toEqual([path, 404]);
    }
    const strangerSubmit = await asStranger.post(`/companies/${company.body.id}/change-requests`, {
      items: [{ kind: 'USER_SUSPEND', payload: { userId: lucas.id } }],
    });
    expect(strangerSubmit.status).toBe(404);
    expect(
      (await asStranger.post('/check', { userId: lucas.id, service: 'ACCOUNTING_PORTAL', right: 'PRODUCTION_PAIE', level: 'ACCESS' }))
        .status,
    ).toBe(404);
  });

  it('writes no password, TOTP secret or API key to any log', () => {
    const output = system.allOutput();
    const leaked = [...secrets].filter((secret) => output.includes(secret));
    expect(leaked).toEqual([]);
  });
});

async function queryHashes(databaseUrl: string, keyId: string): Promise<string> {
  const rows = await queryRows<{ key_hash: string; key_prefix: string }>(
    databaseUrl,
    'SELECT key_hash, key_prefix FROM identity.operator_api_keys WHERE id = $1',
    [keyId],
  );
  return JSON.stringify(rows);
}
