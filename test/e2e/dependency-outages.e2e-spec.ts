import { CompanyView } from '@procura/contracts';
import { migrate } from '@procura/database';
import { findFreePort, RunningPostgres, RunningService, startPostgres, startRedis } from '@procura/infra';
import {
  addAdministrator,
  addUsers,
  ApiSession,
  FixtureAdministrator,
  readCaughtMail,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  TestSystem,
  waitFor,
} from '@procura/testing';
import { join } from 'node:path';
import { Client } from 'pg';

const RPC_TIMEOUT_MS = 3000;
/** A 503 comes within the RPC timeout and this margin (the machine may be busy). */
const ANSWER_MARGIN_MS = 3000;

interface Outcome {
  status: number;
  ms: number;
  contentType: string | null;
  retryAfter: string | null;
  changeRequestId?: string;
  hung?: boolean;
}

/**
 * What the system does when the servers it depends on go away, on a PostgreSQL and a Redis
 * of its own: Redis stopped under traffic (every answer a 503 problem+json with Retry-After
 * within the RPC timeout, nothing acknowledged lost, each notice sent once), then both gone
 * and every service asked to stop.
 */
describe('Dependency outages (e2e)', () => {
  let system: TestSystem;
  let postgres: RunningPostgres;
  let redis: RunningService;
  let redisPort: number;
  const dir = join(process.env.PROCURA_TEST_DIR ?? '/tmp', `outages-${Date.now()}`);

  beforeAll(async () => {
    redisPort = await findFreePort();
    [postgres, redis] = await Promise.all([
      startPostgres({ dataDir: join(dir, 'postgres'), port: await findFreePort(), database: 'procura_outages' }),
      startRedis({ dataDir: join(dir, 'redis'), port: redisPort }),
    ]);
    await migrate({ databaseUrl: postgres.url });
    system = await TestSystem.start({ databaseUrl: postgres.url, redisUrl: redis.url, env: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
    await postgres?.stop();
  });

  it('answers 503 problem+json with Retry-After, never a 500 nor silence, while Redis is down; loses nothing acknowledged', async () => {
    const operator = ApiSession.operator(system.baseUrl);
    const digits = `${Date.now()}`.slice(-9);
    const company = (
      await operator.post<CompanyView>('/companies', {
        name: `Outage ${digits}`,
        registrationNumber: digits,
        billingMode: 'CLIENT',
        pricingOffer: 'ESSENTIEL',
      })
    ).body;
    // Collective signatures: every submission waits for the one other administrator, who is told by e-mail.
    const [maker, validator]: FixtureAdministrator[] = await Promise.all([
      addAdministrator(system.databaseUrl, company.id, { firstName: 'Maker' }),
      addAdministrator(system.databaseUrl, company.id, { firstName: 'Validator' }),
    ]);
    const users = await addUsers(system.databaseUrl, company.id, 100);
    const session = maker.session(system.baseUrl);

    async function submit(userId: string, i: number): Promise<Outcome> {
      const started = performance.now();
      try {
        const res = await session.request<{ changeRequestId?: string }>(
          'PATCH',
          `/users/${userId}`,
          { lastName: `Outage${i}` },
          {},
          { timeoutMs: 15_000 },
        );
        return {
          status: res.status,
          ms: res.ms,
          contentType: res.headers.get('content-type'),
          retryAfter: res.headers.get('retry-after'),
          changeRequestId: res.body?.changeRequestId,
        };
      } catch {
        return { status: 0, ms: performance.now() - started, contentType: null, retryAfter: null, hung: true };
      }
    }

    // 100 submissions, 5 at a time; Redis stops after the 30th and comes back about 10 s later.
    const outcomes: Outcome[] = [];
    let next = 0;
    let redisBack: Promise<void> | undefined;
    const during: Outcome[] = [];
    const worker = async () => {
      while (next < users.length) {
        const i = next++;
        if (i === 30 && !redisBack) {
          await redis.stop();
          redisBack = (async () => {
            // Other routes answer 503 too while Redis is away.
            during.push(await probe(() => operator.get('/companies')));
            during.push(await probe(() => session.get(`/users/${users[0]}`)));
            during.push(
              await probe(() =>
                session.post('/check', { userId: maker.userId, service: 'REPORTS', right: 'ORDER_REPORTS', level: 'ACCESS' }),
              ),
            );
            await new Promise((r) => setTimeout(r, 10_000));
            redis = await startRedis({ dataDir: join(dir, 'redis'), port: redisPort });
          })();
        }
        outcomes.push(await submit(users[i], i));
      }
    };
    await Promise.all(Array.from({ length: 5 }, worker));
    await redisBack;

    const statuses = outcomes.map((o) => o.status);
    const counts = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    const slowest = (status: number) => Math.round(Math.max(0, ...outcomes.filter((o) => o.status === status).map((o) => o.ms)));
    process.stdout.write(
      `[outages e2e] submissions by status: ${JSON.stringify(counts)} (slowest 202 ${slowest(202)} ms, slowest 503 ${slowest(503)} ms); ` +
        `probes while down: ${during.map((d) => `${d.status} in ${Math.round(d.ms)} ms`).join(', ')}\n`,
    );
    expect(outcomes.filter((o) => o.hung)).toEqual([]);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(counts[503]).toBeGreaterThan(0);
    for (const o of [...outcomes, ...during].filter((x) => x.status === 503)) {
      expect(o.contentType).toMatch(/^application\/problem\+json/);
      expect(Number(o.retryAfter)).toBeGreaterThan(0);
    }
    expect(during.map((d) => d.status)).toEqual([503, 503, 503]);
    // A missing dependency is reported within the RPC timeout (an acknowledged change may take longer on a busy machine).
    expect(Math.max(...[...outcomes, ...during].filter((o) => o.status === 503).map((o) => o.ms))).toBeLessThan(
      RPC_TIMEOUT_MS + ANSWER_MARGIN_MS,
    );

    // Every acknowledged submission is kept, and every request that exists is notified exactly once.
    const acknowledged = outcomes.filter((o) => o.status === 202).map((o) => o.changeRequestId!);
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      const kept = await db.query<{ id: string }>(`SELECT id FROM authorizations.change_requests WHERE company_id = $1`, [company.id]);
      const keptIds = new Set(kept.rows.map((r) => r.id));
      expect(acknowledged.filter((id) => !keptIds.has(id))).toEqual([]);
      const notices = await waitFor(
        async () => {
          const mails = (await readCaughtMail()).filter((m) => m.to.includes(validator.email));
          return mails.length >= keptIds.size && mails;
        },
        { timeoutMs: 120_000, intervalMs: 500, what: `${keptIds.size} notices to the validator` },
      );
      // Settled: nothing more arrives, and none came twice.
      await new Promise((r) => setTimeout(r, 3000));
      const settled = (await readCaughtMail()).filter((m) => m.to.includes(validator.email));
      if (settled.length !== keptIds.size) {
        // For the one reading a failure: the same Message-ID twice is one event sent again; another one, an extra event.
        const byMessageId = new Map<string, string[]>();
        for (const m of settled) byMessageId.set(m.messageId ?? m.id, [...(byMessageId.get(m.messageId ?? m.id) ?? []), m.receivedAt]);
        const repeated = [...byMessageId].filter(([, times]) => times.length > 1);
        process.stdout.write(
          `[outages e2e] ${settled.length} notices for ${keptIds.size} requests; repeated Message-IDs: ${JSON.stringify(repeated)}; ` +
            `subjects: ${JSON.stringify([...new Set(settled.map((m) => m.subject))])}\n`,
        );
      }
      expect(settled).toHaveLength(notices.length);
      expect(notices).toHaveLength(keptIds.size);
    } finally {
      await db.end();
    }
  }, 300_000);

  it('stops every service within 10 s of SIGTERM once PostgreSQL and Redis are gone', async () => {
    // Back to normal first (Redis came back in the test above).
    await system.waitForHealth(['identity', 'authorizations', 'notifications', 'reporting', 'gateway']);
    expect((await ApiSession.operator(system.baseUrl).get('/companies')).status).toBe(200);
    await Promise.all([redis.stop(), postgres.stop()]);
    const running = system.processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    expect(running.map((p) => p.service).sort()).toEqual(['authorizations', 'gateway', 'identity', 'notifications', 'reporting']);
    const exits = await Promise.all(
      running.map(
        (p) =>
          new Promise<{ service: string; ms: number }>((resolve) => {
            const started = Date.now();
            p.child.once('exit', () => resolve({ service: p.service, ms: Date.now() - started }));
            p.child.kill('SIGTERM');
          }),
      ),
    );
    process.stdout.write(
      `[outages e2e] exit after SIGTERM with dependencies gone: ${exits.map((e) => `${e.service} ${e.ms} ms`).join(', ')}\n`,
    );
    for (const exit of exits) expect(exit.ms).toBeLessThan(10_000);
  }, 60_000);
});

async function probe(call: () => Promise<{ status: number; ms: number; headers: Headers }>): Promise<Outcome> {
  const res = await call();
  return { status: res.status, ms: res.ms, contentType: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after') };
}
