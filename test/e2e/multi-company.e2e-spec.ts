import { CompanyMembershipView, CompanyView, Page, SessionTokens, TotpEnrolment, UserView } from '@procura/contracts';
import { addOperator, ApiSession, queryRows, RunningSystem, sharedSystem, SYSTEM_START_HOOK_TIMEOUT_MS, waitFor } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { generateSync } from 'otplib';

// Seed 003 "accès aux dossiers" (issue 16, item 4): one person, a user of two companies, with
// separate rights, credential and status in each; one sign-in, then a switch of company.
jest.setTimeout(240_000);

interface Problem {
  code: string;
  detail?: string;
}

interface ChangeAnswer {
  status: string;
  id?: string;
  changeRequestId?: string;
  revealOnce?: { provisionalPassword: string };
}

const PASSWORD = 'Tournesol-Dossiers-2026!';
let sequence = 0;
const unique = () => `${Date.now().toString(36)}${sequence++}`;
const companyInput = (tag: string, extra: Record<string, unknown> = {}) => ({
  name: `Dossier ${tag} ${unique()}`,
  registrationNumber: `${Date.now()}${sequence++}`.slice(-9),
  billingMode: 'FIRM',
  pricingOffer: 'PREMIUM',
  ...extra,
});
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string; cid: string };
const family = ['PRODUCTION_COMPTA', 'PRODUCTION_FISCALITE', 'PRODUCTION_PAIE'].map((right) => ({ right, level: 'ACCESS' }));
const accountingQuestion = (userId: string) => ({ userId, service: 'ACCOUNTING_PORTAL', right: 'PRODUCTION_PAIE', level: 'ACCESS' });

describe('One person, several companies (e2e)', () => {
  let system: RunningSystem;
  let anonymous: ApiSession;
  let operator: ApiSession;
  const as = (token: string) => new ApiSession(system.baseUrl, token);

  beforeAll(async () => {
    system = await sharedSystem();
    anonymous = ApiSession.anonymous(system.baseUrl);
    operator = (await addOperator(system.databaseUrl, 'Cabinet Dossiers')).session(system.baseUrl);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  it('a person who is a user of two companies signs in once, acts in each, and rights, tokens and audit stay within each company', async () => {
    const tag = unique();
    const companyA = (await operator.post<CompanyView>('/companies', companyInput('A', { signInWith: 'EMAIL' }))).body;
    const companyB = (await operator.post<CompanyView>('/companies', companyInput('B'))).body;
    const claire = { lastName: 'Fontaine', firstName: 'Claire', birthDate: '1983-03-14', email: `claire.fontaine.${tag}@dossiers.example` };
    const colleague = (firstName: string) => ({
      lastName: 'Perrin',
      firstName,
      birthDate: '1991-07-07',
      email: `${firstName.toLowerCase()}.perrin.${tag}@dossiers.example`,
      clientType: 'STANDARD',
    });

    // Company A registers Claire (the billed company: she signs in there by default), a
    // colleague, her accounting family and her credential: one request.
    const setUpA = await operator.post<ChangeAnswer>(`/companies/${companyA.id}/change-requests`, {
      items: [
        { kind: 'USER_CREATE', ref: 'claire', payload: { ...claire, clientType: 'ADMINISTRATOR', adminSignature: 'INDIVIDUAL' } },
        { kind: 'USER_CREATE', payload: colleague('Tom') },
        {
          kind: 'AUTHORIZATION_CREATE',
          payload: {
            label: 'Portail comptable',
            service: 'ACCOUNTING_PORTAL',
            effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
            grants: family,
            userIds: [{ $ref: 'claire' }],
          },
        },
        {
          kind: 'CREDENTIAL_CREATE',
          payload: { userId: { $ref: 'claire' }, type: 'PERMANENT', bankingPower: false, sendWelcomeEmail: false },
        },
      ],
    });
    expect([setUpA.status, setUpA.body.status]).toEqual([201, 'APPLIED']);
    const provisionalPassword = setUpA.body.revealOnce!.provisionalPassword;

    // Company B: her e-mail already identifies a person, so only naming that person (e-mail,
    // names and birth date all theirs) gives her a membership here.
    const submitB = (payload: Record<string, unknown>, extra: unknown[] = []) =>
      operator.post<ChangeAnswer & Problem>(`/companies/${companyB.id}/change-requests`, {
        items: [{ kind: 'USER_CREATE', ref: 'claire', payload: { ...claire, clientType: 'ADMINISTRATOR', ...payload } }, ...extra],
      });
    expect(JSON.stringify((await submitB({})).body)).toContain('EMAIL_ALREADY_USED');
    expect(JSON.stringify((await submitB({ existingPerson: true, birthDate: '1983-03-15' })).body)).toContain('PERSON_NOT_FOUND');
    const setUpB = await submitB({ existingPerson: true, email: claire.email.toUpperCase(), adminSignature: 'INDIVIDUAL' }, [
      { kind: 'USER_CREATE', payload: colleague('Bob') },
      {
        kind: 'CREDENTIAL_CREATE',
        payload: { userId: { $ref: 'claire' }, type: 'PERMANENT', bankingPower: true, sendWelcomeEmail: false },
      },
    ]);
    expect([setUpB.status, setUpB.body.status]).toEqual([201, 'APPLIED']);
    expect(JSON.stringify((await submitB({ existingPerson: true })).body)).toContain('ALREADY_A_USER');

    const usersOf = async (companyId: string) =>
      (await operator.get<Page<UserView>>(`/companies/${companyId}/users?pageSize=100`)).body.items;
    const [usersA, usersB] = await Promise.all([usersOf(companyA.id), usersOf(companyB.id)]);
    const claireA = usersA.find((u) => u.firstName === 'Claire')!;
    const claireB = usersB.find((u) => u.firstName === 'Claire')!;
    const tom = usersA.find((u) => u.firstName === 'Tom')!;
    expect(claireA.id).not.toBe(claireB.id);

    // One sign-in, with her e-mail (company A signs in with it): password change, TOTP enrolment.
    const first = await anonymous.post<SessionTokens>('/auth/login', { login: claire.email, password: provisionalPassword });
    expect([first.status, first.body.scope]).toEqual([200, 'password-change']);
    const changed = await as(first.body.accessToken).post<SessionTokens>('/auth/password', {
      currentPassword: provisionalPassword,
      newPassword: PASSWORD,
      newPasswordConfirmation: PASSWORD,
    });
    expect(changed.body.scope).toBe('totp-enrolment');
    const enrolment = await as(changed.body.accessToken).post<TotpEnrolment>('/auth/totp/enrol', {});
    const confirmed = await as(changed.body.accessToken).post<SessionTokens>('/auth/totp/confirm', {
      code: generateSync({ secret: enrolment.body.secret }),
    });
    expect(confirmed.body.scope).toBe('full');
    const inA = as(confirmed.body.accessToken);
    expect(claimsOf(confirmed.body.accessToken)).toMatchObject({ sub: claireA.id, cid: companyA.id });

    // Her companies; the session acts in A.
    const companies = await inA.get<CompanyMembershipView[]>('/auth/companies');
    expect(companies.body.map((c) => [c.companyId, c.userId, c.current]).sort()).toEqual(
      [
        [companyA.id, claireA.id, true],
        [companyB.id, claireB.id, false],
      ].sort(),
    );

    // Acting in A: a change submitted there is A's, made by her membership of A.
    const change = await inA.post<ChangeAnswer>(`/companies/${companyA.id}/change-requests`, {
      items: [{ kind: 'USER_UPDATE', payload: { userId: tom.id, phone: '+33612340000' } }],
    });
    expect([200, 201, 202]).toContain(change.status);
    const requestId = change.body.changeRequestId ?? change.body.id;
    const request = await inA.get<{ companyId: string; makerUserId: string }>(`/change-requests/${requestId}`);
    expect(request.body).toMatchObject({ companyId: companyA.id, makerUserId: claireA.id });
    // The right granted in A is hers in A.
    await waitFor(async () => (await inA.post<{ allowed: boolean }>('/check', accountingQuestion(claireA.id))).body.allowed, {
      timeoutMs: 20_000,
      what: "Claire's accounting right in company A",
    });
    // A token for A is refused on B's resources, as for anybody outside B.
    for (const path of [
      `/companies/${companyB.id}`,
      `/companies/${companyB.id}/users`,
      `/users/${claireB.id}`,
      `/companies/${companyB.id}/audit`,
    ])
      expect([path, (await inA.get(path)).status]).toEqual([path, 404]);
    expect((await inA.post('/check', accountingQuestion(claireB.id))).status).toBe(404);

    // Switching: no password again; the session in A ends, the new one acts in B only.
    expect((await inA.post<Problem>('/auth/switch-company', { companyId: companyA.id })).body.code).toBe('ALREADY_IN_COMPANY');
    expect((await inA.post('/auth/switch-company', { companyId: randomUUID() })).status).toBe(404);
    const switched = await inA.post<SessionTokens>('/auth/switch-company', { companyId: companyB.id });
    expect([switched.status, switched.body.scope]).toEqual([200, 'full']);
    expect(claimsOf(switched.body.accessToken)).toMatchObject({ sub: claireB.id, cid: companyB.id });
    expect((await inA.get('/auth/me')).status).toBe(401);
    const inB = as(switched.body.accessToken);
    expect((await inB.get<UserView>('/auth/me')).body).toMatchObject({ id: claireB.id, companyId: companyB.id });
    expect((await inB.get<CompanyMembershipView[]>('/auth/companies')).body.find((c) => c.current)?.companyId).toBe(companyB.id);
    // Acting in B: she reads B's users (an administrator there too).
    const readB = await inB.get<Page<UserView>>(`/companies/${companyB.id}/users`);
    expect([readB.status, readB.body.items.map((u) => u.firstName).sort()]).toEqual([200, ['Bob', 'Claire']]);
    // The right granted in A is never granted by the check in B; A's resources are not found from B.
    const inBCheck = await waitFor(
      async () => {
        const res = await inB.post<{ allowed: boolean }>('/check', accountingQuestion(claireB.id));
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 20_000, what: "company B's check of Claire" },
    );
    expect(inBCheck.allowed).toBe(false);
    expect((await operator.post<{ allowed: boolean }>('/check', accountingQuestion(claireB.id))).body.allowed).toBe(false);
    for (const path of [`/companies/${companyA.id}/users`, `/users/${claireA.id}`, `/users/${tom.id}`, `/change-requests/${requestId}`])
      expect([path, (await inB.get(path)).status]).toEqual([path, 404]);
    expect((await inB.post('/check', accountingQuestion(claireA.id))).status).toBe(404);

    // Back to A, still without a password; the session's TOTP (given at enrolment) counts.
    const back = await inB.post<SessionTokens>('/auth/switch-company', { companyId: companyA.id });
    expect([back.status, back.body.scope]).toEqual([200, 'full']);
    expect(claimsOf(back.body.accessToken)).toMatchObject({ sub: claireA.id, cid: companyA.id });
    expect((await inB.get('/auth/me')).status).toBe(401);
    const inAAgain = as(back.body.accessToken);

    // Credential state is per company: B revokes her credential there; A is untouched.
    const credentialB = (await operator.get<Array<{ id: string }>>(`/users/${claireB.id}/credentials`)).body[0];
    const revoked = await operator.post<ChangeAnswer>(`/companies/${companyB.id}/change-requests`, {
      items: [{ kind: 'CREDENTIAL_REVOKE', payload: { credentialId: credentialB.id } }],
    });
    expect(revoked.status).toBe(201);
    const refused = await inAAgain.post<Problem>('/auth/switch-company', { companyId: companyB.id });
    expect([refused.status, refused.body.code]).toEqual([403, 'COMPANY_ACCESS_NOT_POSSIBLE']);
    expect((await inAAgain.get<UserView>('/auth/me')).body.id).toBe(claireA.id);

    // Every audit entry names the company acted in: the switch is written in both, each as that company's user.
    const audits = await queryRows<{ company: string; actor: string; action: string }>(
      system.databaseUrl,
      `SELECT payload->>'companyId' AS company, payload->>'actor' AS actor, payload->>'action' AS action
         FROM identity.outbox WHERE job_name = 'record-audit-event' AND payload->>'action' LIKE 'session.company-switch%'
          AND payload->>'companyId' IN ($1, $2) ORDER BY created_at`,
      [companyA.id, companyB.id],
    );
    expect(audits).toEqual(
      expect.arrayContaining([
        { company: companyA.id, actor: `user:${claireA.id}`, action: 'session.company-switched-away' },
        { company: companyB.id, actor: `user:${claireB.id}`, action: 'session.company-switched-in' },
        { company: companyB.id, actor: `user:${claireB.id}`, action: 'session.company-switched-away' },
        { company: companyA.id, actor: `user:${claireA.id}`, action: 'session.company-switched-in' },
      ]),
    );
    for (const entry of audits) expect(entry.actor).toBe(`user:${entry.company === companyA.id ? claireA.id : claireB.id}`);
    // The change she made in A is in A's audit trail under her membership of A, and nowhere in B's.
    const trail = async (companyId: string) =>
      (await operator.get<{ items: Array<{ actor: string; action: string }> }>(`/companies/${companyId}/audit?pageSize=100`)).body.items;
    await waitFor(
      async () => (await trail(companyA.id)).some((e) => e.actor === `user:${claireA.id}` && /SUBMITTED|APPLIED/i.test(e.action)),
      {
        timeoutMs: 20_000,
        what: "Claire's change in company A's audit trail",
      },
    );
    expect((await trail(companyB.id)).filter((e) => e.actor === `user:${claireA.id}`)).toEqual([]);
  });

  it("asks for the other company's TOTP code when the session began without one, and keeps a strong-authentication company closed to a password-only session", async () => {
    const tag = unique();
    // Home asks for no strong authentication: a password alone opens a full session there.
    const home = (await operator.post<CompanyView>('/companies', companyInput('Maison', { requireStrongAuth: false }))).body;
    const coded = (await operator.post<CompanyView>('/companies', companyInput('Code'))).body;
    const strict = (await operator.post<CompanyView>('/companies', companyInput('Forte'))).body;
    expect([coded.requireStrongAuth, strict.requireStrongAuth]).toEqual([true, true]);
    const leon = { lastName: 'Marchand', firstName: 'Léon', birthDate: '1979-11-02', email: `leon.marchand.${tag}@dossiers.example` };

    /** Léon's membership of a company, with a credential; its login id and provisional password. */
    const member = async (company: CompanyView, existingPerson: boolean) => {
      const setUp = await operator.post<ChangeAnswer>(`/companies/${company.id}/change-requests`, {
        items: [
          { kind: 'USER_CREATE', ref: 'leon', payload: { ...leon, clientType: 'STANDARD', ...(existingPerson ? { existingPerson } : {}) } },
          {
            kind: 'CREDENTIAL_CREATE',
            payload: { userId: { $ref: 'leon' }, type: 'PERMANENT', bankingPower: false, sendWelcomeEmail: false },
          },
        ],
      });
      expect([setUp.status, setUp.body.status]).toEqual([201, 'APPLIED']);
      const user = (await operator.get<Page<UserView>>(`/companies/${company.id}/users?pageSize=100`)).body.items.find(
        (u) => u.email === leon.email,
      )!;
      const [credential] = (await operator.get<Array<{ loginId: string }>>(`/users/${user.id}/credentials`)).body;
      return { userId: user.id, loginId: credential.loginId, provisional: setUp.body.revealOnce!.provisionalPassword };
    };
    const atHome = await member(home, false);
    const atCoded = await member(coded, true);
    await member(strict, true);
    /** First sign-in of a membership: the provisional password changed; the tokens it ends with. */
    const firstSignIn = async (m: { loginId: string; provisional: string }) => {
      const first = await anonymous.post<SessionTokens>('/auth/login', { login: m.loginId, password: m.provisional });
      expect(first.body.scope).toBe('password-change');
      return as(first.body.accessToken).post<SessionTokens>('/auth/password', {
        currentPassword: m.provisional,
        newPassword: PASSWORD,
        newPasswordConfirmation: PASSWORD,
      });
    };

    // Léon enrols his authenticator in the second company, signing in there directly.
    const codedSession = await firstSignIn(atCoded);
    expect(codedSession.body.scope).toBe('totp-enrolment');
    const enrolment = await as(codedSession.body.accessToken).post<TotpEnrolment>('/auth/totp/enrol', {});
    const step = Math.floor(Date.now() / 30_000);
    const codeAt = (s: number) => generateSync({ secret: enrolment.body.secret, epoch: s * 30 });
    const confirmed = await as(codedSession.body.accessToken).post<SessionTokens>('/auth/totp/confirm', { code: codeAt(step) });
    expect(confirmed.body.scope).toBe('full');

    // At home his password alone opens a full session: no second factor.
    const homeSession = await firstSignIn(atHome);
    expect(homeSession.body.scope).toBe('full');
    const atHomeApi = as(homeSession.body.accessToken);
    expect((await atHomeApi.get<CompanyMembershipView[]>('/auth/companies')).body.map((c) => c.companyId).sort()).toEqual(
      [home.id, coded.id, strict.id].sort(),
    );

    // The strong-authentication company whose credential has no TOTP yet: not from a password-only session.
    const toStrict = await atHomeApi.post<Problem>('/auth/switch-company', { companyId: strict.id });
    expect([toStrict.status, toStrict.body.code]).toEqual([403, 'COMPANY_STRONG_AUTH_REQUIRED']);
    // The company where he enrolled: its code is asked for, a wrong one refused, the right one lets him in.
    const noCode = await atHomeApi.post<Problem & { errors?: Array<{ field: string }> }>('/auth/switch-company', { companyId: coded.id });
    expect([noCode.status, noCode.body.code, noCode.body.errors?.map((e) => e.field)]).toEqual([422, 'TOTP_CODE_REQUIRED', ['totpCode']]);
    const wrongCode = await atHomeApi.post<Problem>('/auth/switch-company', { companyId: coded.id, totpCode: '000000' });
    expect(wrongCode.status).toBeGreaterThanOrEqual(400);
    expect(wrongCode.status).toBeLessThan(500);
    // The code of the next time step (the confirmation used this one; each step's code works once).
    const switched = await atHomeApi.post<SessionTokens>('/auth/switch-company', { companyId: coded.id, totpCode: codeAt(step + 1) });
    expect([switched.status, switched.body.scope]).toEqual([200, 'full']);
    expect(claimsOf(switched.body.accessToken)).toMatchObject({ sub: atCoded.userId, cid: coded.id });
    expect((await atHomeApi.get('/auth/me')).status).toBe(401);

    // The refusal is audited in the company refused, under his membership there.
    const refusals = await queryRows<{ reason: string | null }>(
      system.databaseUrl,
      `SELECT payload->'details'->>'reason' AS reason FROM identity.outbox
        WHERE job_name = 'record-audit-event' AND payload->>'companyId' = $1 AND payload->>'action' = 'session.company-switch-refused'`,
      [strict.id],
    );
    expect(refusals.map((r) => r.reason)).toEqual(['strong-authentication-required']);
  });
});
