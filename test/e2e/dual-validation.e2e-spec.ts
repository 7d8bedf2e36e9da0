import { ChangeRequestView, ChangeSubmissionResult, CompanyView } from '@procura/contracts';
import { QUEUES } from '@procura/contracts';
import {
  addAdministrator,
  addOperator,
  addUsers,
  FixtureAdministrator,
  queryRows,
  readCaughtMail,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  waitFor,
} from '@procura/testing';
import { Queue } from 'bullmq';

interface Problem {
  code: string;
  detail: string;
}
interface UserView {
  id: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  version: number;
}

let seq = 0;
function companyInput() {
  seq++;
  const digits = `${Date.now()}${seq}`.slice(-9);
  return { name: `Dual ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' };
}

/** A company with three collective administrators (maker + two validators) and some users. */
async function setUp(system: RunningSystem) {
  const operator = (await addOperator(system.databaseUrl)).session(system.baseUrl);
  const company = (await operator.post<CompanyView>('/companies', companyInput())).body;
  const [alice, bob, carol] = await Promise.all(
    ['Alice', 'Bob', 'Carol'].map((firstName) => addAdministrator(system.databaseUrl, company.id, { firstName })),
  );
  const users = await addUsers(system.databaseUrl, company.id, 3);
  return { company, alice, bob, carol, users, operator };
}

function approve(system: RunningSystem, validator: FixtureAdministrator, id: string) {
  return validator
    .session(system.baseUrl)
    .post<ChangeRequestView & Partial<Problem>>(`/change-requests/${id}/approve`, { totpCode: validator.totp() });
}

async function statusOf(system: RunningSystem, admin: FixtureAdministrator, id: string): Promise<ChangeRequestView> {
  return (await admin.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${id}`)).body;
}

describe('Dual validation (e2e)', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await sharedSystem();
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  it('runs the maker → validator → applied journey, with notices and an audit trail', async () => {
    const { company, alice, bob, carol, users } = await setUp(system);
    const submitted = await alice
      .session(system.baseUrl)
      .request<ChangeSubmissionResult>('PATCH', `/users/${users[0]}`, { firstName: 'Renamed' });
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe('PENDING');
    const id = submitted.body.changeRequestId;

    // Nothing changed yet.
    expect((await alice.session(system.baseUrl).get<UserView>(`/users/${users[0]}`)).body.firstName).not.toBe('Renamed');

    // The validator's inbox: pending requests of the company, newest first, with the diff.
    const inbox = await bob
      .session(system.baseUrl)
      .get<{ items: ChangeRequestView[]; total: number }>(`/companies/${company.id}/change-requests?status=PENDING`);
    expect(inbox.status).toBe(200);
    const listed = inbox.body.items.find((cr) => cr.id === id)!;
    expect(listed).toMatchObject({ status: 'PENDING', kind: 'USER_UPDATE', makerUserId: alice.userId, requiredApprovals: 1 });
    expect(JSON.stringify(listed.items[0].diff)).toContain('Renamed');

    // Validators (not the maker) heard about it.
    await waitFor(
      async () => (await readCaughtMail()).filter((m) => m.subject && m.to.some((t) => t === bob.email || t === carol.email)).length >= 2,
      {
        timeoutMs: 15_000,
        what: 'pending notices to both validators',
      },
    );

    const approved = await approve(system, bob, id);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPLIED');
    expect(approved.body.approvals.map((a) => a.validatorUserId)).toEqual([bob.userId]);
    expect((await alice.session(system.baseUrl).get<UserView>(`/users/${users[0]}`)).body.firstName).toBe('Renamed');

    // The maker heard about the outcome.
    await waitFor(async () => (await readCaughtMail()).some((m) => m.to.includes(alice.email)), {
      timeoutMs: 15_000,
      what: 'outcome notice to the maker',
    });

    // The audit trail tells the story and verifies.
    const audit = await waitFor(
      async () => {
        const page = await alice
          .session(system.baseUrl)
          .get<{ items: Array<{ action: string; targetId?: string }> }>(`/companies/${company.id}/audit?pageSize=100`);
        const actions = page.body.items.filter((e) => e.targetId === id).map((e) => e.action);
        return (
          ['CHANGE_REQUEST_SUBMITTED', 'CHANGE_REQUEST_APPROVED', 'CHANGE_REQUEST_APPLIED'].every((a) => actions.includes(a)) && actions
        );
      },
      { timeoutMs: 15_000, what: 'audit entries of the request' },
    );
    expect(audit).toBeTruthy();
    const verify = await alice.session(system.baseUrl).get<{ valid: boolean; entries: number }>(`/companies/${company.id}/audit/verify`);
    expect(verify.body.valid).toBe(true);
    const exported = await alice.session(system.baseUrl).raw(`/companies/${company.id}/audit/export`);
    expect(exported.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
  });

  it('refuses self-approval and approval by a subject of the change', async () => {
    const { alice, bob, users } = await setUp(system);
    const own = (await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[0]}`, { lastName: 'Own' }))
      .body;
    const self = await approve(system, alice, own.changeRequestId);
    expect(self.status).toBe(403);

    // A change about Bob: Bob may not approve it.
    const aboutBob = (
      await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${bob.userId}`, { lastName: 'Subject' })
    ).body;
    expect(aboutBob.status).toBe('PENDING');
    const subject = await approve(system, bob, aboutBob.changeRequestId);
    expect(subject.status).toBe(403);
    expect((await statusOf(system, alice, aboutBob.changeRequestId)).status).toBe('PENDING');
  });

  it('shows nothing of a company to another company’s validator (404)', async () => {
    const { alice, users } = await setUp(system);
    const other = await setUp(system);
    const cr = (await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[0]}`, { lastName: 'Hidden' }))
      .body;
    expect((await other.bob.session(system.baseUrl).get(`/change-requests/${cr.changeRequestId}`)).status).toBe(404);
    expect((await approve(system, other.bob, cr.changeRequestId)).status).toBe(404);
    expect((await other.bob.session(system.baseUrl).get(`/companies/${alice.companyId}/change-requests`)).status).toBe(404);
    expect((await other.bob.session(system.baseUrl).get(`/companies/${alice.companyId}/audit`)).status).toBe(404);
  });

  it('lets the maker cancel while pending, and nobody approve afterwards', async () => {
    const { alice, bob, users } = await setUp(system);
    const cr = (
      await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[0]}`, { lastName: 'Cancelled' })
    ).body;
    expect((await bob.session(system.baseUrl).post(`/change-requests/${cr.changeRequestId}/cancel`)).status).toBe(403);
    const cancelled = await alice.session(system.baseUrl).post<ChangeRequestView>(`/change-requests/${cr.changeRequestId}/cancel`);
    expect(cancelled.body.status).toBe('CANCELLED');
    const late = await approve(system, bob, cr.changeRequestId);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CHANGE_REQUEST_NOT_PENDING');
  });

  it('rejects with a reason (required), leaving the target untouched', async () => {
    const { alice, bob, users } = await setUp(system);
    const cr = (
      await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[1]}`, { lastName: 'Rejected' })
    ).body;
    const noReason = await bob
      .session(system.baseUrl)
      .post<Problem & { errors: Array<{ field: string }> }>(`/change-requests/${cr.changeRequestId}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e) => e.field)).toContain('reason');
    const rejected = await bob
      .session(system.baseUrl)
      .post<ChangeRequestView>(`/change-requests/${cr.changeRequestId}/reject`, { reason: 'Not requested by the manager' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', reason: 'Not requested by the manager' });
    expect((await alice.session(system.baseUrl).get<UserView>(`/users/${users[1]}`)).body.lastName).not.toBe('Rejected');
  });

  it('becomes STALE when the target changed after submission', async () => {
    const { alice, bob, carol, users } = await setUp(system);
    const first = (
      await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[2]}`, { lastName: 'First' })
    ).body;
    const second = (
      await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[2]}`, { lastName: 'Second' })
    ).body;
    expect((await approve(system, bob, first.changeRequestId)).body.status).toBe('APPLIED');
    const stale = await approve(system, carol, second.changeRequestId);
    expect(stale.body.status).toBe('STALE');
    expect(stale.body.reason).toBeTruthy();
    expect((await alice.session(system.baseUrl).get<UserView>(`/users/${users[2]}`)).body.lastName).toBe('First');
  });

  it('becomes FAILED when applying would break a rule that still holds', async () => {
    const { company, alice, bob, carol } = await setUp(system);
    const email = `same.person.${Date.now()}@fixture.example`;
    const person = { lastName: 'Twin', firstName: 'Anne', birthDate: '1985-05-05', email, clientType: 'STANDARD' };
    const first = (await alice.session(system.baseUrl).post<ChangeSubmissionResult>(`/companies/${company.id}/users`, person)).body;
    const second = (
      await alice.session(system.baseUrl).post<ChangeSubmissionResult>(`/companies/${company.id}/users`, { ...person, firstName: 'Anna' })
    ).body;
    expect(first.status).toBe('PENDING');
    expect(second.status).toBe('PENDING');
    expect((await approve(system, bob, first.changeRequestId)).body.status).toBe('APPLIED');
    const failed = await approve(system, carol, second.changeRequestId);
    expect(failed.body.status).toBe('FAILED');
    expect(failed.body.reason).toBeTruthy();
  });

  it('applies once when two validators approve at the same instant', async () => {
    const { alice, bob, carol, users } = await setUp(system);
    const cr = (await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[0]}`, { lastName: 'Raced' }))
      .body;
    const before = (await alice.session(system.baseUrl).get<UserView>(`/users/${users[0]}`)).body.version;
    const [one, two] = await Promise.all([approve(system, bob, cr.changeRequestId), approve(system, carol, cr.changeRequestId)]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const final = await statusOf(system, alice, cr.changeRequestId);
    expect(final.status).toBe('APPLIED');
    expect(final.approvals).toHaveLength(1);
    expect((await alice.session(system.baseUrl).get<UserView>(`/users/${users[0]}`)).body.version).toBe(before + 1);
    const applied = await queryRows<{ n: string }>(
      system.databaseUrl,
      `SELECT count(*) AS n FROM identity.applied_changes WHERE change_request_id = $1`,
      [final.items.length ? await itemId(final.id) : final.id],
    );
    expect(Number(applied[0].n)).toBe(1);
  });

  async function itemId(changeRequestId: string): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      system.databaseUrl,
      `SELECT id FROM authorizations.change_request_items WHERE change_request_id = $1`,
      [changeRequestId],
    );
    return rows[0].id;
  }

  it('counts each validator once and waits for N distinct approvals when the policy says so', async () => {
    const { company, alice, bob, carol, users } = await setUp(system);
    const dave = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Dave' });
    // The policy changes through a change request too.
    const policy = await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PUT', `/companies/${company.id}/change-policy`, {
      rules: [{ kind: '*', requiredApprovals: 2, allowIndividualImmediate: false }],
    });
    expect(policy.status).toBe(202);
    expect((await approve(system, bob, policy.body.changeRequestId)).body.status).toBe('APPLIED');
    expect(
      (await alice.session(system.baseUrl).get<{ rules: Array<{ requiredApprovals: number }> }>(`/companies/${company.id}/change-policy`))
        .body.rules[0].requiredApprovals,
    ).toBe(2);

    const cr = (await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[1]}`, { lastName: 'TwoKeys' }))
      .body;
    expect((await approve(system, carol, cr.changeRequestId)).body.status).toBe('PENDING');
    const again = await approve(system, carol, cr.changeRequestId);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_APPROVED');
    expect((await approve(system, dave, cr.changeRequestId)).body.status).toBe('APPLIED');
  });

  it('applies at once for an individual signature when the policy allows (201 with the request id)', async () => {
    const operator = (await addOperator(system.databaseUrl)).session(system.baseUrl);
    const company = (await operator.post<CompanyView>('/companies', companyInput())).body;
    const solo = await addAdministrator(system.databaseUrl, company.id, { adminSignature: 'INDIVIDUAL', firstName: 'Solo' });
    const [user] = await addUsers(system.databaseUrl, company.id, 1);
    const res = await solo.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${user}`, { lastName: 'AtOnce' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('APPLIED');
    expect(res.body.changeRequestId).toBeTruthy();
    expect((await solo.session(system.baseUrl).get<UserView>(`/users/${user}`)).body.lastName).toBe('AtOnce');
  });

  it('validates and applies a batch of 200 changes as one request', async () => {
    const { company, alice, bob } = await setUp(system);
    const users = await addUsers(system.databaseUrl, company.id, 200);
    const items = users.map((userId) => ({ kind: 'USER_UPDATE', payload: { userId, language: 'en' } }));
    const submitted = await alice
      .session(system.baseUrl)
      .post<ChangeSubmissionResult>(`/companies/${company.id}/change-requests`, { items });
    expect(submitted.status).toBe(202);
    const approved = await approve(system, bob, submitted.body.changeRequestId);
    expect(approved.body.status).toBe('APPLIED');
    expect(approved.body.items).toHaveLength(200);
    expect(approved.body.items.every((i) => i.outcome === 'APPLIED')).toBe(true);
    const rows = await queryRows<{ n: string }>(
      system.databaseUrl,
      `SELECT count(*) AS n FROM identity.users WHERE id = ANY($1::uuid[]) AND language = 'en'`,
      [users],
    );
    expect(Number(rows[0].n)).toBe(200);
  }, 60_000);
});

describe('Dual validation expiry (e2e)', () => {
  let system: RunningSystem;
  let changes: Queue;
  beforeAll(async () => {
    system = await sharedSystem();
    changes = new Queue(QUEUES.changes, { connection: { url: system.redisUrl } });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  afterAll(async () => changes?.close());

  it('expires a pending request through its delayed job', async () => {
    const { alice, bob, users } = await setUp(system);
    const cr = (await alice.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${users[0]}`, { lastName: 'TooLate' }))
      .body;
    // The expiry job waits for the request's whole lifetime (CHANGE_REQUEST_TTL_SECONDS, 7 days)…
    const job = await waitFor(async () => (await changes.getJob(`expire.${cr.changeRequestId}`)) ?? undefined, {
      timeoutMs: 20_000,
      what: 'the delayed expiry job',
    });
    expect(await job.isDelayed()).toBe(true);
    expect(job.opts.delay).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    // …so the test moves the request's end into the past and lets the job run now.
    await queryRows(
      system.databaseUrl,
      `UPDATE authorizations.change_requests SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [cr.changeRequestId],
    );
    await job.promote();
    const expired = await waitFor(
      async () => {
        const view = await statusOf(system, alice, cr.changeRequestId);
        return view.status === 'EXPIRED' && view;
      },
      { timeoutMs: 30_000, what: 'the request to expire' },
    );
    expect(expired.status).toBe('EXPIRED');
    const late = await approve(system, bob, cr.changeRequestId);
    expect(late.status).toBe(409);
  }, 60_000);
});
