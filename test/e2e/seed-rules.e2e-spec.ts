// The rules the seeds state (issue #17), each through the HTTP API, on the shared system.
import { ChangePreview, ChangeRequestView, ChangeSubmissionResult, CompanyView } from '@procura/contracts';
import {
  addAdministrator,
  addOperator,
  addUsers,
  ApiSession,
  CaughtMail,
  projectPrincipal,
  queryRows,
  readCaughtMail,
  FixtureAdministrator,
  FixtureOperator,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  TotpCodes,
  waitFor,
  waitForMail,
} from '@procura/testing';
import { DEV_SECRETS } from '@procura/config';
import { openSecret, type SealedSecret } from '@procura/security';
import { randomUUID } from 'node:crypto';
import { readPdf } from '../../apps/reporting/src/reports/render/read-pdf.testing';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; messages: string[] }>;
}
type Answer<T> = T & Partial<Omit<Problem, 'status'>>;

let seq = 0;
function companyInput() {
  seq++;
  const digits = `${Date.now()}${seq}`.slice(-9);
  return { name: `Seed rules ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' };
}

describe('Rules the seeds state (e2e)', () => {
  let system: RunningSystem;
  let operator: FixtureOperator;

  beforeAll(async () => {
    system = await sharedSystem();
    operator = await addOperator(system.databaseUrl, 'Seed rules operator');
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  const newCompany = async () => (await operator.session(system.baseUrl).post<CompanyView>('/companies', companyInput())).body;
  /** A current account of the company, added by its operator. */
  const addAccount = async (companyId: string, label: string) => {
    const res = await operator.session(system.baseUrl).post<{ id: string }>(`/companies/${companyId}/resources`, {
      kind: 'ACCOUNT',
      contractType: 'CURRENT_ACCOUNT',
      label,
      identifier: `FR76${Date.now()}${seq++}`,
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  /** Orders the company's access-rights report and reads its PDF's text, spaces collapsed. */
  const accessRightsReportText = async (session: ApiSession, companyId: string) => {
    const ordered = await session.post<{ id: string }>(`/companies/${companyId}/reports`, { type: 'ACCESS_RIGHTS' });
    expect(ordered.status).toBe(202);
    const ready = await waitFor(
      async () => {
        const res = await session.get<{ status: string }>(`/reports/${ordered.body.id}`);
        return ['READY', 'FAILED'].includes(res.body.status) ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the report to be built' },
    );
    expect(ready.status).toBe('READY');
    const pdf = await readPdf(Buffer.from(await (await session.raw(`/reports/${ordered.body.id}/file`)).arrayBuffer()));
    return pdf.text.replace(/\s+/g, ' ');
  };
  const approve = (validator: FixtureAdministrator, id: string) =>
    validator.session(system.baseUrl).post<Answer<ChangeRequestView>>(`/change-requests/${id}/approve`, { totpCode: validator.totp() });

  describe('rule 1, strong authentication of the maker (seed 001: "validez votre opération avec Sécur\'Pass")', () => {
    const person = (firstName: string) => ({
      lastName: 'Securpass',
      firstName,
      birthDate: '1991-05-06',
      email: `${firstName.toLowerCase()}.securpass.${Date.now()}${seq++}@fixture.example`,
      clientType: 'STANDARD',
    });

    it('refuses rights changes and user creation on a session alone, even for an individual signature, until a step-up', async () => {
      const company = await newCompany();
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' });
      await addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' });
      const [user] = await addUsers(system.databaseUrl, company.id, 1);
      const sessionAlone = alice.sessionWithoutStepUp(system.baseUrl);

      const preview = await sessionAlone.post<ChangePreview>(`/companies/${company.id}/change-requests/preview`, {
        items: [{ kind: 'USER_CREATE', payload: person('Preview') }],
      });
      expect(preview.body).toMatchObject({ appliesImmediately: true, makerStepUpRequired: true });

      const created = await sessionAlone.post<Problem>(`/companies/${company.id}/users`, person('Refused'));
      expect(created.status).toBe(403);
      expect(created.headers.get('content-type')).toContain('application/problem+json');
      expect(created.body.code).toBe('STEP_UP_REQUIRED');
      const rights = await sessionAlone.post<Problem>(`/users/${user}/rights/template`, {
        template: 'ACCOUNTANT',
        services: ['EINVOICING'],
      });
      expect(rights.status).toBe(403);
      expect(rights.body.code).toBe('STEP_UP_REQUIRED');
      const listed = await sessionAlone.get<{ items: Array<{ firstName: string }> }>(`/companies/${company.id}/users?pageSize=100`);
      expect(listed.body.items.map((u) => u.firstName)).not.toContain('Refused');

      // A change the policy does not ask it for goes through on the session.
      expect((await sessionAlone.request<ChangeSubmissionResult>('PATCH', `/users/${user}`, { firstName: 'Renamed' })).status).toBe(200);

      // A wrong code is refused; the authenticator's code gives a token that carries the strong authentication.
      expect((await sessionAlone.post<Problem>('/auth/step-up', { code: '000000' })).status).toBeGreaterThanOrEqual(400);
      const stepUp = await sessionAlone.post<{ accessToken: string; stepUpUntil: string }>('/auth/step-up', { code: alice.totp() });
      expect(stepUp.status).toBe(200);
      expect(Date.parse(stepUp.body.stepUpUntil)).toBeGreaterThan(Date.now());
      const steppedUp = new ApiSession(system.baseUrl, stepUp.body.accessToken);
      const applied = await steppedUp.post<ChangeSubmissionResult>(`/companies/${company.id}/users`, person('Accepted'));
      expect(applied.status).toBe(201);
      expect(applied.body.status).toBe('APPLIED');
      // The console's "add a user" (a person and their rights, one request) is refused alone and applied stepped up.
      const addUser = (firstName: string) => ({
        items: [
          { kind: 'USER_CREATE', ref: 'person', payload: person(firstName) },
          { kind: 'RIGHTS_TEMPLATE', payload: { userId: { $ref: 'person' }, template: 'ACCOUNTANT', services: ['EINVOICING'] } },
        ],
      });
      expect((await sessionAlone.post<Problem>(`/companies/${company.id}/change-requests`, addUser('Alone'))).body.code).toBe(
        'STEP_UP_REQUIRED',
      );
      const composite = await steppedUp.post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, addUser('Composite'));
      expect(composite.status).toBe(201);
      expect(composite.body.status).toBe('APPLIED');
    });

    it('follows the company policy, kind by kind', async () => {
      const company = await newCompany();
      const [alice, bob] = await Promise.all([
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' }),
      ]);
      const [user] = await addUsers(system.databaseUrl, company.id, 1);
      const policy = await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PUT', `/companies/${company.id}/change-policy`, {
        rules: [
          { kind: '*', requiredApprovals: 1, allowIndividualImmediate: true, makerStepUp: true },
          { kind: 'USER_CREATE', requiredApprovals: 1, allowIndividualImmediate: true, makerStepUp: false },
        ],
      });
      expect(policy.status).toBe(202);
      expect((await approve(bob, policy.body.changeRequestId)).body.status).toBe('APPLIED');
      const view = await alice
        .session(system.baseUrl)
        .get<{ rules: Array<{ kind: string; makerStepUp?: boolean }> }>(`/companies/${company.id}/change-policy`);
      expect(view.body.rules).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'USER_CREATE', makerStepUp: false })]));

      const sessionAlone = alice.sessionWithoutStepUp(system.baseUrl);
      expect((await sessionAlone.post<ChangeSubmissionResult>(`/companies/${company.id}/users`, person('Allowed'))).status).toBe(201);
      const renamed = await sessionAlone.request<Problem>('PATCH', `/users/${user}`, { firstName: 'Refused' });
      expect(renamed.status).toBe(403);
      expect(renamed.body.code).toBe('STEP_UP_REQUIRED');
    });
  });

  describe('rule 2, signing powers (seed 002: the Admin right "avec les types de signature individuel ou collectif")', () => {
    it('an administrator whose admin signature is NONE can neither submit nor approve changes, nor count as a validator', async () => {
      const company = await newCompany();
      const [alice, bob, nina] = await Promise.all([
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Nina', adminSignature: 'NONE' }),
      ]);
      const [user] = await addUsers(system.databaseUrl, company.id, 1);

      const byNina = await nina.session(system.baseUrl).request<Problem>('PATCH', `/users/${user}`, { firstName: 'ByNina' });
      expect(byNina.status).toBe(403);
      expect(byNina.headers.get('content-type')).toContain('application/problem+json');
      expect(byNina.body.detail).toMatch(/signature is NONE/);

      const byAlice = await alice
        .session(system.baseUrl)
        .request<ChangeSubmissionResult>('PATCH', `/users/${user}`, { firstName: 'ByAlice' });
      expect(byAlice.status).toBe(202);
      const id = byAlice.body.changeRequestId;

      const ninaApproves = await approve(nina, id);
      expect(ninaApproves.status).toBe(403);
      expect(ninaApproves.body.detail).toMatch(/signature is NONE/);

      // Nina is not offered as a validator; Bob is.
      const preview = await alice.session(system.baseUrl).post<ChangePreview>(`/companies/${company.id}/change-requests/preview`, {
        items: [{ kind: 'USER_UPDATE', payload: { userId: user, lastName: 'Preview' } }],
      });
      expect(preview.status).toBe(200);
      expect(preview.body.eligibleValidators.map((v) => v.userId)).toEqual([bob.userId]);

      const bobApproves = await approve(bob, id);
      expect(bobApproves.status).toBe(200);
      expect(bobApproves.body.status).toBe('APPLIED');
    });
  });
  describe('rule 3, eligible validators (dual control that can complete)', () => {
    it('refuses at submission a request that not enough administrators could approve, saying why', async () => {
      const company = await newCompany();
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice' });
      await addAdministrator(system.databaseUrl, company.id, { firstName: 'Nina', adminSignature: 'NONE' });
      const [user] = await addUsers(system.databaseUrl, company.id, 1);

      const refused = await alice.session(system.baseUrl).request<Problem>('PATCH', `/users/${user}`, { firstName: 'Nobody' });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('NOT_ENOUGH_VALIDATORS');
      expect(refused.body.detail).toMatch(/only 0 administrator/);
      expect(refused.body.detail).toMatch(/Alice Fixture made it/);
      expect(refused.body.detail).toMatch(/Nina Fixture: The admin signature is NONE/);
      const inbox = await alice.session(system.baseUrl).get<{ total: number }>(`/companies/${company.id}/change-requests?status=PENDING`);
      expect(inbox.body.total).toBe(0);
    });

    it('flags a pending request that became impossible, in the inbox and to the maker', async () => {
      const company = await newCompany();
      const [alice, bob, carol] = await Promise.all(
        ['Alice', 'Bob', 'Carol'].map((firstName) => addAdministrator(system.databaseUrl, company.id, { firstName })),
      );
      const [user] = await addUsers(system.databaseUrl, company.id, 1);
      const waiting = await alice
        .session(system.baseUrl)
        .request<ChangeSubmissionResult>('PATCH', `/users/${user}`, { firstName: 'Later' });
      expect(waiting.status).toBe(202);
      const id = waiting.body.changeRequestId;
      expect((await alice.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`)).body.cannotComplete).toBeUndefined();

      // Bob's and then Carol's signatures are removed (each approved by somebody who still can).
      const bobNone = await alice
        .session(system.baseUrl)
        .request<ChangeSubmissionResult>('PUT', `/users/${bob.userId}/admin-signature`, { adminSignature: 'NONE' });
      expect((await approve(carol, bobNone.body.changeRequestId)).body.status).toBe('APPLIED');
      const carolNone = await carol
        .session(system.baseUrl)
        .request<ChangeSubmissionResult>('PUT', `/users/${carol.userId}/admin-signature`, { adminSignature: 'NONE' });
      expect((await approve(alice, carolNone.body.changeRequestId)).body.status).toBe('APPLIED');

      const inbox = await alice
        .session(system.baseUrl)
        .get<{ items: ChangeRequestView[] }>(`/companies/${company.id}/change-requests?status=PENDING`);
      const flagged = inbox.body.items.find((cr) => cr.id === id);
      expect(flagged?.cannotComplete).toMatch(/only 0 administrator/);
      expect(flagged?.cannotComplete).toMatch(/Bob Fixture: The admin signature is NONE/);
      const makerView = await alice.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`);
      expect(makerView.body.status).toBe('PENDING');
      expect(makerView.body.cannotComplete).toMatch(/Carol Fixture: The admin signature is NONE/);

      // The maker is told by e-mail, once, when the request became impossible (after Carol's signature went, not Bob's).
      const aboutThisRequest = (m: CaughtMail) => m.to.includes(alice.email) && (m.text ?? '').includes(`/change-requests/${id}`);
      const notice = await waitForMail((m) => aboutThisRequest(m) && /impossible|cannot be approved/.test(m.subject ?? ''), {
        timeoutMs: 30_000,
        what: "the maker's notice that the request cannot complete",
      });
      expect(notice.text ?? '').toMatch(/Carol Fixture: The admin signature is NONE/);
      // Once: its event key is the request's (every later recheck of the company finds it sent).
      const notices = (await readCaughtMail()).filter((m) => aboutThisRequest(m) && /impossible|cannot be approved/.test(m.subject ?? ''));
      expect(notices).toHaveLength(1);
    });

    it("tells the maker once when a validator's credential simply passes its end date", async () => {
      const company = await newCompany();
      const [alice, bob] = await Promise.all(
        ['Alice', 'Bob'].map((firstName) => addAdministrator(system.databaseUrl, company.id, { firstName })),
      );
      const [user] = await addUsers(system.databaseUrl, company.id, 1);
      await projectPrincipal(system.databaseUrl, bob.userId);
      const waiting = await alice
        .session(system.baseUrl)
        .request<ChangeSubmissionResult>('PATCH', `/users/${user}`, { firstName: 'Expiring' });
      expect(waiting.status).toBe(202);
      const id = waiting.body.changeRequestId;

      // Bob's credential ends in two seconds (as identity and its copy on the rights side both hold it); nobody acts.
      for (const table of ['identity.credentials', 'authorizations.principal_credentials'])
        await queryRows(system.databaseUrl, `UPDATE ${table} SET valid_until = now() + interval '2 seconds' WHERE user_id = $1`, [
          bob.userId,
        ]);
      const aboutThisRequest = (m: CaughtMail) =>
        m.to.includes(alice.email) &&
        (m.text ?? '').includes(`/change-requests/${id}`) &&
        /impossible|cannot be approved/.test(m.subject ?? '');
      const notice = await waitForMail(aboutThisRequest, { timeoutMs: 60_000, what: "the maker's notice after Bob's credential ended" });
      expect(notice.text ?? '').toMatch(/Bob Fixture: The user has no valid credential/);
      const view = await alice.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`);
      expect(view.body.cannotComplete).toMatch(/Bob Fixture: The user has no valid credential/);
      // Once: Bob's credential is marked looked at; a later look at the company while the request is still impossible
      // (Carol, who cannot sign, sees her credential end) sends nothing more.
      const checked = (userId: string) =>
        queryRows(
          system.databaseUrl,
          `SELECT 1 FROM authorizations.principal_credentials WHERE user_id = $1 AND expiry_checked_at IS NOT NULL`,
          [userId],
        );
      await waitFor(async () => (await checked(bob.userId)).length > 0 || undefined, {
        timeoutMs: 30_000,
        what: "Bob's credential marked",
      });
      const carol = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Carol', adminSignature: 'NONE' });
      await projectPrincipal(system.databaseUrl, carol.userId);
      await queryRows(system.databaseUrl, `UPDATE authorizations.principal_credentials SET valid_until = now() WHERE user_id = $1`, [
        carol.userId,
      ]);
      await waitFor(async () => (await checked(carol.userId)).length > 0 || undefined, {
        timeoutMs: 60_000,
        what: "Carol's ended credential looked at",
      });
      expect((await readCaughtMail()).filter(aboutThisRequest)).toHaveLength(1);
    });

    it("lets the operator's registration and activation of administrators stand for the bank's validation", async () => {
      const company = await newCompany();
      const op = operator.session(system.baseUrl);
      const admin = (firstName: string, extra: Record<string, unknown> = {}) => ({
        lastName: 'Voie',
        firstName,
        birthDate: '1979-02-03',
        email: `${firstName.toLowerCase()}.voie.${Date.now()}${seq++}@fixture.example`,
        clientType: 'ADMINISTRATOR',
        adminSignature: 'COLLECTIVE',
        ...extra,
      });
      const userStatus = async (userId: string) => (await op.get<{ status: string }>(`/users/${userId}`)).body.status;
      // The dead end: a first administrator signing collectively cannot get a second one, nobody could approve it.
      const ines = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Ines', adminSignature: 'COLLECTIVE' });
      const alone = await ines.session(system.baseUrl).post<Problem>(`/companies/${company.id}/users`, admin('Alone'));
      expect(alone.status).toBe(422);
      expect(alone.body.code).toBe('NOT_ENOUGH_VALIDATORS');
      expect(alone.body.detail).toMatch(/Ines Fixture made it.*Ask your adviser/);

      // The operator's registration is the bank's validation: one change request of the operator, applied at once.
      const second = await op.post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, {
        items: [{ kind: 'USER_CREATE', payload: admin('Jules', { activationMode: 'IMMEDIATE' }) }],
      });
      expect(second.status).toBe(201);
      expect(second.body.status).toBe('APPLIED');
      const made = await op.get<{ makerKind: string; approvals: unknown[] }>(`/change-requests/${second.body.changeRequestId}`);
      expect(made.body).toMatchObject({ makerKind: 'operator', approvals: [] });
      const users = (await op.get<{ items: Array<{ id: string; firstName: string; status: string }> }>(`/companies/${company.id}/users`))
        .body.items;
      expect(users.find((u) => u.firstName === 'Jules')?.status).toBe('ACTIVE');
      // The adviser's form (POST /companies/{id}/users) is the same change request.
      const direct = await op.post<ChangeSubmissionResult & { result: { user: { status: string } } }>(
        `/companies/${company.id}/users`,
        admin('Jade', { activationMode: 'IMMEDIATE' }),
      );
      expect([direct.status, direct.body.status, direct.body.result.user.status]).toEqual([201, 'APPLIED', 'ACTIVE']);
      expect((await op.get<{ makerKind: string }>(`/change-requests/${direct.body.changeRequestId}`)).body.makerKind).toBe('operator');

      // Registered for later: Ines still cannot activate them (the new administrators have no credential yet, so
      // nobody could approve), the operator can, without an approval nobody could give.
      const registered = await op.post<{ result: { user: { id: string; status: string } } }>(
        `/companies/${company.id}/users`,
        admin('Karim', { activationMode: 'DEFERRED' }),
      );
      const third = { body: registered.body.result.user };
      expect(third.body.status).toBe('REGISTERED');
      const byInes = await ines.session(system.baseUrl).post<Problem>(`/users/${third.body.id}/activate`);
      expect(byInes.status).toBe(422);
      expect(byInes.body.code).toBe('NOT_ENOUGH_VALIDATORS');
      expect(byInes.body.detail).toMatch(/Ines Fixture made it/);
      expect(byInes.body.detail).toMatch(/Jules Voie: The user has no valid credential/);
      expect(await userStatus(third.body.id)).toBe('REGISTERED');
      const activated = await op.post<ChangeSubmissionResult>(`/users/${third.body.id}/activate`);
      expect(activated.status).toBe(200);
      expect(activated.body.status).toBe('APPLIED');
      expect(await userStatus(third.body.id)).toBe('ACTIVE');
      const activation = await op.get<{ makerKind: string; kind: string }>(`/change-requests/${activated.body.changeRequestId}`);
      expect(activation.body).toMatchObject({ makerKind: 'operator', kind: 'USER_ACTIVATE' });
    });

    it("makes the operator's registration and credential change requests under the client's policy; a client nobody in which could approve gets its first administrator at once", async () => {
      const op = operator.session(system.baseUrl);
      const person = (firstName: string, extra: Record<string, unknown> = {}) => ({
        lastName: 'Guichet',
        firstName,
        birthDate: '1983-09-10',
        email: `${firstName.toLowerCase()}.guichet.${Date.now()}${seq++}@fixture.example`,
        clientType: 'STANDARD',
        ...extra,
      });
      type Created = ChangeSubmissionResult & { result: { user: { id: string; status: string; adminSignature: string } } };

      // A client whose policy asks its administrators to approve user creation: the operator's registration waits for them.
      const company = await newCompany();
      const [alice, bob] = await Promise.all([
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' }),
      ]);
      const policy = await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PUT', `/companies/${company.id}/change-policy`, {
        rules: [{ kind: 'USER_CREATE', requiredApprovals: 1, allowIndividualImmediate: false }],
      });
      expect((await approve(bob, policy.body.changeRequestId)).body.status).toBe('APPLIED');
      const waiting = await op.post<ChangeSubmissionResult>(`/companies/${company.id}/users`, person('Paul'));
      expect([waiting.status, waiting.body.status]).toEqual([202, 'PENDING']);
      const request = await op.get<ChangeRequestView>(`/change-requests/${waiting.body.changeRequestId}`);
      expect(request.body).toMatchObject({ makerKind: 'operator', makerUserId: operator.operatorId, kind: 'USER_CREATE' });
      expect((await approve(alice, waiting.body.changeRequestId)).body.status).toBe('APPLIED');
      const paul = (
        await op.get<{ items: Array<{ id: string; firstName: string; status: string }> }>(`/companies/${company.id}/users`)
      ).body.items.find((u) => u.firstName === 'Paul')!;
      expect(paul.status).toBe('ACTIVE');

      // The operator's credential is a change too (the policy lets it apply at once); "Envoyer un email" unticked sends
      // no welcome e-mail, which the operator sends later from the profile.
      const credential = await op.post<ChangeSubmissionResult & { result: { credential: { id: string } } }>(
        `/users/${paul.id}/credentials`,
        {
          type: 'PERMANENT',
          bankingPower: false,
          sendWelcomeEmail: false,
        },
      );
      expect([credential.status, credential.body.status]).toEqual([201, 'APPLIED']);
      expect(credential.body.revealOnce?.provisionalPassword).toEqual(expect.any(String));
      const made = await op.get<ChangeRequestView>(`/change-requests/${credential.body.changeRequestId}`);
      expect(made.body).toMatchObject({ makerKind: 'operator', kind: 'CREDENTIAL_CREATE' });
      const welcomeJobs = () =>
        queryRows(system.databaseUrl, `SELECT job_id FROM identity.outbox WHERE job_name = 'send-email' AND job_id LIKE $1`, [
          `welcome.${credential.body.result.credential.id}%`,
        ]);
      expect(await welcomeJobs()).toHaveLength(0);
      expect((await op.post(`/users/${paul.id}/welcome-email`)).status).toBe(200);
      expect(await welcomeJobs()).toHaveLength(1);

      // A client whose policy asks an approval for everything, with nobody yet who could give one (as a new client,
      // or one whose administrators have all left): the bank's registration of its first administrator applies at
      // once (decision D6), signing INDIVIDUAL unless told otherwise; so does the credential prepared for her.
      const empty = await newCompany();
      await queryRows(
        system.databaseUrl,
        `INSERT INTO authorizations.change_policies (company_id, kind, required_approvals, allow_individual_immediate) VALUES ($1, '*', 1, false)`,
        [empty.id],
      );
      const firstAdmin = person('Prune', { clientType: 'ADMINISTRATOR' });
      const preview = await op.post<ChangePreview>(`/companies/${empty.id}/change-requests/preview`, {
        items: [{ kind: 'USER_CREATE', payload: firstAdmin }],
      });
      expect(preview.body).toMatchObject({ appliesImmediately: true, requiredApprovals: 0 });
      const first = await op.post<Created>(`/companies/${empty.id}/users`, firstAdmin);
      expect([first.status, first.body.status]).toEqual([201, 'APPLIED']);
      expect(first.body.result.user).toMatchObject({ status: 'ACTIVE', adminSignature: 'INDIVIDUAL' });
      const equipped = await op.post<ChangeSubmissionResult & { result: { credential: { loginId: string } } }>(
        `/users/${first.body.result.user.id}/credentials`,
        { type: 'PERMANENT', bankingPower: false },
      );
      expect([equipped.status, equipped.body.status]).toEqual([201, 'APPLIED']);

      // Once she can approve (password chosen, authenticator enrolled), the client's policy holds again: the
      // operator's next registration waits for her.
      const anonymous = ApiSession.anonymous(system.baseUrl);
      const provisional = equipped.body.revealOnce!.provisionalPassword;
      const signedIn = await anonymous.post<{ accessToken: string }>('/auth/login', {
        loginId: equipped.body.result.credential.loginId,
        password: provisional,
      });
      const password = 'Tournesol-Azur-2026!';
      const changed = await new ApiSession(system.baseUrl, signedIn.body.accessToken).post<{ accessToken: string }>('/auth/password', {
        currentPassword: provisional,
        newPassword: password,
        newPasswordConfirmation: password,
      });
      expect([signedIn.status, changed.status]).toEqual([200, 200]);
      const enrolling = new ApiSession(system.baseUrl, changed.body.accessToken);
      const { secret } = (await enrolling.post<{ secret: string }>('/auth/totp/enrol', {})).body;
      const confirmed = await enrolling.post<{ scope: string }>('/auth/totp/confirm', { code: await new TotpCodes().next(secret) });
      expect(confirmed.body.scope).toBe('full');
      const next = await op.post<ChangeSubmissionResult & { changeRequest: { requiredApprovals: number } }>(
        `/companies/${empty.id}/users`,
        person('Quentin'),
      );
      expect([next.status, next.body.status, next.body.changeRequest.requiredApprovals]).toEqual([202, 'PENDING', 1]);
    });
  });
  describe('rule 4, banking power (seed 000: e-invoicing rights only, "obligatoirement sans pouvoir bancaire")', () => {
    interface Effective {
      bankingPower: boolean;
      bankingPowerReason?: string;
      rights: Array<{ service: string; authorizationId: string; withheld?: string }>;
    }

    it('is taken into account by the check and the effective rights whenever the credential or the rights change', async () => {
      const company = await newCompany();
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' });
      await addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' });
      const account = await addAccount(company.id, 'Compte courant');
      const session = alice.session(system.baseUrl);
      const addUser = async (firstName: string, bankingPower: boolean) => {
        const res = await session.post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, {
          items: [
            {
              kind: 'USER_CREATE',
              ref: 'person',
              payload: {
                lastName: 'Pouvoir',
                firstName,
                birthDate: '1985-07-08',
                email: `${firstName.toLowerCase()}.pouvoir.${Date.now()}${seq++}@fixture.example`,
                clientType: 'STANDARD',
              },
            },
            { kind: 'RIGHTS_TEMPLATE', payload: { userId: { $ref: 'person' }, template: 'DIRECTOR', services: ['BANKING', 'EINVOICING'] } },
            { kind: 'CREDENTIAL_CREATE', payload: { userId: { $ref: 'person' }, type: 'PERMANENT', bankingPower } },
          ],
        });
        expect(res.status).toBe(201);
        return (res.body.result as { items: Array<{ user: { id: string } }> }).items[0].user.id;
      };
      const bankingCheck = (userId: string) =>
        waitFor(
          async () => {
            const res = await session.post<{ allowed: boolean; reason: string }>('/check', {
              userId,
              service: 'BANKING',
              right: 'CONSULT',
              level: 'ACCESS',
              resourceId: account.id,
            });
            // The rights side learns of the new credential asynchronously.
            return res.body.reason === 'NO_CREDENTIAL' || res.body.reason === 'USER_NOT_ACTIVE' ? undefined : res.body;
          },
          { timeoutMs: 20_000, what: 'the new user known to the check' },
        );

      const without = await addUser('Sans', false);
      expect(await bankingCheck(without)).toEqual({ allowed: false, reason: 'NO_BANKING_POWER' });
      const effectiveWithout = (await session.get<Effective>(`/users/${without}/effective-rights`)).body;
      expect(effectiveWithout).toMatchObject({ bankingPower: false, bankingPowerReason: 'The credential has no banking power' });
      expect(effectiveWithout.rights.filter((r) => r.service === 'BANKING').every((r) => r.withheld === 'NO_BANKING_POWER')).toBe(true);

      const holder = await addUser('Avec', true);
      expect(await bankingCheck(holder)).toMatchObject({ allowed: true, reason: 'GRANTED' });
      // Its rights become e-invoicing only: the banking power goes with them, said with a reason.
      const before = (await session.get<Effective>(`/users/${holder}/effective-rights`)).body;
      expect(before.bankingPower).toBe(true);
      const bankingAuthorization = before.rights.find((r) => r.service === 'BANKING')!.authorizationId;
      expect((await session.post(`/authorizations/${bankingAuthorization}/users`, { detach: [holder] })).status).toBe(200);
      const after = (await session.get<Effective>(`/users/${holder}/effective-rights`)).body;
      expect(after.rights.map((r) => r.service)).toEqual(expect.arrayContaining(['EINVOICING']));
      expect(after.bankingPower).toBe(false);
      expect(after.bankingPowerReason).toMatch(/only e-invoicing/);
    });
  });
  describe('rule 5, authorize-all is a standing rule (seed 002: "valable pour tous les contrats de la relation client")', () => {
    interface Authorization {
      id: string;
      label: string;
      grants: Array<{ right: string; resourceIds: string[] }>;
      standingProfiles: Array<{ contractType: string; profile: string }> | null;
    }

    it('gives contracts opened later, or retyped into the rule, at the closest lower allowed level, with no new request, and says so', async () => {
      const company = await newCompany();
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' });
      await addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' });
      await addAccount(company.id, 'Compte courant');
      const session = alice.session(system.baseUrl);
      const given = await session.post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, {
        items: [
          {
            kind: 'USER_CREATE',
            ref: 'person',
            payload: {
              lastName: 'Permanent',
              firstName: 'Paule',
              birthDate: '1984-03-04',
              email: `paule.permanent.${Date.now()}${seq++}@fixture.example`,
              clientType: 'STANDARD',
            },
          },
          {
            kind: 'RIGHTS_AUTHORIZE_ALL',
            payload: { userId: { $ref: 'person' }, contractTypes: [{ contractType: 'CURRENT_ACCOUNT', profile: 'VALIDATE' }] },
          },
          { kind: 'CREDENTIAL_CREATE', payload: { userId: { $ref: 'person' }, type: 'PERMANENT', bankingPower: true } },
        ],
      });
      expect(given.status).toBe(201);
      const userId = (given.body.result as { items: Array<{ user: { id: string } }> }).items[0].user.id;
      const requestsBefore = (await session.get<{ total: number }>(`/companies/${company.id}/change-requests`)).body.total;

      // Opened later by the operator: a current account that allows up to MANAGE, and a contract of another type.
      const opened = await operator.session(system.baseUrl).post<{ id: string }>(`/companies/${company.id}/resources`, {
        kind: 'ACCOUNT',
        contractType: 'CURRENT_ACCOUNT',
        label: 'Compte ouvert ensuite',
        identifier: `FR76${Date.now()}${seq++}`,
        allowedRights: ['CONSULT', 'MANAGE'],
      });
      expect(opened.status).toBe(201);
      const otherType = await operator.session(system.baseUrl).post<{ id: string }>(`/companies/${company.id}/resources`, {
        kind: 'CONTRACT',
        contractType: 'TERM_DEPOSIT',
        label: 'Dépôt à terme',
        identifier: `DAT${Date.now()}${seq++}`,
      });
      expect(otherType.status).toBe(201);

      const check = async (right: string, resourceId: string) =>
        (
          await session.post<{ allowed: boolean; reason: string }>('/check', {
            userId,
            service: 'BANKING',
            right,
            level: 'ACCESS',
            resourceId,
          })
        ).body;
      // The rights side learns of the new credential asynchronously; the standing rule itself is read-your-writes.
      await waitFor(
        async () => (['NO_CREDENTIAL', 'USER_NOT_ACTIVE'].includes((await check('CONSULT', opened.body.id)).reason) ? undefined : true),
        {
          timeoutMs: 20_000,
          what: 'the new user known to the check',
        },
      );
      expect(await check('CONSULT', opened.body.id)).toMatchObject({ allowed: true, reason: 'GRANTED' });
      expect(await check('MANAGE', opened.body.id)).toMatchObject({ allowed: true, reason: 'GRANTED' });
      // VALIDATE is not allowed on that account: MANAGE, the closest lower level, is what it gets.
      expect((await check('VALIDATE', opened.body.id)).allowed).toBe(false);
      expect((await check('CONSULT', otherType.body.id)).allowed).toBe(false);
      expect((await session.get<{ total: number }>(`/companies/${company.id}/change-requests`)).body.total).toBe(requestsBefore);

      // The rights view marks the authorization as a standing rule.
      const listed = (await session.get<{ items: Authorization[] }>(`/companies/${company.id}/authorizations?userId=${userId}`)).body.items;
      const banking = listed.find((a) => a.label === 'Tout autoriser – BANKING')!;
      expect(banking.standingProfiles).toEqual([{ contractType: 'CURRENT_ACCOUNT', profile: 'VALIDATE' }]);
      expect(banking.grants.find((g) => g.right === 'MANAGE')!.resourceIds).toContain(opened.body.id);
      expect(banking.grants.find((g) => g.right === 'VALIDATE')!.resourceIds).not.toContain(opened.body.id);

      // The trail names the standing rule that gave the new contract.
      const audited = await waitFor(
        async () => {
          const res = await session.get<{ items: Array<{ targetId?: string; details?: { standingRule?: string } }> }>(
            `/companies/${company.id}/audit?action=STANDING_RULE_APPLIED`,
          );
          return res.body.items.length ? res.body.items : undefined;
        },
        { timeoutMs: 20_000, what: 'the audit entry of the standing rule' },
      );
      expect(audited).toEqual([
        expect.objectContaining({
          targetId: banking.id,
          details: expect.objectContaining({ standingRule: 'Authorize all: CURRENT_ACCOUNT VALIDATE' }),
        }),
      ]);

      // The access-rights report says so.
      expect(await accessRightsReportText(session, company.id)).toContain(
        'Règle permanente (contrats ouverts ensuite) · Tout autoriser – BANKING · CURRENT_ACCOUNT : Validation',
      );

      // A contract the operator retypes into the rule's type joins it too, as one opened then would; once.
      const standingEntries = async () =>
        (
          await queryRows<{ n: string }>(
            system.databaseUrl,
            `SELECT count(*) AS n FROM authorizations.outbox WHERE payload->>'companyId' = $1 AND payload->>'action' = 'STANDING_RULE_APPLIED'`,
            [company.id],
          )
        )[0].n;
      expect(await standingEntries()).toBe('1');
      const retype = () =>
        operator
          .session(system.baseUrl)
          .request<{ contractType: string }>('PATCH', `/companies/${company.id}/resources/${otherType.body.id}`, {
            contractType: 'CURRENT_ACCOUNT',
          });
      const retyped = await retype();
      expect([retyped.status, retyped.body.contractType]).toEqual([200, 'CURRENT_ACCOUNT']);
      expect(await check('VALIDATE', otherType.body.id)).toMatchObject({ allowed: true, reason: 'GRANTED' });
      expect(await standingEntries()).toBe('2');
      expect((await retype()).status).toBe(200); // nothing left to give: nothing written
      expect(await standingEntries()).toBe('2');
      expect((await session.get<{ total: number }>(`/companies/${company.id}/change-requests`)).body.total).toBe(requestsBefore);
    });
  });
  describe('rules 6 and 7, copy copies and summaries before confirming (seeds 001, 002)', () => {
    interface Effective {
      rights: Array<{ service: string; right: string; authorizationId: string }>;
    }
    const person = (firstName: string) => ({
      lastName: 'Recap',
      firstName,
      birthDate: '1987-09-10',
      email: `${firstName.toLowerCase()}.recap.${Date.now()}${seq++}@fixture.example`,
      clientType: 'STANDARD',
    });

    const credential = (ref: string) => ({
      kind: 'CREDENTIAL_CREATE',
      payload: { userId: { $ref: ref }, type: 'PERMANENT', bankingPower: false },
    });

    async function setUp() {
      const company = await newCompany();
      const [alice, bob] = await Promise.all([
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' }),
      ]);
      const session = alice.session(system.baseUrl);
      const withRights = async (firstName: string, rights: Record<string, unknown>[]) => {
        const res = await session.post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, {
          items: [
            { kind: 'USER_CREATE', ref: 'person', payload: person(firstName) },
            ...rights.map((payload) => ({ kind: 'RIGHTS_TEMPLATE', payload: { userId: { $ref: 'person' }, ...payload } })),
            credential('person'),
          ],
        });
        expect(res.status).toBe(201);
        return (res.body.result as { items: Array<{ user: { id: string } }> }).items[0].user.id;
      };
      // Effective rights are those of a user with a valid credential, which the rights side learns of asynchronously.
      const effective = (userId: string) =>
        waitFor(
          async () => {
            const rights = (await session.get<Effective>(`/users/${userId}/effective-rights`)).body.rights;
            return rights.length ? rights : undefined;
          },
          { timeoutMs: 20_000, what: `the rights of ${userId}` },
        );
      return { company, alice, bob, session, withRights, effective };
    }

    it('rule 6: copying gives the target authorizations of its own, which a later edit of the source does not change', async () => {
      const { company, session, withRights, effective } = await setUp();
      const source = await withRights('Source', [{ template: 'ACCOUNTANT', services: ['EINVOICING'] }]);
      const copied = await session.post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, {
        items: [
          { kind: 'USER_CREATE', ref: 'target', payload: person('Target') },
          { kind: 'RIGHTS_COPY', payload: { userId: { $ref: 'target' }, fromUserId: source } },
          credential('target'),
        ],
      });
      expect(copied.status).toBe(201);
      const target = (copied.body.result as { items: Array<{ user: { id: string } }> }).items[0].user.id;
      const sourceRights = await effective(source);
      const targetRights = await effective(target);
      expect(targetRights.map((r) => r.right).sort()).toEqual(sourceRights.map((r) => r.right).sort());
      const sourceAuthorizations = new Set(sourceRights.map((r) => r.authorizationId));
      expect(targetRights.some((r) => sourceAuthorizations.has(r.authorizationId))).toBe(false);

      // The source's authorization is narrowed: the target keeps what was copied.
      const [sourceAuthorization] = [...sourceAuthorizations];
      const narrowed = await session.request<ChangeSubmissionResult>('PATCH', `/authorizations/${sourceAuthorization}`, {
        grants: [{ right: 'SUBSCRIPTION', level: 'CONSULT' }],
      });
      expect(narrowed.status).toBe(200);
      expect((await effective(source)).map((r) => r.right)).toEqual(['SUBSCRIPTION']);
      expect((await effective(target)).map((r) => r.right).sort()).toEqual(targetRights.map((r) => r.right).sort());
    });

    it('rule 7: the preview of a copy is exactly what is submitted, naming people, showing current rights and exclusions', async () => {
      const { company, alice, bob, withRights } = await setUp();
      const account = await addAccount(company.id, 'Compte recap');
      const source = await withRights('Solene', [{ template: 'ACCOUNTANT', services: ['EINVOICING', 'BANKING'] }]);
      const target = await withRights('Tristan', [{ template: 'ACCOUNTANT', services: ['EINVOICING'] }]);
      const items = [{ kind: 'RIGHTS_COPY', payload: { userId: target, fromUserId: source, excludedResourceIds: [account.id] } }];

      const preview = await bob.session(system.baseUrl).post<ChangePreview>(`/companies/${company.id}/change-requests/preview`, { items });
      expect(preview.status).toBe(200);
      const [item] = preview.body.items;
      expect(item.summary).toMatch(/^Copy the rights of Solene Recap for Tristan Recap: /);
      expect(item.summary).toContain('excluding Compte recap (');
      expect(item.summary).not.toContain(source);
      expect(item.summary).not.toContain(target);
      const diff = item.diff as {
        before: { userName: string; authorizations: Array<{ service: string }> };
        after: { fromUserName: string; excluded: { resourceIds: string[] } };
      };
      expect(diff.before.userName).toBe('Tristan Recap');
      expect(diff.before.authorizations.map((a) => a.service)).toEqual(['EINVOICING']);
      expect(diff.after.fromUserName).toBe('Solene Recap');
      expect(diff.after.excluded.resourceIds).toEqual([account.id]);
      expect(preview.body.eligibleValidators.map((v) => v.userId)).toEqual([alice.userId]);

      // Submitted, it waits for Alice with exactly that summary and diff.
      const submitted = await bob
        .session(system.baseUrl)
        .post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, { items });
      expect(submitted.status).toBe(202);
      const view = (await bob.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${submitted.body.changeRequestId}`)).body;
      expect(view.items[0].summary).toBe(item.summary);
      expect(view.items[0].diff).toEqual(item.diff);
    });
  });
  describe('rule 8, the subscription level (seed 001: "Certaines fonctionnalités nécessitent un niveau d\'abonnement")', () => {
    it("refuses grants beyond the company's pricing offer, which only its operator changes", async () => {
      const operatorSession = operator.session(system.baseUrl);
      // The catalog of offers is published; the full offers include every service of the catalog.
      const offers = (await operatorSession.get<Array<{ code: string; services: string[] }>>('/pricing-offers')).body;
      const services = (await operatorSession.get<Array<{ code: string }>>('/services')).body.map((s) => s.code);
      expect(
        offers
          .find((o) => o.code === 'ESSENTIEL')
          ?.services.slice()
          .sort(),
      ).toEqual(services.slice().sort());
      expect(offers.find((o) => o.code === 'EFACTURES')?.services).not.toContain('BANKING');
      // Offers come from the catalog: another is refused at registration and at edit, naming the field.
      const unknown = await operatorSession.post<Problem>('/companies', { ...companyInput(), pricingOffer: 'OR_MASSIF' });
      expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_PRICING_OFFER']);
      expect(unknown.headers.get('content-type')).toContain('application/problem+json');
      expect(unknown.body.errors?.map((e) => e.field)).toEqual(['pricingOffer']);

      const registered = await operatorSession.post<CompanyView>('/companies', { ...companyInput(), pricingOffer: 'EFACTURES' });
      expect(registered.status).toBe(201);
      const company = registered.body;
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' });
      await addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' });
      const [user, other] = await addUsers(system.databaseUrl, company.id, 2);
      await Promise.all([user, other].map((id) => projectPrincipal(system.databaseUrl, id)));
      const account = await addAccount(company.id, 'Compte courant');
      const session = alice.session(system.baseUrl);
      const banking = {
        label: 'Banque',
        service: 'BANKING',
        effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
        userIds: [user],
        grants: [{ right: 'CONSULT', level: 'ACCESS', resourceIds: [account.id] }],
      };

      // The e-invoicing offer has no online banking: every way of granting it is refused with the reason.
      const refused = await session.post<Problem>(`/companies/${company.id}/authorizations`, banking);
      expect([refused.status, refused.body.code]).toEqual([422, 'SERVICE_NOT_IN_OFFER']);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors?.map((e) => e.field)).toEqual(['service']);
      expect(refused.body.detail).toMatch(/EFACTURES does not include the service BANKING/);
      const template = await session.post<Problem>(`/users/${user}/rights/template`, { template: 'DIRECTOR', services: ['BANKING'] });
      expect([template.status, template.body.code]).toEqual([422, 'SERVICE_NOT_IN_OFFER']);
      const preview = await session.post<Problem>(`/companies/${company.id}/change-requests/preview`, {
        items: [{ kind: 'AUTHORIZATION_CREATE', payload: banking }],
      });
      expect([preview.status, preview.body.code]).toEqual([422, 'SERVICE_NOT_IN_OFFER']);
      // What the offer includes is granted as before.
      const einvoicing = await session.post<Problem>(`/users/${other}/rights/template`, { template: 'DIRECTOR', services: ['EINVOICING'] });
      expect(einvoicing.status).toBeLessThan(300);

      // Changing the offer is the operator's: the company's administrator may not, nor name an unknown offer.
      const byAdministrator = await session.request<Problem>('PATCH', `/companies/${company.id}`, { pricingOffer: 'ESSENTIEL' });
      expect(byAdministrator.status).toBe(403);
      const unknownEdit = await operatorSession.request<Problem>('PATCH', `/companies/${company.id}`, { pricingOffer: 'OR_MASSIF' });
      expect([unknownEdit.status, unknownEdit.body.code]).toEqual([422, 'UNKNOWN_PRICING_OFFER']);
      expect((await operatorSession.get<CompanyView>(`/companies/${company.id}`)).body.pricingOffer).toBe('EFACTURES');
      const changed = await operatorSession.request<CompanyView>('PATCH', `/companies/${company.id}`, { pricingOffer: 'ESSENTIEL' });
      expect(changed.status).toBe(200);
      expect(changed.body.pricingOffer).toBe('ESSENTIEL');

      // The very same grant now passes.
      const granted = await session.post<Answer<{ id: string }>>(`/companies/${company.id}/authorizations`, banking);
      expect([granted.status, granted.body.code]).toEqual([201, undefined]);

      // The change of offer is in the company's audit trail, naming the operator.
      const entry = await waitFor(
        async () => {
          const entries = (
            await operatorSession.get<{ items: Array<{ action: string; actor: string; before?: unknown; after?: unknown }> }>(
              `/companies/${company.id}/audit?pageSize=100`,
            )
          ).body.items;
          return entries.find((e) => e.action === 'company.updated');
        },
        { timeoutMs: 20_000, what: 'the change of offer in the audit trail' },
      );
      expect(entry).toMatchObject({
        actor: `operator:${operator.operatorId}`,
        before: { pricingOffer: 'EFACTURES' },
        after: { pricingOffer: 'ESSENTIEL' },
      });
    });
  });

  describe('rule 9, EDI signatures (seed 004: une signature "pour chaque personne en charge d\'effectuer les envois")', () => {
    interface Signature {
      id: string;
      status: string;
    }

    it('are created and verified only with the EDI sending right, suspended while it is gone, reminded once before expiry', async () => {
      const company = await newCompany();
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' });
      const sam = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Sam', clientType: 'STANDARD' });
      await projectPrincipal(system.databaseUrl, sam.userId);
      const admin = alice.session(system.baseUrl);
      const samSession = sam.session(system.baseUrl);
      const codes = new TotpCodes();
      const password = 'Envois-Declarations-2026';

      // Alice asks for Sam's confidential code (e-mailed to her; read here from the job identity wrote).
      const sent = await admin.post<{ codeId: string }>(`/users/${sam.userId}/edi-code`);
      expect(sent.status).toBe(201);
      const [codeJob] = await queryRows<{ payload: { secrets: { ediCode: SealedSecret } } }>(
        system.databaseUrl,
        `SELECT payload FROM identity.outbox WHERE job_id = $1`,
        [`edi-code.${sent.body.codeId}`],
      );
      const code = openSecret(codeJob.payload.secrets.ediCode, DEV_SECRETS.SECRETS_KEY);
      const create = async () =>
        samSession.post<Answer<Signature>>(`/users/${sam.userId}/edi-signatures`, {
          code,
          validityYears: 1,
          password,
          passwordConfirmation: password,
          totpCode: await codes.next(sam.totpSecret),
        });

      // Without the EDI sending right Sam cannot create one; the code stays usable.
      const refused = await create();
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('EDI_SENDING_RIGHT_REQUIRED');

      const given = await admin.post<ChangeSubmissionResult>(`/companies/${company.id}/authorizations`, {
        label: 'Envois EDI',
        service: 'EDI',
        effectiveFrom: new Date(Date.now() - 60_000).toISOString(),
        grants: [{ right: 'SEND_DECLARATIONS', level: 'ACCESS' }],
        userIds: [sam.userId],
      });
      expect(given.status).toBe(201);
      const authorizationId = (given.body.result as { authorizationId: string }).authorizationId;
      const created = await create();
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('ACTIVE');
      const signatureId = created.body.id;
      const verify = () => samSession.post<Answer<{ valid: boolean }>>(`/edi-signatures/${signatureId}/verify`, { password });
      expect((await verify()).status).toBe(200);
      const statusSeenByAlice = async () =>
        (await admin.get<Signature[]>(`/users/${sam.userId}/edi-signatures`)).body.find((sig) => sig.id === signatureId)?.status;

      // The right goes (the authorization is taken from Sam): the signature is suspended, whatever the password.
      const detached = await admin.post<ChangeSubmissionResult>(`/authorizations/${authorizationId}/users`, { detach: [sam.userId] });
      expect(detached.status).toBe(200);
      expect(await statusSeenByAlice()).toBe('SUSPENDED');
      const whileSuspended = await verify();
      expect(whileSuspended.status).toBe(422);
      expect(whileSuspended.body.code).toBe('SIGNATURE_SUSPENDED');
      // It comes back with the right.
      expect((await admin.post(`/authorizations/${authorizationId}/users`, { attach: [sam.userId] })).status).toBe(200);
      expect(await statusSeenByAlice()).toBe('ACTIVE');
      expect((await verify()).status).toBe(200);

      // 30 days before it expires, Sam is reminded by e-mail (here it expires in 10 days).
      await queryRows(system.databaseUrl, `UPDATE identity.edi_signatures SET valid_until = now() + interval '10 days' WHERE id = $1`, [
        signatureId,
      ]);
      const isReminderTo = (email: string) => (m: CaughtMail) =>
        m.to.includes(email) && (m.subject ?? '').startsWith('Votre signature EDI expire le');
      const reminder = await waitForMail(isReminderTo(sam.email), { timeoutMs: 60_000, what: "Sam's EDI signature reminder" });
      expect(reminder.text).toContain('Bonjour Sam');
      // Once: Alice's signature, due only after Sam's reminder went, is reminded by a later sweep; Sam's is not again.
      await queryRows(
        system.databaseUrl,
        `INSERT INTO identity.edi_signatures (id, user_id, company_id, password_hash, status, valid_from, valid_until)
         VALUES ($1, $2, $3, 'fixture-not-a-hash', 'ACTIVE', now(), now() + interval '20 days')`,
        [randomUUID(), alice.userId, company.id],
      );
      await waitForMail(isReminderTo(alice.email), { timeoutMs: 60_000, what: "Alice's EDI signature reminder" });
      expect((await readCaughtMail()).filter(isReminderTo(sam.email))).toHaveLength(1);
      const reminderJobs = await queryRows(system.databaseUrl, `SELECT 1 FROM identity.outbox WHERE job_id = $1`, [
        `edi-signature-expiring.${signatureId}`,
      ]);
      expect(reminderJobs).toHaveLength(1);

      // Suspending Sam takes the right too (the rights side learns of it from identity).
      const suspended = await admin.post<ChangeSubmissionResult>(`/users/${sam.userId}/suspend`);
      expect(suspended.status).toBe(200);
      await waitFor(async () => (await statusSeenByAlice()) === 'SUSPENDED' || undefined, {
        timeoutMs: 30_000,
        what: "Sam's suspension to suspend his signature",
      });
    });
  });
  describe('rule 10, the access-rights report (seed 002: "un aperçu des procurations et des autorisations d\'accès")', () => {
    it('lists signing powers, banking power and EDI signatures with their validity', async () => {
      const company = await newCompany();
      const alice = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice', adminSignature: 'INDIVIDUAL' });
      await addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' });
      // An EDI signature as the signature page leaves it (its creation through the API is identity e2e's).
      await queryRows(
        system.databaseUrl,
        `INSERT INTO identity.edi_signatures (id, user_id, company_id, password_hash, status, valid_from, valid_until)
         VALUES ($1, $2, $3, 'fixture-not-a-hash', 'ACTIVE', '2026-01-15T00:00:00Z', '2028-01-15T00:00:00Z')`,
        [randomUUID(), alice.userId, company.id],
      );
      const text = await accessRightsReportText(alice.session(system.baseUrl), company.id);
      expect(text).toContain('Signature Admin: Individuelle');
      expect(text).toContain('Signature Admin: Collective');
      expect(text).toContain('Pouvoir bancaire : Non');
      // Alice does not hold the EDI sending right: her signature is suspended (rule 9).
      expect(text).toContain('Signatures EDI · Suspendu · Du 15/01/2026 · Au 15/01/2028');
      expect(text).toContain('Signatures EDI : Aucun');
    });
  });
});
