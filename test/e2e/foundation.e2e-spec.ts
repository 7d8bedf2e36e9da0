import { CompanyView, DEMO, Page } from '@procura/contracts';
import { ApiSession, TestSystem, waitFor } from '@procura/testing';
import { Client } from 'pg';

interface Problem {
  type: string;
  status: number;
  code: string;
  detail: string;
  requestId?: string;
  errors?: Array<{ field: string; messages: string[] }>;
}
interface Health {
  status: string;
  components: Record<string, { status: string; replicas?: number }>;
}

let seq = 0;
function newCompany(overrides: Record<string, unknown> = {}) {
  seq++;
  const digits = `${Date.now()}${seq}`.slice(-9);
  return { name: `Société Test ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL', ...overrides };
}

describe('Foundation (e2e)', () => {
  let system: TestSystem;
  let operator: ApiSession;

  beforeAll(async () => {
    system = await TestSystem.start();
    operator = ApiSession.operator(system.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('reports every service, PostgreSQL and Redis up on /health', async () => {
    const res = await ApiSession.anonymous(system.baseUrl).get<Health>('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('up');
    for (const component of ['postgres', 'redis', 'identity', 'authorizations', 'notifications', 'reporting']) {
      expect(res.body.components[component]).toMatchObject({ status: 'up' });
    }
    expect(res.body.components.identity.replicas).toBe(1);
  });

  it('lets an operator create a company, list it and read it (gateway → identity → PostgreSQL)', async () => {
    const input = newCompany();
    const created = await operator.post<CompanyView>('/companies', input);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...input, managedBy: DEMO.operator.id, version: 1 });

    const list = await operator.get<Page<CompanyView>>('/companies?pageSize=100');
    expect(list.status).toBe(200);
    expect(list.body.items[0].id).toBe(created.body.id); // newest first
    expect(list.body.items.map((c) => c.id)).toEqual(expect.arrayContaining([DEMO.companies.martin.id, DEMO.companies.dupont.id]));

    const one = await operator.get<CompanyView>(`/companies/${created.body.id}`);
    expect(one.body.name).toBe(input.name);
  });

  it('paginates the company list', async () => {
    const page = await operator.get<Page<CompanyView>>('/companies?page=1&pageSize=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(2);
    expect(page.body).toMatchObject({ page: 1, pageSize: 1 });
  });

  it('answers bad input with a 400 problem+json naming every field', async () => {
    const res = await operator.post<Problem>('/companies', {
      registrationNumber: 'x',
      billingMode: 'BARTER',
      pricingOffer: 'A',
      color: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.type).toBe('urn:procura:problem:validation-failed');
    expect(res.body.errors?.map((e) => e.field).sort()).toEqual(['billingMode', 'color', 'name', 'registrationNumber']);
  });

  it('answers malformed JSON, bad paging, bad ids and unknown routes with problem+json', async () => {
    const malformed = await operator.post<Problem>('/companies', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0].field).toBe('body');

    const paging = await operator.get<Problem>('/companies?pageSize=1000');
    expect(paging.status).toBe(400);
    expect(paging.body.errors?.[0].field).toBe('pageSize');

    const badId = await operator.get<Problem>('/companies/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0].field).toBe('companyId');

    const unknown = await operator.get<Problem>('/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // A trailing slash reaches the same route.
    expect((await operator.get('/companies/')).status).toBe(200);

    const tooLarge = await operator.post<Problem>('/companies', { name: 'x'.repeat(300_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');

    const empty = await operator.post<Problem>('/companies', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0].field).toBe('body');
  });

  it('refuses requests without a valid operator key (401 problem)', async () => {
    const none = await ApiSession.anonymous(system.baseUrl).get<Problem>('/companies');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    const wrong = await ApiSession.operator(system.baseUrl, 'not-the-right-key').get<Problem>('/companies');
    expect(wrong.status).toBe(401);
  });

  it('refuses a duplicate registration number with 409', async () => {
    const input = newCompany();
    expect((await operator.post('/companies', input)).status).toBe(201);
    const again = await operator.post<Problem>('/companies', { ...input, name: 'Another name' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('COMPANY_ALREADY_EXISTS');
  });

  it('honours Idempotency-Key: a retried POST returns the first result and creates nothing more', async () => {
    const input = newCompany();
    const key = `create-${input.registrationNumber}`;
    const first = await operator.post<CompanyView>('/companies', input, { 'idempotency-key': key });
    const second = await operator.post<CompanyView>('/companies', input, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const reused = await operator.post<Problem>('/companies', newCompany(), { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps operators to the companies they manage (another operator gets 404)', async () => {
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    const { createHash, randomUUID } = await import('node:crypto');
    const otherKey = `other-operator-key-${randomUUID()}`;
    await db.query(`INSERT INTO identity.operators (id, name, email, api_key_hash) VALUES ($1, 'Other', $2, $3)`, [
      randomUUID(),
      `other-${randomUUID()}@bank.example`,
      createHash('sha256').update(otherKey).digest('hex'),
    ]);
    await db.end();
    const other = ApiSession.operator(system.baseUrl, otherKey);
    expect((await other.get(`/companies/${DEMO.companies.martin.id}`)).status).toBe(404);
    expect((await other.get<Page<CompanyView>>('/companies')).body.total).toBe(0);
  });

  it('serves the service catalog of the specification from the authorizations service', async () => {
    const res =
      await operator.get<
        Array<{ code: string; rights: Array<{ code: string; family?: string }>; levels: Array<{ code: string; rank: number }> }>
      >('/services');
    expect(res.status).toBe(200);
    expect(res.body.map((s) => s.code)).toEqual(['EINVOICING', 'BANKING', 'ACCOUNTING_PORTAL', 'EDI', 'REPORTS']);
    const einvoicing = res.body[0];
    expect(einvoicing.rights.map((r) => r.code)).toEqual([
      'SUBSCRIPTION',
      'SUPPLIER_INVOICE_APPROVAL',
      'COUNTERPARTIES',
      'SUPPLIER_INVOICING',
      'CUSTOMER_INVOICING',
      'INVOICE_ASSIGNMENT',
      'SINGLE_ENTRY_POINT',
    ]);
    expect(einvoicing.levels.map((l) => l.code)).toEqual(['CONSULT', 'CONSULT_ENTER_VALIDATE']);
    const portal = res.body.find((s) => s.code === 'ACCOUNTING_PORTAL')!;
    expect(portal.rights.filter((r) => r.family === 'PRODUCTION')).toHaveLength(3);
    expect(portal.rights.filter((r) => r.family === 'CONSULTATION')).toHaveLength(3);
  });

  it('carries the request id from the HTTP request into the identity service logs', async () => {
    const requestId = `trace-${Date.now()}`;
    const res = await operator.post<CompanyView>('/companies', newCompany(), { 'x-request-id': requestId });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    // Log lines reach the test through the processes' pipes: poll for them.
    const identityLines = await waitFor(
      async () => {
        const lines = system.logs('identity').filter((l) => l.requestId === requestId);
        return lines.length > 0 && lines;
      },
      { timeoutMs: 3000, what: 'identity log lines with the request id' },
    );
    expect(identityLines.map((l) => l.msg)).toContain('company created');
    const gatewayLines = await waitFor(
      async () => {
        const lines = system.logs('gateway').filter((l) => l.requestId === requestId && l.msg === 'request');
        return lines.length > 0 && lines;
      },
      { timeoutMs: 3000, what: 'gateway access log line with the request id' },
    );
    expect(gatewayLines[0]).toMatchObject({ method: 'POST', path: '/api/v1/companies', status: 201 });
  });

  it('never logs the operator key', () => {
    expect(system.allOutput()).not.toContain(DEMO.operator.apiKey);
  });
});
