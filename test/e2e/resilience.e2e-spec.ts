import { CompanyView, DEMO } from '@procura/contracts';
import { ApiSession, TestSystem } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

interface Health {
  status: string;
  components: Record<string, { status: string; replicas?: number }>;
}

function company(tag: string) {
  // Unique per call: 20 companies are created within the same millisecond.
  const id = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
  return { name: `Replica test ${tag} ${id}`, registrationNumber: id, billingMode: 'FIRM', pricingOffer: 'PREMIUM' };
}

describe('Resilience (e2e)', () => {
  describe('a service that is down', () => {
    let system: TestSystem;
    beforeAll(async () => {
      system = await TestSystem.start();
    }, 60_000);
    afterAll(async () => system?.stop());

    it('shows in /health, answers 503 problem+json within 5 s, and recovers when restarted', async () => {
      const operator = ApiSession.operator(system.baseUrl);
      // Warm the operator-key cache so the request below needs identity only for the command itself.
      expect((await operator.get('/companies')).status).toBe(200);
      await system.kill('identity');

      let health = await ApiSession.anonymous(system.baseUrl).get<Health>('/health');
      const deadline = Date.now() + 10_000;
      while (health.body.components.identity.status === 'up' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        health = await ApiSession.anonymous(system.baseUrl).get<Health>('/health');
      }
      expect(health.status).toBe(503);
      expect(health.body.components.identity.status).toBe('down');
      expect(health.body.components.authorizations.status).toBe('up');

      const res = await operator.post<{ code: string; service: string }>('/companies', company('down'));
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'identity' });
      expect(res.ms).toBeLessThan(5000);

      // Other services keep working.
      expect((await operator.get('/services')).status).toBe(200);

      await system.restart('identity');
      const created = await operator.post<CompanyView>('/companies', company('back'));
      expect(created.status).toBe(201);
    }, 60_000);
  });

  describe('two replicas of the identity service', () => {
    let system: TestSystem;
    beforeAll(async () => {
      system = await TestSystem.start({ replicas: { identity: 2 } });
    }, 60_000);
    afterAll(async () => system?.stop());

    it('executes each command exactly once', async () => {
      const operator = ApiSession.operator(system.baseUrl);
      const health = await ApiSession.anonymous(system.baseUrl).get<Health>('/health');
      expect(health.body.components.identity.replicas).toBe(2);

      const inputs = Array.from({ length: 20 }, (_, i) => company(`r${i}`));
      const results = await Promise.all(inputs.map((input) => operator.post<CompanyView>('/companies', input)));
      expect(results.map((r) => r.status)).toEqual(inputs.map(() => 201));

      const db = new Client({ connectionString: system.databaseUrl });
      await db.connect();
      const rows = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM identity.companies WHERE managed_by = $1 AND name LIKE 'Replica test r%'`,
        [DEMO.operator.id],
      );
      await db.end();
      expect(Number(rows.rows[0].n)).toBe(20);

      // Each creation was handled by exactly one of the two replicas.
      const created = system.logs('identity').filter((l) => l.msg === 'company created');
      expect(created).toHaveLength(20);
      expect(new Set(created.map((l) => l.companyId)).size).toBe(20);
    }, 60_000);
  });
});
