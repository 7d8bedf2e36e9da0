import {
  ChangeCommands,
  ChangeRequestView,
  CompanyView,
  CredentialView,
  DEMO,
  SessionTokens,
  TotpEnrolment,
  UserView,
} from '@procura/contracts';
import { DEV_SECRETS } from '@procura/config';
import { CommandBus, RedisRpcClient } from '@procura/messaging';
import { openSecret, type SealedSecret } from '@procura/security';
import {
  addAdministrator,
  addUsers,
  ApiResponse,
  ApiSession,
  FixtureAdministrator,
  projectPrincipal,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  TotpCodes,
  userSession,
  waitFor,
  waitForMail,
} from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; messages: string[] }>;
}
interface Submission {
  status: 'APPLIED' | 'PENDING';
  changeRequestId: string;
  result: Record<string, unknown>;
  revealOnce?: { provisionalPassword: string };
}
/** An operator's change applied at once (issue 16: registering a person or a credential is a change request too). */
interface Applied<Result> extends Submission {
  result: Result & Record<string, unknown>;
}
type UserCreated = Applied<{ user: UserView }>;
type CredentialCreated = Applied<{ credential: CredentialView; provisionalPasswordDelivery: string }> & {
  revealOnce: { provisionalPassword: string };
};
/** Outbox job ids are the business event keys with ':' made BullMQ-safe ('.'). */
interface OutboxJob {
  job_name: string;
  job_id: string;
  payload: Record<string, unknown> & { secrets: Record<string, SealedSecret> };
}

const DEV_SECRETS_KEY = DEV_SECRETS.SECRETS_KEY;
// Step-up codes are single use per 30-second step: tests needing several wait for the next step.
jest.setTimeout(150_000);

/** Every secret the tests see: none may appear in a log line or an error response. */
const secrets = new Set<string>();
const errorBodies: string[] = [];

const codes = new TotpCodes();
async function totp(secret: string): Promise<string> {
  secrets.add(secret);
  return codes.next(secret);
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
function person(overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    lastName: 'Bernard',
    firstName: 'Chloé',
    birthDate: '1985-03-14',
    email: `chloe.bernard.${id}@client.example`,
    clientType: 'STANDARD',
    ...overrides,
  };
}

describe('Identity (e2e)', () => {
  let system: RunningSystem;
  let operator: ApiSession;
  let db: Client;
  let bus: CommandBus;
  let rpc: RedisRpcClient;

  const anonymous = () => ApiSession.anonymous(system.baseUrl);
  const as = (token: string) => new ApiSession(system.baseUrl, token);

  async function login(loginId: string, password: string): Promise<ApiResponse<SessionTokens & Problem>> {
    secrets.add(password);
    const res = await anonymous().post<SessionTokens & Problem>('/auth/login', { loginId, password });
    if (res.status >= 400) errorBodies.push(JSON.stringify(res.body));
    return res;
  }

  /** Signs in completely: the password, then the TOTP code when the credential has one enrolled. */
  async function fullTokens(user: { loginId: string; password: string; totpSecret: string | null }): Promise<SessionTokens> {
    const res = await login(user.loginId, user.password);
    if (res.body.scope !== 'totp-verification') return res.body;
    const verified = await as(res.body.accessToken).post<SessionTokens>('/auth/totp/verify', { code: await totp(user.totpSecret!) });
    return verified.body;
  }

  async function fullSession(user: { loginId: string; password: string; totpSecret: string | null }): Promise<ApiSession> {
    const tokens = await fullTokens(user);
    expect(tokens.scope).toBe('full');
    return as(tokens.accessToken);
  }

  async function jobs(where: string, params: unknown[] = []): Promise<OutboxJob[]> {
    const { rows } = await db.query<OutboxJob>(
      `SELECT job_name, job_id, payload FROM identity.outbox WHERE ${where} ORDER BY created_at`,
      params,
    );
    return rows;
  }

  /** A fresh company with its first administrator through the first-login journey (seed 000), ready to act. */
  async function companyWithAdmin(): Promise<{
    company: CompanyView;
    admin: UserView;
    session: ApiSession;
    loginId: string;
    password: string;
    totpSecret: string;
  }> {
    const digits = `${Date.now()}${seq++}`.slice(-9);
    const company = (
      await operator.post<CompanyView>('/companies', {
        name: `Client ${digits}`,
        registrationNumber: digits,
        billingMode: 'CLIENT',
        pricingOffer: 'ESSENTIEL',
      })
    ).body;
    const admin = (
      await operator.post<UserCreated>(
        `/companies/${company.id}/users`,
        person({ clientType: 'ADMINISTRATOR', lastName: 'Garnier', firstName: 'Inès' }),
      )
    ).body.result.user;
    const issued = await operator.post<CredentialCreated>(`/users/${admin.id}/credentials`, { type: 'PERMANENT', bankingPower: false });
    const loginId = issued.body.result.credential.loginId;
    const first = await login(loginId, issued.body.revealOnce.provisionalPassword);
    const password = `Tournesol-${unique()}-Azur`;
    secrets.add(password);
    const changed = await as(first.body.accessToken).post<SessionTokens>('/auth/password', {
      currentPassword: issued.body.revealOnce.provisionalPassword,
      newPassword: password,
      newPasswordConfirmation: password,
    });
    const enrolment = await as(changed.body.accessToken).post<TotpEnrolment>('/auth/totp/enrol');
    const confirmed = await as(changed.body.accessToken).post<SessionTokens>('/auth/totp/confirm', {
      code: await totp(enrolment.body.secret),
    });
    return { company, admin, session: as(confirmed.body.accessToken), loginId, password, totpSecret: enrolment.body.secret };
  }

  /**
   * A fresh company with fixture administrators (active, TOTP enrolled, each with a secret of its
   * own): for tests that need several step-up codes, which one enrolled secret could only give one
   * 30-second step at a time. The first-login journey itself is covered by companyWithAdmin.
   */
  async function companyWithFixtureAdmins(
    ...signatures: Array<'INDIVIDUAL' | 'COLLECTIVE'>
  ): Promise<{ company: CompanyView; admins: FixtureAdministrator[] }> {
    const digits = `${Date.now()}${seq++}`.slice(-9);
    const company = (
      await operator.post<CompanyView>('/companies', {
        name: `Client ${digits}`,
        registrationNumber: digits,
        billingMode: 'CLIENT',
        pricingOffer: 'ESSENTIEL',
      })
    ).body;
    const admins = await Promise.all(
      signatures.map((adminSignature) => addAdministrator(system.databaseUrl, company.id, { adminSignature })),
    );
    for (const admin of admins) secrets.add(admin.totpSecret);
    return { company, admins };
  }

  beforeAll(async () => {
    // The shared system: this file keeps to its own companies, and to the demo users no other file touches (Marc, Léa).
    system = await sharedSystem();
    operator = ApiSession.operator(system.baseUrl);
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    rpc = new RedisRpcClient(system.redisUrl);
    await rpc.connect();
    bus = new CommandBus(rpc, 5000);
    for (const u of Object.values(DEMO.users)) secrets.add(u.password);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    // Unexpected errors of any service, to diagnose a failure from the test output.
    const errors = system?.logs().filter((l) => l.level === 'error' || l.level === 'fatal') ?? [];
    if (errors.length) process.stderr.write(`service errors:\n${errors.map((e) => JSON.stringify(e).slice(0, 1500)).join('\n')}\n`);
    await rpc?.close();
    await db?.end();
  });

  describe('persons and company rules', () => {
    it('lets an operator register persons as change requests: the first administrator is active at once, others as the operator says', async () => {
      const digits = `${Date.now()}`.slice(-9);
      const company = await operator.post<CompanyView>('/companies', {
        name: 'Cabinet Roux',
        registrationNumber: digits,
        billingMode: 'FIRM',
        pricingOffer: 'PREMIUM',
      });
      expect(company.body.requireStrongAuth).toBe(true);
      const first = await operator.post<UserCreated>(`/companies/${company.body.id}/users`, person({ clientType: 'ADMINISTRATOR' }));
      expect([first.status, first.body.status]).toEqual([201, 'APPLIED']);
      expect(first.body.result.user).toMatchObject({ status: 'ACTIVE', clientType: 'ADMINISTRATOR', adminSignature: 'INDIVIDUAL' });
      const second = await operator.post<UserCreated>(
        `/companies/${company.body.id}/users`,
        person({ clientType: 'ADMINISTRATOR', activationMode: 'DEFERRED' }),
      );
      expect(second.body.result.user.status).toBe('REGISTERED');
      const edited = await operator.request<CompanyView>('PATCH', `/companies/${company.body.id}`, { requireStrongAuth: false });
      expect(edited.body).toMatchObject({ requireStrongAuth: false, version: 2 });
      const principal = await jobs(`job_name = 'sync-principal' AND payload->>'userId' = $1`, [first.body.result.user.id]);
      expect(principal[0].payload).toMatchObject({ status: 'ACTIVE', companyId: company.body.id, version: 1 });
    });

    it('lets an administrator read their own company (not another one, not edit it); a standard user reads none', async () => {
      const { martin, dupont } = DEMO.companies;
      const { sophie, julie } = DEMO.users;
      const admin = userSession(system.baseUrl, { userId: sophie.id, companyId: martin.id, clientType: 'ADMINISTRATOR' });
      const own = await admin.get<CompanyView>(`/companies/${martin.id}`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: martin.id, name: martin.name });
      expect((await admin.get<Problem>(`/companies/${dupont.id}`)).status).toBe(404);
      expect((await admin.get<Problem>('/companies')).status).toBe(403);
      expect((await admin.request<Problem>('PATCH', `/companies/${martin.id}`, { requireStrongAuth: false })).status).toBe(403);
      const standard = userSession(system.baseUrl, { userId: julie.id, companyId: martin.id, clientType: 'STANDARD' });
      expect((await standard.get<Problem>(`/companies/${martin.id}`)).status).toBe(403);
    });

    it('refuses a generic mailbox with a clear error and an e-mail already used, whatever its case', async () => {
      const generic = await operator.post<Problem>(
        `/companies/${DEMO.companies.dupont.id}/users`,
        person({ email: 'compta@atelier-dupont.example' }),
      );
      expect(generic.status).toBe(422);
      expect(generic.body.code).toBe('EMAIL_NOT_NOMINATIVE');
      expect(generic.body.errors?.[0].field).toBe('email');
      const taken = await operator.post<Problem>(
        `/companies/${DEMO.companies.dupont.id}/users`,
        person({ email: 'Marc.DUPONT@atelier-dupont.example' }),
      );
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('EMAIL_ALREADY_USED');
    });

    it('answers bad input with 400 naming the fields (unknown field, missing field, malformed values)', async () => {
      const res = await operator.post<Problem>(`/companies/${DEMO.companies.dupont.id}/users`, {
        lastName: 'X',
        birthDate: '14/03/1985',
        email: 'nope',
        clientType: 'BOSS',
        shoeSize: 42,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field).sort()).toEqual(['birthDate', 'clientType', 'email', 'firstName', 'shoeSize']);
    });
  });

  describe('first login (seed 000): provisional password → forced change → TOTP enrolment → access', () => {
    it('walks the whole journey and delivers the login id by e-mail, the password on screen when there is no phone', async () => {
      const digits = `${Date.now()}`.slice(-9);
      const company = (
        await operator.post<CompanyView>('/companies', {
          name: 'Fromagerie Blanc',
          registrationNumber: digits,
          billingMode: 'CLIENT',
          pricingOffer: 'ESSENTIEL',
        })
      ).body;
      const admin = (
        await operator.post<UserCreated>(
          `/companies/${company.id}/users`,
          person({ clientType: 'ADMINISTRATOR', firstName: 'Hélène', lastName: 'Blanc' }),
        )
      ).body.result.user;
      const issued = await operator.post<CredentialCreated>(`/users/${admin.id}/credentials`, {
        type: 'PERMANENT',
        bankingPower: false,
      });
      expect([issued.status, issued.body.status]).toEqual([201, 'APPLIED']);
      expect(issued.body.result.provisionalPasswordDelivery).toBe('SHOWN_ONCE');
      const provisional = issued.body.revealOnce.provisionalPassword;
      secrets.add(provisional);
      expect(provisional.length).toBeGreaterThanOrEqual(12);
      const { loginId } = issued.body.result.credential;
      expect(loginId).toMatch(/^\d{14}$/);
      // Shown this one time: the change request keeps no trace of it.
      expect(JSON.stringify((await operator.get(`/change-requests/${issued.body.changeRequestId}`)).body)).not.toContain(provisional);

      const welcome = await jobs(`job_name = 'send-email' AND job_id = $1`, [`welcome.${issued.body.result.credential.id}`]);
      expect(welcome[0].payload).toMatchObject({
        template: 'welcome-login-id',
        to: admin.email,
        params: { loginId, firstName: 'Hélène', lastName: 'Blanc' },
      });
      expect(
        await jobs(`job_name = 'send-sms' AND payload->>'to' IS NOT NULL AND job_id LIKE $1`, [`%${issued.body.result.credential.id}%`]),
      ).toEqual([]);
      const listed = await operator.get<CredentialView[]>(`/users/${admin.id}/credentials`);
      expect(JSON.stringify(listed.body)).not.toContain(provisional);

      const first = await login(loginId, provisional);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ scope: 'password-change', passwordChangeRequired: true });
      const restricted = as(first.body.accessToken);
      expect((await restricted.get(`/users/${admin.id}`)).status).toBe(403);

      const weak = await restricted.post<Problem>('/auth/password', {
        currentPassword: provisional,
        newPassword: 'helene-blanc',
        newPasswordConfirmation: 'helene-blanc2',
      });
      errorBodies.push(JSON.stringify(weak.body));
      expect(weak.status).toBe(400);
      const newPasswordErrors = weak.body.errors?.find((e) => e.field === 'newPassword')?.messages ?? [];
      expect(newPasswordErrors).toEqual(
        expect.arrayContaining(['newPassword must not contain your first name', 'newPassword must not contain your last name']),
      );
      expect(weak.body.errors?.map((e) => e.field)).toContain('newPasswordConfirmation');

      const password = 'Montagne-Bleue-2031';
      secrets.add(password);
      const changed = await restricted.post<SessionTokens>('/auth/password', {
        currentPassword: provisional,
        newPassword: password,
        newPasswordConfirmation: password,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ scope: 'totp-enrolment', totpEnrolmentRequired: true });
      expect((await restricted.get('/auth/me')).status).toBe(401); // the first session ended
      expect((await login(loginId, provisional)).status).toBe(401); // single use

      const enrolling = as(changed.body.accessToken);
      const enrolment = await enrolling.post<TotpEnrolment>('/auth/totp/enrol');
      expect(enrolment.body.otpauthUri).toMatch(new RegExp(`^otpauth://totp/Procura:${loginId}\\?secret=${enrolment.body.secret}`));
      secrets.add(enrolment.body.secret);
      const wrong = await enrolling.post<Problem>('/auth/totp/confirm', { code: '000000' });
      expect(wrong.status).toBe(422);
      const confirmed = await enrolling.post<SessionTokens>('/auth/totp/confirm', { code: await totp(enrolment.body.secret) });
      expect(confirmed.body.scope).toBe('full');
      const me = await as(confirmed.body.accessToken).get<UserView>('/auth/me');
      expect(me.body.id).toBe(admin.id);

      // From now on the password alone is not enough (seed 001: Sécur'Pass at sign-in).
      const again = await login(loginId, password);
      expect(again.body).toMatchObject({ scope: 'totp-verification', totpCodeRequired: true });
      expect(Date.parse(again.body.sessionExpiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
      expect((await as(again.body.accessToken).get('/auth/me')).status).toBe(403);
      expect((await as(again.body.accessToken).get(`/users/${admin.id}`)).status).toBe(403);
      const refreshed = await anonymous().post<SessionTokens>('/auth/refresh', { refreshToken: again.body.refreshToken });
      expect(refreshed.body.scope).toBe('totp-verification'); // refreshing never widens it
      const halfway = as(refreshed.body.accessToken);
      const failures = async () =>
        (await db.query(`SELECT failed_attempts FROM identity.credentials WHERE id = $1`, [issued.body.result.credential.id])).rows[0]
          .failed_attempts as number;
      const before = await failures(); // the provisional password tried again above counted one
      const wrongCode = await halfway.post<Problem>('/auth/totp/verify', { code: '000000' });
      expect(wrongCode.status).toBe(422);
      expect(wrongCode.body).toMatchObject({ code: 'TOTP_CODE_INVALID', errors: [{ field: 'code' }] });
      expect(await failures()).toBe(before + 1);
      // Typing the password again does not forget the wrong code: codes could be guessed without end otherwise.
      const retry = await login(loginId, password);
      expect(retry.body.scope).toBe('totp-verification');
      expect(await failures()).toBe(before + 1);
      const code = await totp(enrolment.body.secret);
      const verified = await halfway.post<SessionTokens>('/auth/totp/verify', { code });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ scope: 'full', totpCodeRequired: false });
      expect(await failures()).toBe(0);
      expect((await as(verified.body.accessToken).get<UserView>('/auth/me')).body.id).toBe(admin.id);
      expect((await halfway.post('/auth/totp/verify', { code })).status).toBe(401); // the password-only session ended
      // A code is accepted once; wrong codes lock the credential like wrong passwords (5 here).
      const other = as(retry.body.accessToken);
      expect((await other.post<Problem>('/auth/totp/verify', { code })).body.code).toBe('TOTP_CODE_INVALID');
      for (let i = 0; i < 3; i++) expect((await other.post('/auth/totp/verify', { code: '000000' })).status).toBe(422);
      expect((await other.post('/auth/totp/verify', { code: '000000' })).status).toBe(401); // the fifth failure locks
      expect((await login(loginId, password)).status).toBe(401);
      const audit = await jobs(`job_name = 'record-audit-event' AND payload->>'targetId' = $1`, [issued.body.result.credential.id]);
      expect(audit.map((j) => j.payload.action)).toEqual(
        expect.arrayContaining([
          'credential.created',
          'login.succeeded',
          'credential.password-changed',
          'credential.totp-enrolled',
          'login.totp-failed',
          'login.totp-verified',
          'credential.locked',
        ]),
      );
    });

    it('refuses a malformed login id or a bad check digit before any lookup, and never says which field was wrong', async () => {
      const malformed = await anonymous().post<Problem>('/auth/login', { loginId: '123', password: 'x' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors?.[0].field).toBe('loginId');
      const typo = `${DEMO.users.marc.loginId.slice(0, 13)}${(Number(DEMO.users.marc.loginId[13]) + 1) % 10}`;
      const badDigit = await anonymous().post<Problem>('/auth/login', { loginId: typo, password: 'x' });
      expect(badDigit.status).toBe(400);
      expect(badDigit.body.errors?.[0].field).toBe('loginId');
      const missing = await anonymous().post<Problem>('/auth/login', { loginId: DEMO.users.marc.loginId });
      expect(missing.status).toBe(400);
      expect(missing.body.errors?.map((e) => e.field)).toEqual(['password']);

      const wrongPassword = await login(DEMO.users.lea.loginId, 'Not-The-Password-1');
      const unknownId = await login('10000000000008', DEMO.users.lea.password);
      expect(wrongPassword.status).toBe(401);
      expect(unknownId.status).toBe(401);
      expect(unknownId.body.detail).toBe(wrongPassword.body.detail);
      expect(unknownId.body.code).toBe(wrongPassword.body.code);
    });
  });

  describe('changes made by a company administrator', () => {
    it('creates a user and a credential (step-up required, replay refused), with split delivery channels', async () => {
      const { company, session, totpSecret } = await companyWithAdmin();
      const created = await session.post<Submission>(
        `/companies/${company.id}/users`,
        person({ phone: '+33600000001', firstName: 'Nina', lastName: 'Perrin' }),
      );
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('APPLIED');
      const user = created.body.result.user as UserView;
      expect(user.status).toBe('ACTIVE');

      const noStepUp = await session.post<Problem>(`/users/${user.id}/credentials`, { type: 'PERMANENT', bankingPower: false });
      expect(noStepUp.status).toBe(400);
      expect(noStepUp.body.errors?.[0].field).toBe('totpCode');

      const code = await totp(totpSecret);
      const issued = await session.post<Submission>(`/users/${user.id}/credentials`, {
        type: 'PERMANENT',
        bankingPower: false,
        totpCode: code,
      });
      expect(issued.status).toBe(201);
      expect(issued.body.result.provisionalPasswordDelivery).toBe('SMS');
      expect(issued.body.revealOnce).toBeUndefined();
      const credential = issued.body.result.credential as CredentialView;

      const replay = await session.post<Problem>(`/users/${user.id}/credentials`, {
        type: 'PERMANENT',
        bankingPower: false,
        totpCode: code,
      });
      expect(replay.status).toBe(403);
      expect(replay.body.code).toBe('STEP_UP_FAILED');

      const [sms] = await jobs(`job_name = 'send-sms' AND job_id LIKE $1`, [`provisional-password.${credential.id}.%`]);
      expect(sms.payload).toMatchObject({ template: 'provisional-password', to: '+33600000001' });
      const provisional = openSecret(sms.payload.secrets.provisionalPassword, DEV_SECRETS_KEY);
      secrets.add(provisional);
      const raw = JSON.stringify(await jobs(`true`));
      expect(raw).not.toContain(provisional);
      const userLogin = await login(credential.loginId, provisional);
      expect(userLogin.body.scope).toBe('password-change');

      const [principal] = (await jobs(`job_name = 'sync-principal' AND payload->>'userId' = $1`, [user.id])).slice(-1);
      expect(principal.payload.credentials).toEqual([{ id: credential.id, validUntil: null, revoked: false, bankingPower: false }]);

      const resend = await session.post<{ sentTo: string }>(`/users/${user.id}/welcome-email`);
      expect(resend.status).toBe(200);
      expect(await jobs(`job_id LIKE $1`, [`welcome.${credential.id}.resend.%`])).toHaveLength(1);

      const revoked = await session.post<Submission>(`/credentials/${credential.id}/revoke`);
      expect(revoked.body.result.credential).toMatchObject({ status: 'REVOKED' });
      expect((await as(userLogin.body.accessToken).get('/auth/me')).status).toBe(401);
    });

    it('shows the provisional password once when the user has no phone, and never again', async () => {
      const { company, session, totpSecret } = await companyWithAdmin();
      const user = (await session.post<Submission>(`/companies/${company.id}/users`, person())).body.result.user as UserView;
      const issued = await session.post<Submission>(`/users/${user.id}/credentials`, {
        type: 'PERMANENT',
        bankingPower: false,
        totpCode: await totp(totpSecret),
      });
      const provisional = issued.body.revealOnce!.provisionalPassword;
      secrets.add(provisional);
      expect(provisional).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
      // The owning service records each applied item by the item's id: no clear secret there, nor in the request.
      const stored = await db.query<{ r: string }>(
        `SELECT a.result::text AS r FROM identity.applied_changes a JOIN authorizations.change_request_items i ON i.id = a.change_request_id WHERE i.change_request_id = $1`,
        [issued.body.changeRequestId],
      );
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0].r).not.toContain(provisional);
      const request = await db.query(`SELECT result::text AS r, reveal_once_sealed FROM authorizations.change_requests WHERE id = $1`, [
        issued.body.changeRequestId,
      ]);
      expect(request.rows[0].r).not.toContain(provisional);
      expect(JSON.stringify(await session.get(`/users/${user.id}/credentials`))).not.toContain(provisional);
      // Shown once means once: the applied request does not show it to its maker again.
      const view = await session.get<ChangeRequestView>(`/change-requests/${issued.body.changeRequestId}`);
      expect(view.status).toBe(200);
      expect(view.body.status).toBe('APPLIED');
      expect(JSON.stringify(view.body)).not.toContain(provisional);
      expect(request.rows[0].reveal_once_sealed).toBeNull();
    });

    it('shows the provisional password of a credential approved by another administrator once, to its maker only, on the change request', async () => {
      const { company, admins } = await companyWithFixtureAdmins('COLLECTIVE', 'COLLECTIVE');
      const [maker, validator] = admins;
      const [userId] = await addUsers(system.databaseUrl, company.id, 1); // no phone: the password cannot go by SMS
      const submitted = await maker
        .session(system.baseUrl)
        .post<Submission & { changeRequest: ChangeRequestView }>(`/users/${userId}/credentials`, {
          type: 'PERMANENT',
          bankingPower: false,
          totpCode: await totp(maker.totpSecret),
        });
      expect(submitted.status).toBe(202);
      expect(submitted.body).toMatchObject({ status: 'PENDING', changeRequest: { kind: 'CREDENTIAL_CREATE', status: 'PENDING' } });
      expect(submitted.body.revealOnce).toBeUndefined();
      const id = submitted.body.changeRequestId;
      expect((await maker.session(system.baseUrl).get<CredentialView[]>(`/users/${userId}/credentials`)).body).toEqual([]); // nothing issued before approval

      const approved = await validator
        .session(system.baseUrl)
        .post<ChangeRequestView>(`/change-requests/${id}/approve`, { totpCode: await totp(validator.totpSecret) });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('APPLIED');
      expect(approved.body.revealOnce).toBeUndefined();
      expect((await validator.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`)).body.revealOnce).toBeUndefined();

      const shown = await maker.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`);
      const provisional = shown.body.revealOnce?.provisionalPassword ?? '';
      secrets.add(provisional);
      expect(provisional).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
      const again = await maker.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`);
      expect(again.body.status).toBe('APPLIED');
      expect(again.body.revealOnce).toBeUndefined();
      expect(JSON.stringify(again.body)).not.toContain(provisional);

      const [credential] = (await maker.session(system.baseUrl).get<CredentialView[]>(`/users/${userId}/credentials`)).body;
      expect((await login(credential.loginId, provisional)).body.scope).toBe('password-change');
    });

    it('keeps at least one active administrator: suspending, demoting or deleting the last one is refused', async () => {
      const { admin, session, company } = await companyWithAdmin();
      for (const [method, path, body] of [
        ['POST', `/users/${admin.id}/suspend`, undefined],
        ['PATCH', `/users/${admin.id}`, { clientType: 'STANDARD' }],
        ['DELETE', `/users/${admin.id}`, undefined],
      ] as const) {
        const res = await session.request<Problem>(method, path, body);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('LAST_ADMINISTRATOR');
      }
      const other = (
        await session.post<Submission>(
          `/companies/${company.id}/users`,
          person({ clientType: 'ADMINISTRATOR', activationMode: 'DEFERRED' }),
        )
      ).body.result.user as UserView;
      expect(other.status).toBe('REGISTERED');
      expect((await session.post<Submission>(`/users/${other.id}/activate`)).body.result.user).toMatchObject({ status: 'ACTIVE' });
      const suspended = await session.post<Submission>(`/users/${admin.id}/suspend`);
      expect(suspended.status).toBe(200);
      expect((await session.get('/auth/me')).status).toBe(401); // a suspended user's sessions end
    });

    it('edits, sets the admin signature, suspends, reactivates and deletes a user', async () => {
      const { company, session } = await companyWithAdmin();
      const user = (await session.post<Submission>(`/companies/${company.id}/users`, person({ clientType: 'ADMINISTRATOR' }))).body.result
        .user as UserView;
      const edited = await session.request<Submission>('PATCH', `/users/${user.id}`, { lastName: 'Perrot', phone: '+33611112222' });
      expect(edited.body.result.user).toMatchObject({ lastName: 'Perrot', phone: '+33611112222', version: 2 });
      expect(
        (await session.request<Submission>('PUT', `/users/${user.id}/admin-signature`, { adminSignature: 'COLLECTIVE' })).body.result.user,
      ).toMatchObject({ adminSignature: 'COLLECTIVE' });
      expect((await session.post<Submission>(`/users/${user.id}/suspend`)).body.result.user).toMatchObject({ status: 'SUSPENDED' });
      expect((await session.post<Submission>(`/users/${user.id}/reactivate`)).body.result.user).toMatchObject({ status: 'ACTIVE' });
      expect((await session.request<Submission>('DELETE', `/users/${user.id}`)).body.result.user).toMatchObject({ status: 'DELETED' });
      expect((await session.get(`/users/${user.id}`)).status).toBe(404);
      // Each change's entry reaches the trail with its change request's outcome (appended by the authorizations service).
      const actions = await waitFor(
        async () => {
          const { rows } = await db.query<{ action: string }>(
            `SELECT action FROM authorizations.audit_entries WHERE target_id = $1 ORDER BY seq`,
            [user.id],
          );
          return rows.length >= 6 && rows.map((r) => r.action);
        },
        { timeoutMs: 15_000, what: "the user's entries in the audit trail" },
      );
      expect(actions).toEqual([
        'user.created',
        'user.updated',
        'user.admin-signature-set',
        'user.suspended',
        'user.reactivated',
        'user.deleted',
      ]);
    });

    it('refuses any action on another company with 404, exactly like a missing user', async () => {
      const marc = await fullSession(DEMO.users.marc);
      const julie = DEMO.users.julie.id;
      const missing = randomUUID();
      for (const id of [julie, missing]) {
        expect((await marc.get(`/users/${id}`)).status).toBe(404);
        expect((await marc.request('PATCH', `/users/${id}`, { lastName: 'X' })).status).toBe(404);
        expect((await marc.post(`/users/${id}/suspend`)).status).toBe(404);
        expect((await marc.get(`/users/${id}/credentials`)).status).toBe(404);
      }
      expect((await marc.post(`/companies/${DEMO.companies.martin.id}/users`, person())).status).toBe(404);
      expect((await marc.get(`/companies/${DEMO.companies.martin.id}/users`)).status).toBe(404);
      const martinCredential = (await db.query(`SELECT id FROM identity.credentials WHERE user_id = $1`, [julie])).rows[0].id as string;
      expect((await marc.post(`/credentials/${martinCredential}/unlock`)).status).toBe(404);
      expect((await marc.post(`/credentials/${martinCredential}/revoke`)).status).toBe(404);
    });
  });

  describe('the validate/apply seam', () => {
    it('applies once per change id, reports STALE on a moved target and FAILED when a rule breaks at apply time', async () => {
      const { company, admin } = await companyWithAdmin();
      const payload = person();
      const changeRequestId = randomUUID();
      const input = {
        changeRequestId,
        kind: 'USER_CREATE' as const,
        companyId: company.id,
        makerUserId: admin.id,
        payload,
        mode: 'approved' as const,
      };
      const first = await bus.execute(ChangeCommands.apply('identity'), input);
      const second = await bus.execute(ChangeCommands.apply('identity'), input);
      expect(first.outcome).toBe('APPLIED');
      expect(second).toEqual(first);
      const count = await db.query(`SELECT count(*)::int AS n FROM identity.users WHERE email = $1`, [payload.email]);
      expect(count.rows[0].n).toBe(1);

      const userId = (first.result!.user as UserView).id;
      const stale = await bus.execute(ChangeCommands.apply('identity'), {
        changeRequestId: randomUUID(),
        kind: 'USER_UPDATE',
        companyId: company.id,
        makerUserId: admin.id,
        payload: { userId, lastName: 'Stale' },
        targetVersion: 99,
        mode: 'approved',
      });
      expect(stale.outcome).toBe('STALE');

      const failed = await bus.execute(ChangeCommands.apply('identity'), {
        changeRequestId: randomUUID(),
        kind: 'USER_SUSPEND',
        companyId: company.id,
        makerUserId: admin.id,
        payload: { userId: admin.id },
        mode: 'approved',
      });
      expect(failed).toMatchObject({ outcome: 'FAILED', reason: expect.stringContaining('last active administrator') });

      const validation = await bus.execute(
        ChangeCommands.validate('identity'),
        { kind: 'USER_SUSPEND', companyId: company.id, payload: { userId } },
        { actor: { kind: 'system', reason: 'test' } },
      );
      expect(validation).toMatchObject({
        targetType: 'user',
        targetId: userId,
        targetVersion: 1,
        subjectUserIds: [userId],
        diff: { before: { status: 'ACTIVE' }, after: { status: 'SUSPENDED' } },
      });
      expect(validation.summary).toContain('Suspend user Chloé Bernard');
    });
  });

  describe('lock-out, unlock, expiry, sessions', () => {
    it('locks a credential after 5 failures, even for the right password, until an administrator unlocks it', async () => {
      const { session, company, totpSecret } = await companyWithAdmin();
      const user = (await session.post<Submission>(`/companies/${company.id}/users`, person())).body.result.user as UserView;
      const issued = await session.post<Submission>(`/users/${user.id}/credentials`, {
        type: 'PERMANENT',
        bankingPower: false,
        totpCode: await totp(totpSecret),
      });
      const credential = issued.body.result.credential as CredentialView;
      const provisional = issued.body.revealOnce!.provisionalPassword;
      secrets.add(provisional);
      for (let i = 0; i < 5; i++) expect((await login(credential.loginId, `Wrong-password-${i}`)).status).toBe(401);
      const locked = await login(credential.loginId, provisional);
      expect(locked.status).toBe(401);
      expect((await session.get<CredentialView[]>(`/users/${user.id}/credentials`)).body[0].locked).toBe(true);
      const unlocked = await session.post<CredentialView>(`/credentials/${credential.id}/unlock`);
      expect(unlocked.body.locked).toBe(false);
      expect((await login(credential.loginId, provisional)).status).toBe(200);
      const actions = (await jobs(`job_name = 'record-audit-event' AND payload->>'targetId' = $1`, [credential.id])).map(
        (j) => j.payload.action,
      );
      expect(actions).toEqual(expect.arrayContaining(['login.failed', 'credential.locked', 'credential.unlocked', 'login.succeeded']));
    });

    it('refuses a temporary credential after its end date', async () => {
      const {
        company,
        admins: [admin],
      } = await companyWithFixtureAdmins('INDIVIDUAL');
      const session = admin.session(system.baseUrl);
      const totpSecret = admin.totpSecret;
      const created = await session.post<Submission>(`/companies/${company.id}/users`, person());
      expect(created.status).toBe(201);
      const user = created.body.result.user as UserView;
      // The code first: it may wait for a fresh TOTP time step, which must not eat the validity.
      // 15 s of validity leave room for a loaded machine between the issue and the first sign-in.
      const totpCode = await totp(totpSecret);
      const validUntil = new Date(Date.now() + 15_000).toISOString();
      const issued = await session.post<Submission>(`/users/${user.id}/credentials`, {
        type: 'TEMPORARY',
        validUntil,
        bankingPower: false,
        totpCode,
      });
      expect(issued.body.result.credential).toMatchObject({ type: 'TEMPORARY', validUntil });
      const { loginId } = issued.body.result.credential as CredentialView;
      const provisional = issued.body.revealOnce!.provisionalPassword;
      secrets.add(provisional);
      expect((await login(loginId, provisional)).status).toBe(200);
      await waitFor(async () => Date.now() > Date.parse(validUntil) + 200, { timeoutMs: 30_000, what: 'the end date' });
      expect((await login(loginId, provisional)).status).toBe(401);
      const pastEnd = await session.post<Problem>(`/users/${user.id}/credentials`, {
        type: 'TEMPORARY',
        validUntil: '2020-01-01T00:00:00Z',
        bankingPower: false,
        totpCode: await totp(totpSecret),
      });
      expect(pastEnd.status).toBe(422);
    }, 120_000);

    it('rotates refresh tokens, ends the session when an old one is reused, and logs out', async () => {
      const first = await login(DEMO.users.marc.loginId, DEMO.users.marc.password);
      const refreshed = await anonymous().post<SessionTokens>('/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(first.body.refreshToken);
      const reused = await anonymous().post<Problem>('/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(reused.status).toBe(401);
      expect((await anonymous().post('/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
      expect((await as(refreshed.body.accessToken).get('/auth/me')).status).toBe(401);

      const second = await fullTokens(DEMO.users.marc);
      const session = as(second.accessToken);
      expect((await session.get('/auth/me')).status).toBe(200);
      expect((await session.post('/auth/logout')).status).toBe(200);
      expect((await session.get('/auth/me')).status).toBe(401);
      expect((await anonymous().post('/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
    });
  });

  describe('EDI signatures (seed 004)', () => {
    it('code e-mailed to the administrator, signature created by the user with the code, verified, locked, revoked, expired', async () => {
      // Two administrators with secrets of their own: every step-up below gets a fresh code without waiting for a new 30-second step.
      const { company, admins } = await companyWithFixtureAdmins('INDIVIDUAL', 'COLLECTIVE', 'INDIVIDUAL');
      const [admin, colleague, giver] = admins;
      const session = admin.session(system.baseUrl);
      const colleagueSession = colleague.session(system.baseUrl);
      // Both send declarations: a signature is for holders of the EDI sending right (seed 004; rule 9 of issue 17),
      // given by a third administrator (nobody gives rights to themselves).
      for (const a of [admin, colleague]) await projectPrincipal(system.databaseUrl, a.userId);
      const ediRight = await giver.session(system.baseUrl).post<Submission>(`/companies/${company.id}/authorizations`, {
        label: 'Envois EDI',
        service: 'EDI',
        effectiveFrom: new Date(Date.now() - 60_000).toISOString(),
        grants: [{ right: 'SEND_DECLARATIONS', level: 'ACCESS' }],
        userIds: [admin.userId, colleague.userId],
      });
      expect(ediRight.status).toBe(201);
      async function requestCode(userId: string): Promise<string> {
        const sent = await session.post<{ codeId: string; sentTo: string }>(`/users/${userId}/edi-code`);
        expect(sent.status).toBe(201);
        const [mail] = await jobs(`job_id = $1`, [`edi-code.${sent.body.codeId}`]);
        // The code goes to the requesting administrator, whoever the signature is for.
        expect(mail.payload).toMatchObject({ template: 'edi-code', to: admin.email });
        const code = openSecret(mail.payload.secrets.ediCode, DEV_SECRETS_KEY);
        secrets.add(code);
        // And it is delivered (the worker once refused the job's params and the code never arrived).
        await waitForMail((m) => m.to.includes(admin.email) && (m.text ?? '').includes(code), {
          timeoutMs: 20_000,
          what: `the EDI code e-mail to ${admin.email}`,
        });
        return code;
      }
      const sigPassword = 'Signature-Rivage-77';
      secrets.add(sigPassword);

      // The colleague's code: a signature password that breaks the policy is refused (after a valid step-up), and the code stays usable.
      const colleagueCode = await requestCode(colleague.userId);
      const weak = await colleagueSession.post<Problem>(`/users/${colleague.userId}/edi-signatures`, {
        code: colleagueCode,
        validityYears: 2,
        password: 'short',
        passwordConfirmation: 'short',
        totpCode: await totp(colleague.totpSecret),
      });
      expect(weak.status).toBe(400);
      expect(weak.body.errors?.[0].field).toBe('password');
      const badYears = await colleagueSession.post<Problem>(`/users/${colleague.userId}/edi-signatures`, {
        code: colleagueCode,
        validityYears: 5,
        password: sigPassword,
        passwordConfirmation: sigPassword,
        totpCode: '123456',
      });
      expect(badYears.status).toBe(400);
      expect(badYears.body.errors?.[0].field).toBe('validityYears');

      const code = await requestCode(admin.userId);
      const created = await session.post<{ id: string; status: string; validUntil: string; validFrom: string }>(
        `/users/${admin.userId}/edi-signatures`,
        {
          code,
          validityYears: 2,
          password: sigPassword,
          passwordConfirmation: sigPassword,
          totpCode: await totp(admin.totpSecret),
        },
      );
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('ACTIVE');
      expect(new Date(created.body.validUntil).getUTCFullYear() - new Date(created.body.validFrom).getUTCFullYear()).toBe(2);

      const reused = await session.post<Problem>(`/users/${admin.userId}/edi-signatures`, {
        code,
        validityYears: 1,
        password: sigPassword,
        passwordConfirmation: sigPassword,
        totpCode: await totp(admin.totpSecret),
      });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('EDI_CODE_INVALID');

      expect((await session.post(`/edi-signatures/${created.body.id}/verify`, { password: sigPassword })).status).toBe(200);
      for (let i = 0; i < 5; i++)
        expect((await session.post(`/edi-signatures/${created.body.id}/verify`, { password: `nope-${i}` })).status).toBe(422);
      const locked = await session.post<Problem>(`/edi-signatures/${created.body.id}/verify`, { password: sigPassword });
      expect(locked.body.code).toBe('SIGNATURE_LOCKED');

      // Another company's administrator cannot see or revoke it.
      const marc = await fullSession(DEMO.users.marc);
      expect((await marc.request('DELETE', `/edi-signatures/${created.body.id}`)).status).toBe(404);

      const revoked = await session.request<{ status: string }>('DELETE', `/edi-signatures/${created.body.id}`);
      expect(revoked.body.status).toBe('REVOKED');
      expect((await session.post<Problem>(`/edi-signatures/${created.body.id}/verify`, { password: sigPassword })).body.code).toBe(
        'SIGNATURE_REVOKED',
      );

      // Expiry: a signature past its validity is refused (the colleague's, with the code the weak password did not use up).
      const fresh = await colleagueSession.post<{ id: string }>(`/users/${colleague.userId}/edi-signatures`, {
        code: colleagueCode,
        validityYears: 1,
        password: sigPassword,
        passwordConfirmation: sigPassword,
        totpCode: await totp(colleague.totpSecret),
      });
      expect(fresh.status).toBe(201);
      expect((await colleagueSession.post(`/edi-signatures/${fresh.body.id}/verify`, { password: sigPassword })).status).toBe(200);
      await db.query(`UPDATE identity.edi_signatures SET valid_until = now() - interval '1 day' WHERE id = $1`, [fresh.body.id]);
      expect((await colleagueSession.post<Problem>(`/edi-signatures/${fresh.body.id}/verify`, { password: sigPassword })).body.code).toBe(
        'SIGNATURE_EXPIRED',
      );
    });

    it('refuses to create a signature for somebody else', async () => {
      const marc = await fullSession(DEMO.users.marc);
      const res = await marc.post<Problem>(`/users/${DEMO.users.lea.id}/edi-signatures`, {
        code: 'ABCDEFGHJK',
        validityYears: 1,
        password: 'Signature-Rivage-77',
        passwordConfirmation: 'Signature-Rivage-77',
        totpCode: await totp(DEMO.users.marc.totpSecret),
      });
      expect(res.status).toBe(403);
    });
  });

  // The sign-in limit per address is tested on a system of its own (gateway-limits.e2e-spec.ts).
  describe('secrets', () => {
    it('never writes a password, provisional password, TOTP secret or EDI code to a log line or an error response', async () => {
      const output = system.allOutput();
      expect(secrets.size).toBeGreaterThan(10);
      for (const secret of secrets) {
        expect(output.includes(secret)).toBe(false);
        for (const body of errorBodies) expect(body.includes(secret)).toBe(false);
      }
    });
  });
});
