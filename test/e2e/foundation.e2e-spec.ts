import { CompanyView, DEMO, Page } from '@procura/contracts';
import {
  addAdministrator,
  addOperator,
  ApiResponse,
  ApiSession,
  FixtureOperator,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  waitFor,
} from '@procura/testing';

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
  let system: RunningSystem;
  let me: FixtureOperator;
  let operator: ApiSession;

  beforeAll(async () => {
    system = await sharedSystem();
    // An operator of this file's own: its companies are the only ones it lists.
    me = await addOperator(system.databaseUrl);
    operator = me.session(system.baseUrl);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

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
    expect(created.body).toMatchObject({ ...input, managedBy: me.operatorId, version: 1 });

    const list = await operator.get<Page<CompanyView>>('/companies?pageSize=100');
    expect(list.status).toBe(200);
    expect(list.body.items[0].id).toBe(created.body.id); // newest first
    expect(list.body.items.every((c) => c.managedBy === me.operatorId)).toBe(true);

    const one = await operator.get<CompanyView>(`/companies/${created.body.id}`);
    expect(one.body.name).toBe(input.name);
  });

  it('paginates the company list', async () => {
    for (let i = 0; i < 2; i++) expect((await operator.post('/companies', newCompany())).status).toBe(201);
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

  // Issue 19: each of these answered 500, or an error outside problem+json, before.
  describe('input that reached a 500', () => {
    const expectProblem = (res: ApiResponse<Problem>, status: number, field?: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
      if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
    };

    it('refuses 5,000 nested arrays with 400, on sign-in too (defect 2)', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      expectProblem(await operator.post<Problem>('/companies', `{"name":${deep}}`), 400);
      expectProblem(await ApiSession.anonymous(system.baseUrl).post<Problem>('/auth/login', `{"loginId":${deep}}`), 400);
    });

    it('refuses NUL, lone surrogates and bidi overrides, naming the field (defect 3)', async () => {
      expectProblem(await operator.post<Problem>('/companies', { ...newCompany(), name: 'Acme\u0000SARL' }), 400, 'name');
      expectProblem(await operator.post<Problem>('/companies', `{"name":"Acme \\ud800","registrationNumber":"123456789"}`), 400, 'name');
      expectProblem(await operator.post<Problem>('/companies', { ...newCompany(), name: 'Acme\u202eLRAS' }), 400, 'name');
      expectProblem(await operator.post<Problem>('/companies', { ...newCompany(), name: 'Ac\u200bme' }), 400, 'name');
      expect((await operator.get<Page<CompanyView>>('/companies?pageSize=100')).body.items.map((c) => c.name)).not.toContain('Acme');
    });

    it('bounds numeric query parameters and refuses NUL in them (defect 4)', async () => {
      expectProblem(await operator.get<Problem>('/companies?page=99999999999999999999'), 400, 'page');
      expectProblem(await operator.get<Problem>('/companies?page=-1'), 400, 'page');
      const company = await operator.post<CompanyView>('/companies', newCompany());
      expectProblem(await operator.get<Problem>(`/companies/${company.body.id}/messages?page=1e300`), 400, 'page');
      const admin = (await addAdministrator(system.databaseUrl, company.body.id)).session(system.baseUrl);
      expectProblem(await admin.get<Problem>(`/companies/${company.body.id}/audit?action=%00`), 400, 'action');
      expectProblem(await admin.get<Problem>(`/companies/${company.body.id}/audit?page=99999999999999999999`), 400, 'page');
    });

    it('answers an over-long path parameter and a malformed percent-encoding as problem+json with a request id (defect 5)', async () => {
      expectProblem(await operator.get<Problem>(`/companies/${'a'.repeat(5000)}`), 414);
      expectProblem(await operator.get<Problem>('/companies/%E0%A4%A'), 400, 'url');
    });

    it('refuses a body of literal null instead of taking it as {} (defect 6)', async () => {
      expectProblem(await operator.post<Problem>('/companies', 'null'), 400, 'body');
      expectProblem(await operator.post<Problem>('/companies', '[]'), 400, 'body');
      expectProblem(await operator.post<Problem>('/companies', '"x"'), 400, 'body');
    });
  });

  it('refuses requests without a valid operator key (401 problem)', async () => {
    const none = await ApiSession.anonymous(system.baseUrl).get<Problem>('/companies');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    const wrong = await ApiSession.operator(system.baseUrl, 'not-the-right-key').get<Problem>('/companies');
    expect(wrong.status).toBe(401);
  });

  it("refuses a duplicate registration number with 409, and never tells an operator that another's client exists", async () => {
    const input = newCompany();
    const first = await operator.post<CompanyView>('/companies', input);
    expect(first.status).toBe(201);
    const again = await operator.post<Problem & { companyId?: string }>('/companies', { ...input, name: 'Another name' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'COMPANY_ALREADY_EXISTS', companyId: first.body.id });
    // Another operator's client with the same number is that operator's own company, not a 409 revealing ours.
    const other = (await addOperator(system.databaseUrl, 'Other bank')).session(system.baseUrl);
    const theirs = await other.post<CompanyView>('/companies', { ...input, name: 'Their client' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    expect((await other.get(`/companies/${first.body.id}`)).status).toBe(404);
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
    const mine = await operator.post<CompanyView>('/companies', newCompany());
    const other = (await addOperator(system.databaseUrl, 'Other')).session(system.baseUrl);
    expect((await other.get(`/companies/${mine.body.id}`)).status).toBe(404);
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

  it('never logs an operator key', () => {
    const output = system.allOutput();
    expect(output).not.toContain(me.apiKey);
    expect(output).not.toContain(DEMO.operator.apiKey);
  });
});
