import { ChangePreview, ChangeRequestView, ChangeSubmissionResult, CompanyView } from '@procura/contracts';
import { addAdministrator, ApiSession, FixtureAdministrator, SYSTEM_START_HOOK_TIMEOUT_MS, TestSystem, waitFor } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; messages: string[] }>;
}

jest.setTimeout(150_000);

let seq = 0;
function companyInput() {
  seq++;
  const digits = `${Date.now()}${seq}`.slice(-9);
  return { name: `Composite ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' };
}

/** The console's "add a user" (decision D1): a person, rights from a template, a credential; one request. */
function addUser(email: string, credential: Record<string, unknown> = { type: 'PERMANENT', bankingPower: false }) {
  return [
    {
      kind: 'USER_CREATE',
      ref: 'person',
      payload: { lastName: 'Nouvelle', firstName: 'Agnès', birthDate: '1988-04-12', email, clientType: 'STANDARD' },
    },
    { kind: 'RIGHTS_TEMPLATE', payload: { userId: { $ref: 'person' }, template: 'DIRECTOR', services: ['EINVOICING'] } },
    { kind: 'CREDENTIAL_CREATE', payload: { userId: { $ref: 'person' }, ...credential } },
  ];
}

describe('Composite change requests (e2e)', () => {
  let system: TestSystem;
  let db: Client;
  // Each test gets a company of its own: a maker (Alice) and a validator (Bob), whose TOTP code is good once per step.
  let company: CompanyView;
  let alice: FixtureAdministrator;
  let bob: FixtureAdministrator;

  const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await db.query<T>(text, params)).rows;
  const count = async (text: string, params: unknown[]) => Number((await sql<{ n: string }>(text, params))[0].n);
  const submit = (items: unknown[]) =>
    alice
      .session(system.baseUrl)
      .post<ChangeSubmissionResult & Partial<Omit<Problem, 'status'>>>(`/companies/${company.id}/change-requests`, { items });
  const approve = (id: string) =>
    bob
      .session(system.baseUrl)
      .post<ChangeRequestView & Partial<Omit<Problem, 'status'>>>(`/change-requests/${id}/approve`, { totpCode: bob.totp() });
  const view = async (id: string) => (await alice.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`)).body;
  const itemIds = async (id: string) =>
    (
      await sql<{ id: string }>(`SELECT id FROM authorizations.change_request_items WHERE change_request_id = $1 ORDER BY position`, [id])
    ).map((r) => r.id);
  const userByEmail = async (email: string) =>
    (await sql<{ id: string }>(`SELECT id FROM identity.users WHERE email = $1`, [email]))[0]?.id;
  const email = () => `agnes.nouvelle.${randomUUID().slice(0, 8)}@fixture.example`;

  /** The authorizations service dies at `point` during the approval's application. */
  async function approveThroughCrash(id: string, point: string): Promise<void> {
    await system.kill('authorizations');
    await system.restart('authorizations', { FAULT_INJECTION: point });
    const crashing = system.processes.filter((p) => p.service === 'authorizations').at(-1)!;
    void approve(id).catch(() => undefined);
    expect(await system.exited(crashing)).toBe('SIGKILL');
  }

  const settled = (id: string) =>
    waitFor(
      async () => {
        const v = await view(id);
        return v.status !== 'APPROVED' && v.status !== 'PENDING' && v;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the approved request to be applied after the restart' },
    );

  beforeAll(async () => {
    system = await TestSystem.start();
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  beforeEach(async () => {
    company = (await ApiSession.operator(system.baseUrl).post<CompanyView>('/companies', companyInput())).body;
    [alice, bob] = await Promise.all(['Alice', 'Bob'].map((firstName) => addAdministrator(system.databaseUrl, company.id, { firstName })));
  });
  afterAll(async () => {
    await db?.end();
    await system?.stop();
  });

  it('adds a user (person, rights from a template, credential) with one approval, items applied in order', async () => {
    const address = email();
    const submitted = await submit(addUser(address));
    expect(submitted.status).toBe(202);
    const pending = submitted.body.changeRequest as unknown as ChangeRequestView;
    expect(pending.items.map((i) => [i.position, i.kind, i.ref])).toEqual([
      [0, 'USER_CREATE', 'person'],
      [1, 'RIGHTS_TEMPLATE', undefined],
      [2, 'CREDENTIAL_CREATE', undefined],
    ]);
    // The person is a subject of the later items: the maker's colleague approves, once.
    expect(await userByEmail(address)).toBeUndefined();

    const approved = await approve(submitted.body.changeRequestId);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPLIED');
    expect(approved.body.items.map((i) => i.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);

    const userId = await userByEmail(address);
    expect(userId).toBeDefined();
    // The later items were about the person the first one created (its id was fixed at submission).
    expect(pending.items[1].targetId).toBe(userId);
    expect(await count(`SELECT count(*) AS n FROM authorizations.authorization_users WHERE user_id = $1`, [userId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM identity.credentials WHERE user_id = $1`, [userId])).toBe(1);
    // Rights were given although identity's copy of the person may reach authorizations only afterwards;
    // once it has (with the credential), they are effective.
    const rights = await waitFor(
      async () => {
        const res = await alice
          .session(system.baseUrl)
          .get<{ usable: boolean; rights: Array<{ service: string }> }>(`/users/${userId}/effective-rights`);
        return res.body.usable && res.body;
      },
      { timeoutMs: 20_000, what: "the new person's rights to be usable" },
    );
    expect(rights.rights.map((r) => r.service)).toContain('EINVOICING');
  });

  it('validates later items against what earlier ones plan: banking power is refused for e-invoicing rights only', async () => {
    const res = await submit(addUser(email(), { type: 'PERMANENT', bankingPower: true }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('BANKING_POWER_NOT_ALLOWED');
    expect(res.body.errors?.map((e) => e.field)).toEqual(['items[2].payload.bankingPower']);
  });

  it('refuses a reference to an unknown or later item, and a ref used twice, naming the field (400)', async () => {
    const unknown = await submit([
      { kind: 'RIGHTS_TEMPLATE', payload: { userId: { $ref: 'person' }, template: 'DIRECTOR', services: ['EINVOICING'] } },
      addUser(email())[0],
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.field)).toEqual(['items[0].payload.userId']);
    const [person, rights, credential] = addUser(email());
    const later = await submit([person, credential, { ...rights, payload: { ...rights.payload, userId: { $ref: 'nobody' } } }]);
    expect(later.status).toBe(400);
    expect(later.body.errors?.map((e) => e.field)).toEqual(['items[2].payload.userId']);
    const twice = await submit([person, { ...addUser(email())[0], ref: 'person' }]);
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.map((e) => e.field)).toEqual(['items[1].ref']);
    const malformed = await submit([{ ...person, ref: '1-not-a-name' }]);
    expect(malformed.status).toBe(400);
  });

  it('previews exactly what would be submitted (decision D2), writing nothing', async () => {
    const address = email();
    const before = await count(`SELECT count(*) AS n FROM authorizations.change_requests WHERE company_id = $1`, [company.id]);
    const res = await alice.session(system.baseUrl).post<ChangePreview>(`/companies/${company.id}/change-requests/preview`, {
      items: addUser(address),
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.position, i.kind, i.ref])).toEqual([
      [0, 'USER_CREATE', 'person'],
      [1, 'RIGHTS_TEMPLATE', undefined],
      [2, 'CREDENTIAL_CREATE', undefined],
    ]);
    expect(res.body.items[0].summary).toContain(address);
    expect(res.body.items[1].subjectUserIds).toEqual([res.body.items[1].targetId]);
    expect(res.body).toMatchObject({ appliesImmediately: false, requiredApprovals: 1 });
    expect(res.body.eligibleValidators).toEqual([{ userId: bob.userId, firstName: 'Bob', lastName: 'Fixture' }]);
    expect(await count(`SELECT count(*) AS n FROM authorizations.change_requests WHERE company_id = $1`, [company.id])).toBe(before);
    expect(await userByEmail(address)).toBeUndefined();
    // The same refusals as a submission.
    const refused = await alice.session(system.baseUrl).post<Problem>(`/companies/${company.id}/change-requests/preview`, {
      items: addUser(email(), { type: 'PERMANENT', bankingPower: true }),
    });
    expect(refused.status).toBe(422);
    // Another company's administrator sees nothing.
    const other = (await ApiSession.operator(system.baseUrl).post<CompanyView>('/companies', companyInput())).body;
    const stranger = await addAdministrator(system.databaseUrl, other.id);
    const hidden = await stranger
      .session(system.baseUrl)
      .post<Problem>(`/companies/${company.id}/change-requests/preview`, { items: addUser(email()) });
    expect(hidden.status).toBe(404);
  });

  it('validates every item again before the first applies: one turned invalid ends FAILED with nothing applied', async () => {
    const address = email();
    const validUntil = new Date(Date.now() + 3000);
    const submitted = await submit(addUser(address, { type: 'TEMPORARY', validUntil: validUntil.toISOString(), bankingPower: false }));
    expect(submitted.status).toBe(202);
    // Between approval and application the third item's end date has passed.
    await waitFor(async () => Date.now() > validUntil.getTime() + 500, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the end date to pass',
    });
    const approved = await approve(submitted.body.changeRequestId);
    expect(approved.body.status).toBe('FAILED');
    expect(approved.body.items.map((i) => i.outcome)).toEqual(['NOT_APPLIED', 'NOT_APPLIED', 'FAILED']);
    expect(approved.body.reason).toMatch(/Item 3 of 3 \(CREDENTIAL_CREATE\)/);
    expect(await userByEmail(address)).toBeUndefined();
    expect(
      await count(`SELECT count(*) AS n FROM identity.applied_changes WHERE change_request_id = ANY($1::uuid[])`, [
        await itemIds(submitted.body.changeRequestId),
      ]),
    ).toBe(0);
  });

  it('applies each item once when the applying process dies between two items', async () => {
    const address = email();
    const submitted = await submit(addUser(address));
    const id = submitted.body.changeRequestId;
    await approveThroughCrash(id, 'between-items');
    // Died after the person was created, before the rights: nothing else yet.
    const userId = (await userByEmail(address))!;
    expect(userId).toBeDefined();
    expect(await count(`SELECT count(*) AS n FROM authorizations.authorization_users WHERE user_id = $1`, [userId])).toBe(0);
    await system.restart('authorizations');

    const final = await settled(id);
    expect(final.status).toBe('APPLIED');
    expect(final.items.map((i) => i.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    const [first, second, third] = await itemIds(id);
    expect(
      await count(`SELECT count(*) AS n FROM identity.applied_changes WHERE change_request_id = ANY($1::uuid[])`, [[first, third]]),
    ).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM authorizations.applied_changes WHERE change_request_id = $1`, [second])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM identity.users WHERE email = $1`, [address])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM authorizations.authorization_users WHERE user_id = $1`, [userId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM identity.credentials WHERE user_id = $1`, [userId])).toBe(1);
  });

  it('ends FAILED listing the items applied when the third turns invalid after the first ones applied, and the audit says so', async () => {
    const address = email();
    const submitted = await submit(addUser(address));
    const id = submitted.body.changeRequestId;
    await approveThroughCrash(id, 'between-items');
    const userId = (await userByEmail(address))!;
    // While the service is down, somebody gives the new person a credential another way.
    const existing = randomUUID();
    await sql(
      `INSERT INTO identity.credentials (id, user_id, company_id, login_id, type, banking_power, status, password_hash, password_is_provisional, created_by)
       VALUES ($1, $2, $3, '40299999999996', 'PERMANENT', false, 'ACTIVE', 'not-a-hash', true, 'test')`,
      [existing, userId, company.id],
    );
    await system.restart('authorizations');

    const final = await settled(id);
    expect(final.status).toBe('FAILED');
    expect(final.items.map((i) => i.outcome)).toEqual(['APPLIED', 'APPLIED', 'FAILED']);
    expect(final.reason).toMatch(/Item 3 of 3 \(CREDENTIAL_CREATE\) FAILED/);
    // Nothing half-written: the rights item is whole, the credential item wrote nothing.
    expect(await count(`SELECT count(*) AS n FROM authorizations.authorization_users WHERE user_id = $1`, [userId])).toBe(1);
    expect(await sql(`SELECT id FROM identity.credentials WHERE user_id = $1`, [userId])).toEqual([{ id: existing }]);
    const audit = await waitFor(
      async () => {
        const page = await alice
          .session(system.baseUrl)
          .get<{ items: Array<{ action: string; targetId?: string; details?: { items?: unknown } }> }>(
            `/companies/${company.id}/audit?pageSize=100`,
          );
        return page.body.items.find((e) => e.targetId === id && e.action === 'CHANGE_REQUEST_FAILED');
      },
      { timeoutMs: 15_000, what: 'the failure in the audit trail' },
    );
    expect(audit.details?.items).toEqual([
      { position: 0, kind: 'USER_CREATE', outcome: 'APPLIED' },
      { position: 1, kind: 'RIGHTS_TEMPLATE', outcome: 'APPLIED' },
      { position: 2, kind: 'CREDENTIAL_CREATE', outcome: 'FAILED' },
    ]);
  });
});
