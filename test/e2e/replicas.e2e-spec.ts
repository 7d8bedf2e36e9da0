import {
  ChangeRequestView,
  ChangeSubmissionResult,
  CheckAnswer,
  CompanyView,
  FailedNotificationPage,
  JOBS,
  QUEUES,
} from '@procura/contracts';
import {
  addAdministrator,
  addUsers,
  ApiSession,
  FixtureAdministrator,
  queryRows,
  readCaughtMail,
  ServiceProcess,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  TestSystem,
  waitFor,
} from '@procura/testing';
import { Queue } from 'bullmq';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const APPROVALS = 100;
const IN_FLIGHT = 4;
/** The replicas are killed once this many approvals have come back. */
const KILL_AFTER = 30;
const SPARE_VALIDATORS = 20;

function companyInput(tag: string) {
  const digits = `${Date.now()}`.slice(-8) + String(Math.floor(Math.random() * 10));
  return { name: `Replicas ${tag} ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' };
}

/**
 * Two replicas of the services that apply changes and send mail, two gateways: every
 * approval applied once and every notice e-mailed once, though one replica of each
 * service is killed in the middle; the rights check read-your-writes on every gateway.
 */
describe('Replicas (e2e)', () => {
  let system: TestSystem;
  const killed: ServiceProcess[] = [];

  beforeAll(async () => {
    system = await TestSystem.start({
      services: ['identity', 'authorizations', 'notifications', 'gateway'],
      replicas: { authorizations: 2, notifications: 2, gateway: 2 },
      // Seven processes starting at once on two shared cores took more than the default 60 s.
      healthTimeoutMs: 170_000,
    });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  afterAll(async () => system?.stop());

  it('applies 100 approvals once each and sends 100 e-mails once each, with a replica of each killed in the middle', async () => {
    const [gatewayA, gatewayB] = system.gatewayUrls;
    const operator = ApiSession.operator(gatewayA);
    const company = (await operator.post<CompanyView>('/companies', companyInput('approvals'))).body;
    const maker = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Maker' });
    // One validator per approval (a TOTP code is accepted once per validator and time step),
    // plus spares for approvals to retry. Only the first exists while the changes are
    // submitted, so each submission announces itself to one validator, not to 120.
    const validators: FixtureAdministrator[] = [await addAdministrator(system.databaseUrl, company.id, { firstName: 'V0' })];
    const users = await addUsers(system.databaseUrl, company.id, APPROVALS);

    const requests: string[] = [];
    for (const [i, userId] of users.entries()) {
      const gateway = i % 2 === 0 ? gatewayA : gatewayB;
      const res = await maker.session(gateway).request<ChangeSubmissionResult>('PATCH', `/users/${userId}`, { lastName: `Replica${i}` });
      expect(res.status).toBe(202);
      requests.push(res.body.changeRequestId);
    }
    while (validators.length < APPROVALS + SPARE_VALIDATORS) {
      validators.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            addAdministrator(system.databaseUrl, company.id, { firstName: `V${validators.length + j}` }),
          ),
        )),
      );
    }
    const spares = validators.splice(APPROVALS);

    let answered = 0;
    let killing: Promise<unknown> | undefined;
    const outcomes = { applied: 0, unavailable: 0, retried: 0 };
    const status = (id: string) => maker.session(gatewayA).get<ChangeRequestView>(`/change-requests/${id}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < APPROVALS) {
          const i = next++;
          const gateway = i % 2 === 0 ? gatewayB : gatewayA;
          let validator = validators[i];
          for (;;) {
            const res = await validator
              .session(gateway)
              .post<ChangeRequestView>(`/change-requests/${requests[i]}/approve`, { totpCode: validator.totp() })
              .catch(() => undefined);
            if (res?.status === 200) {
              if (res.body.status === 'APPLIED') outcomes.applied++;
              break;
            }
            // A replica died with the approval: 503 problem+json (or no answer). Committed or not?
            outcomes.unavailable++;
            if (res) expect(res.status).toBe(503);
            const now = await waitFor(async () => (await status(requests[i])).body, { timeoutMs: 20_000, what: `change request ${i}` });
            if (now.approvals.length > 0) break; // committed: the durable apply job finishes it
            validator = spares.pop()!;
            outcomes.retried++;
          }
          answered++;
          if (answered === KILL_AFTER) killing = Promise.all([system.killReplica('authorizations'), system.killReplica('notifications')]);
        }
      }),
    );
    const victims = (await killing) as Array<ServiceProcess | undefined>;
    expect(victims.every(Boolean)).toBe(true);
    killed.push(...(victims as ServiceProcess[]));

    // Every request ends APPLIED with one approval (apply jobs retried by the surviving replica).
    const views = await waitFor(
      async () => {
        const all = await Promise.all(requests.map(async (id) => (await status(id)).body));
        return all.every((v) => v.status === 'APPLIED') && all;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'every change request to be APPLIED' },
    );
    for (const view of views) expect(view.approvals).toHaveLength(1);

    // Applied exactly once: one application recorded by identity per item, one version step per user.
    const applied = await queryRows<{ cr: string; n: string }>(
      system.databaseUrl,
      `SELECT i.change_request_id AS cr, count(a.*) AS n FROM authorizations.change_request_items i
         LEFT JOIN identity.applied_changes a ON a.change_request_id = i.id
        WHERE i.change_request_id = ANY($1::uuid[]) GROUP BY i.change_request_id`,
      [requests],
    );
    expect(applied).toHaveLength(APPROVALS);
    expect(applied.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const versions = await queryRows<{ version: number; last_name: string }>(
      system.databaseUrl,
      `SELECT version, last_name FROM identity.users WHERE id = ANY($1::uuid[])`,
      [users],
    );
    expect(versions.filter((u) => u.version !== 2 || !u.last_name.startsWith('Replica'))).toEqual([]);
    // No audit event recorded twice for a request.
    const repeated = await queryRows(
      system.databaseUrl,
      `SELECT target_id, action, count(*) FROM authorizations.audit_entries WHERE target_id = ANY($1::text[])
        GROUP BY target_id, action HAVING count(*) > 1`,
      [requests],
    );
    expect(repeated).toEqual([]);

    // The maker's outcome notices: each sent once, or dead-lettered as OUTCOME_UNKNOWN
    // (the replica died while handing it over), visible to the operator who retries it.
    const eventKeys = requests.map((id) => `cr-outcome:${id}:APPLIED`);
    const settled = await waitFor(
      async () => {
        const found = await queryRows<{ event_key: string; status: string; last_error: string | null }>(
          system.databaseUrl,
          `SELECT event_key, status::text AS status, last_error FROM notifications.messages WHERE event_key = ANY($1)`,
          [eventKeys],
        );
        return found.length === APPROVALS && found.every((m) => m.status === 'SENT' || m.status === 'FAILED') && found;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'every outcome notice to be settled' },
    );
    const mailsFor = async () => {
      const mails = (await readCaughtMail()).filter((mail) => mail.to.includes(maker.email));
      return requests.map((id) => mails.filter((mail) => (mail.text ?? '').includes(`/change-requests/${id}`)).length);
    };
    let copies = await mailsFor();
    const failed = settled.filter((m) => m.status === 'FAILED');
    for (const message of failed) {
      expect(message.last_error).toMatch(/^OUTCOME_UNKNOWN/);
      const i = eventKeys.indexOf(message.event_key);
      if (copies[i] > 0) continue;
      const dead = await operator.get<FailedNotificationPage>(`/notifications/failed?companyId=${company.id}&pageSize=100`);
      const letter = dead.body.items.find((item) => item.jobId.includes(requests[i]));
      expect(letter).toBeDefined();
      expect((await operator.post(`/notifications/failed/${letter!.jobId}/retry`)).status).toBe(202);
    }
    copies = await waitFor(
      async () => {
        const now = await mailsFor();
        return now.every((n) => n >= 1) && now;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'an outcome notice for every request' },
    );
    expect(copies.filter((n) => n !== 1)).toEqual([]);

    process.stdout.write(
      `[replicas e2e] ${APPROVALS} approvals over 2 gateways, 2 authorizations and 2 notifications replicas, one of each killed after ${KILL_AFTER}: ` +
        `${outcomes.applied} answered APPLIED, ${outcomes.unavailable} answered 503 or nothing (${outcomes.retried} approved again by a spare validator); ` +
        `all ${APPROVALS} applied once; ${APPROVALS} notices, each once (${failed.length} OUTCOME_UNKNOWN retried by the operator)\n`,
    );
  }, 420_000);

  it('keeps the rights check read-your-writes on every gateway replica', async () => {
    const [gatewayA, gatewayB] = system.gatewayUrls;
    const operator = ApiSession.operator(gatewayA);
    const company = (await operator.post<CompanyView>('/companies', companyInput('rights'))).body;
    // Individual signature: each change applies before its answer returns.
    const admin = await addAdministrator(system.databaseUrl, company.id, { adminSignature: 'INDIVIDUAL' });
    const [userId] = await addUsers(system.databaseUrl, company.id, 1);
    // The user as the authorizations service knows users: its principal state, as identity publishes it.
    const principals = new Queue(QUEUES.principals, { connection: { url: system.redisUrl } });
    try {
      const job = await principals.add(
        JOBS.syncPrincipal.name,
        {
          userId,
          companyId: company.id,
          status: 'ACTIVE',
          version: 1,
          credentials: [{ id: randomUUID(), validUntil: null, revoked: false, bankingPower: false }],
        },
        { jobId: `${userId}-v1` },
      );
      await waitFor(async () => (await job.isCompleted()) || undefined, { timeoutMs: 15_000, what: 'the principal projected' });
    } finally {
      await principals.close();
    }
    const question = { userId, service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' };
    const check = (gateway: string) => admin.session(gateway).post<CheckAnswer>('/check', question);
    // Both gateways hold a copy of the user's rights (none yet).
    expect((await check(gatewayA)).body.allowed).toBe(false);
    expect((await check(gatewayB)).body.allowed).toBe(false);

    for (let round = 0; round < 5; round++) {
      const [writer, reader] = round % 2 === 0 ? [gatewayA, gatewayB] : [gatewayB, gatewayA];
      const created = await admin
        .session(writer)
        .post<ChangeSubmissionResult & { result: { authorizationId: string } }>(`/companies/${company.id}/authorizations`, {
          label: `Clients ${round}`,
          service: 'EINVOICING',
          effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
          grants: [{ right: 'CUSTOMER_INVOICING', level: 'CONSULT' }],
          userIds: [userId],
        });
      expect(created.status).toBe(201);
      // The other gateway sees the grant at once, and so does the writer.
      expect((await check(reader)).body).toMatchObject({ allowed: true });
      expect((await check(writer)).body).toMatchObject({ allowed: true });
      const detached = await admin
        .session(writer)
        .post(`/authorizations/${created.body.result.authorizationId}/users`, { detach: [userId] });
      expect(detached.status).toBe(200);
      expect((await check(reader)).body).toMatchObject({ allowed: false, reason: 'NO_AUTHORIZATION' });
      expect((await check(writer)).body).toMatchObject({ allowed: false, reason: 'NO_AUTHORIZATION' });
    }
  }, 120_000);

  it('gives an orchestrator probes: a back-end replica by its heartbeat, a gateway by its own dependencies', async () => {
    const probe = (proc: ServiceProcess) =>
      new Promise<number>((done) =>
        execFile(
          process.execPath,
          [join(__dirname, '..', '..', 'dist', 'tools', 'health', 'presence-probe.js'), proc.service],
          { env: { ...process.env, REDIS_URL: system.redisUrl, INSTANCE_ID: proc.instanceId } },
          (error) => done(error ? Number(error.code ?? 1) : 0),
        ),
      );
    const alive = system.processes.filter((p) => p.service !== 'gateway' && p.child.exitCode === null && p.child.signalCode === null);
    expect(alive.length).toBeGreaterThanOrEqual(3); // identity, and the survivors of authorizations and notifications
    for (const proc of alive) expect(await probe(proc)).toBe(0);
    // A killed replica's heartbeat runs out (3 s) and its probe fails from then on.
    if (killed.length === 0) killed.push((await system.killReplica('notifications'))!);
    for (const proc of killed)
      await waitFor(async () => (await probe(proc)) === 1, { timeoutMs: 20_000, what: `${proc.instanceId}'s probe to fail` });

    // With reporting not running, the system's health is 503 but each gateway is ready to serve.
    for (const gateway of system.gatewayUrls) {
      expect((await ApiSession.anonymous(gateway).get('/health')).status).toBe(503);
      const ready = await ApiSession.anonymous(gateway).get<{ status: string; components: Record<string, unknown> }>('/health/ready');
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.components).sort()).toEqual(['postgres', 'redis']);
    }
  }, 180_000);
});
