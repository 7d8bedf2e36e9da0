import { ChangeRequestView, ChangeSubmissionResult, CompanyView } from '@procura/contracts';
import { findFreePort, startRedis } from '@procura/infra';
import {
  addAdministrator,
  addUsers,
  ApiSession,
  FixtureAdministrator,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  TestSystem,
  waitFor,
} from '@procura/testing';
import { join } from 'node:path';
import { Client } from 'pg';

async function count(databaseUrl: string, text: string, params: unknown[]): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return Number((await db.query<{ n: string }>(text, params)).rows[0].n);
  } finally {
    await db.end();
  }
}

async function scenario(
  system: TestSystem,
): Promise<{ alice: FixtureAdministrator; bob: FixtureAdministrator; userId: string; changeRequestId: string }> {
  const operator = ApiSession.operator(system.baseUrl);
  const digits = `${Date.now()}`.slice(-9);
  const company = (
    await operator.post<CompanyView>('/companies', {
      name: `Faults ${digits}`,
      registrationNumber: digits,
      billingMode: 'CLIENT',
      pricingOffer: 'ESSENTIEL',
    })
  ).body;
  const [alice, bob] = await Promise.all([
    addAdministrator(system.databaseUrl, company.id),
    addAdministrator(system.databaseUrl, company.id),
  ]);
  const [userId] = await addUsers(system.databaseUrl, company.id, 1);
  const submitted = await alice
    .session(system.baseUrl)
    .request<ChangeSubmissionResult>('PATCH', `/users/${userId}`, { lastName: 'Survivor' });
  expect(submitted.status).toBe(202);
  return { alice, bob, userId, changeRequestId: submitted.body.changeRequestId };
}

/** Approves with the authorizations service set to crash at `point`, then restarts it. */
async function approveThroughCrash(
  system: TestSystem,
  point: string,
  s: Awaited<ReturnType<typeof scenario>>,
  between?: () => Promise<void>,
): Promise<void> {
  await system.kill('authorizations');
  await system.restart('authorizations', { FAULT_INJECTION: point });
  const crashing = system.processes.filter((p) => p.service === 'authorizations').at(-1)!;
  // The approval commits, then the process dies before (or while) applying: the caller gets no answer.
  void s.bob
    .session(system.baseUrl)
    .post(`/change-requests/${s.changeRequestId}/approve`, { totpCode: s.bob.totp() })
    .catch(() => undefined);
  expect(await system.exited(crashing)).toBe('SIGKILL');
  await between?.();
  await system.restart('authorizations');
}

async function expectAppliedOnce(system: TestSystem, s: Awaited<ReturnType<typeof scenario>>): Promise<void> {
  const view = await waitFor(
    async () => {
      const res = await s.alice.session(system.baseUrl).get<ChangeRequestView>(`/change-requests/${s.changeRequestId}`);
      return res.body.status === 'APPLIED' && res.body;
    },
    { timeoutMs: 45_000, intervalMs: 250, what: 'the approved change to be applied after the restart' },
  );
  expect(view.approvals).toHaveLength(1);
  // Exactly once: one application recorded by the owner, one version step of the user.
  expect(
    await count(
      system.databaseUrl,
      `SELECT count(*) AS n FROM identity.applied_changes WHERE change_request_id IN (SELECT id FROM authorizations.change_request_items WHERE change_request_id = $1)`,
      [s.changeRequestId],
    ),
  ).toBe(1);
  expect(await count(system.databaseUrl, `SELECT version AS n FROM identity.users WHERE id = $1`, [s.userId])).toBe(2);
  expect(
    await count(system.databaseUrl, `SELECT count(*) AS n FROM identity.users WHERE id = $1 AND last_name = 'Survivor'`, [s.userId]),
  ).toBe(1);
}

/**
 * Faults on a private system with a Redis of its own: the authorizations service dies
 * between approval and application (and Redis restarts meanwhile); the change is applied
 * exactly once all the same.
 */
describe('Dual validation under faults (e2e)', () => {
  let system: TestSystem;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let redisPort: number;
  const redisDir = join(process.env.PROCURA_TEST_DIR ?? '/tmp', `faults-redis-${Date.now()}`);

  beforeAll(async () => {
    redisPort = await findFreePort();
    redis = await startRedis({ dataDir: redisDir, port: redisPort });
    system = await TestSystem.start({ redisUrl: redis.url });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
  });

  it.each(['before-apply', 'after-owner-apply'])(
    'after the approval, the applying process dies at %s: applied exactly once after restart',
    async (point) => {
      const s = await scenario(system);
      await approveThroughCrash(system, point, s);
      await expectAppliedOnce(system, s);
    },
    300_000,
  );

  it('the applying process dies and Redis restarts in between: applied exactly once', async () => {
    const s = await scenario(system);
    await approveThroughCrash(system, 'before-apply', s, async () => {
      await redis.stop();
      redis = await startRedis({ dataDir: redisDir, port: redisPort });
    });
    await expectAppliedOnce(system, s);
  }, 300_000);
});
