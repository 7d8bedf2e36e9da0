import { CompanyView, DEMO } from '@procura/contracts';
import { ApiSession, SYSTEM_START_HOOK_TIMEOUT_MS, TestSystem, waitFor } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

interface Health {
  status: string;
  components: Record<string, { status: string; replicas?: number; error?: string }>;
}

function company(tag: string) {
  // Unique per call: 20 companies are created within the same millisecond.
  const id = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
  return { name: `Replica test ${tag} ${id}`, registrationNumber: id, billingMode: 'FIRM', pricingOffer: 'PREMIUM' };
}

/**
 * Faults on a private system: two identity replicas (each command executed once), then
 * identity down altogether (503 within the RPC timeout) and back.
 */
describe('Resilience (e2e)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start({ replicas: { identity: 2 } });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  afterAll(async () => system?.stop());

  it('executes each command exactly once with two replicas of the identity service', async () => {
    const operator = ApiSession.operator(system.baseUrl);
    const health = await ApiSession.anonymous(system.baseUrl).get<Health>('/health');
    expect(health.body.components.identity.replicas).toBe(2);

    const inputs = Array.from({ length: 20 }, (_, i) => company(`r${i}`));
    const results = await Promise.all(inputs.map((input) => operator.post<CompanyView>('/companies', input)));
    expect(results.map((r) => r.status)).toEqual(inputs.map(() => 201));
    const ids = new Set(results.map((r) => r.body.id));

    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    const rows = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM identity.companies WHERE managed_by = $1 AND name LIKE 'Replica test r%'`,
      [DEMO.operator.id],
    );
    await db.end();
    expect(Number(rows.rows[0].n)).toBe(20);

    // Each creation was handled by exactly one of the two replicas.
    const created = system.logs('identity').filter((l) => l.msg === 'company created' && ids.has(l.companyId as string));
    expect(created).toHaveLength(20);
    expect(new Set(created.map((l) => l.companyId)).size).toBe(20);
  }, 60_000);

  it(
    'shows a service that is down in /health, answers 503 problem+json within 5 s, and recovers when restarted',
    async () => {
      const operator = ApiSession.operator(system.baseUrl);
      // Warm the operator-key cache so the request below needs identity only for the command itself.
      expect((await operator.get('/companies')).status).toBe(200);
      await system.kill('identity');

      // Down, not merely slow: its replicas have left the presence set (within the presence TTL).
      const health = await waitFor(
        async () => {
          const res = await ApiSession.anonymous(system.baseUrl).get<Health>('/health');
          return /not running/.test(res.body.components.identity.error ?? '') && res;
        },
        { timeoutMs: 30_000, intervalMs: 200, what: 'identity to show as not running' },
      );
      expect(health.status).toBe(503);
      expect(health.body.components.authorizations.status).toBe('up');

      const res = await operator.post<{ code: string; service: string }>('/companies', company('down'));
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'identity' });
      expect(res.ms).toBeLessThan(5000);

      // Other services keep working.
      expect((await operator.get('/services')).status).toBe(200);

      await system.restart('identity');
      const created = await operator.post<CompanyView>('/companies', company('back'));
      expect(created.status).toBe(201);
      // The restart waits for identity's boot as long as it progresses (TestSystem): minutes on a starved machine.
    },
    SYSTEM_START_HOOK_TIMEOUT_MS,
  );
});
