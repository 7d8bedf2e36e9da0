import { DEMO, DeliveryPage, DocumentPage, ReportView } from '@procura/contracts';
import { ApiSession, ServiceProcess, SYSTEM_START_HOOK_TIMEOUT_MS, TestSystem, userSession, waitFor, waitForMail } from '@procura/testing';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readPdf } from '../../apps/reporting/src/reports/render/read-pdf.testing';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; messages: string[] }>;
}

const id = (n: string) => `00000000-0000-4000-8000-000000000${n}`;
const SOPHIE = { userId: id('201'), companyId: DEMO.companies.martin.id, clientType: 'ADMINISTRATOR' as const };
const JULIE = { userId: id('203'), companyId: DEMO.companies.martin.id, clientType: 'STANDARD' as const };
const MARC = { userId: id('211'), companyId: DEMO.companies.dupont.id, clientType: 'ADMINISTRATOR' as const };

async function download(session: ApiSession, reportId: string) {
  const res = await session.raw(`/reports/${reportId}/file`);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The report as the reporting service stored it (read while that service is down). */
async function reportRow(databaseUrl: string, reportId: string): Promise<{ status: string; documents: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ status: string; documents: number }>(
      `SELECT r.status::text AS status, (SELECT count(*)::int FROM reporting.documents d WHERE d.report_id = r.id) AS documents FROM reporting.reports r WHERE r.id = $1`,
      [reportId],
    );
    return rows[0];
  } finally {
    await db.end();
  }
}

function waitForStatus(session: ApiSession, reportId: string, statuses: string[], timeoutMs = 30_000): Promise<ReportView> {
  return waitFor(
    async () => {
      const res = await session.get<ReportView>(`/reports/${reportId}`);
      return statuses.includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `report ${reportId} to be ${statuses.join(' or ')}` },
  );
}

describe('Reports, documents and deliveries (e2e)', () => {
  let system: TestSystem;
  let sophie: ApiSession;
  let julie: ApiSession;
  let marc: ApiSession;
  let operator: ApiSession;
  beforeAll(async () => {
    system = await TestSystem.start();
    sophie = userSession(system.baseUrl, SOPHIE);
    julie = userSession(system.baseUrl, JULIE);
    marc = userSession(system.baseUrl, MARC);
    operator = ApiSession.operator(system.baseUrl);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await system?.stop();
  });

  it('orders the access-rights report (202 at once), builds it, and serves a PDF listing every user and their rights', async () => {
    const [a, b] = await Promise.all([
      sophie.post<ReportView>(`/companies/${DEMO.companies.martin.id}/reports`, { type: 'ACCESS_RIGHTS' }),
      sophie.post<ReportView>(`/companies/${DEMO.companies.martin.id}/reports`, { type: 'ACCESS_RIGHTS' }),
    ]);
    // The same report ordered while one is open returns that order instead of a second build.
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    const ordered = a.status === 202 ? a : b;
    expect(ordered.body).toMatchObject({
      companyId: DEMO.companies.martin.id,
      type: 'ACCESS_RIGHTS',
      language: 'fr',
      orderedBy: `user:${SOPHIE.userId}`,
    });
    expect(['QUEUED', 'RUNNING']).toContain(ordered.body.status);
    expect(ordered.headers.get('location')).toBe(`/api/v1/reports/${ordered.body.id}`);

    const ready = await waitForStatus(sophie, ordered.body.id, ['READY', 'FAILED']);
    expect(ready.failureReason).toBeUndefined();
    expect(ready).toMatchObject({ status: 'READY', progress: 100 });
    expect(ready.document?.fileName).toMatch(/^rapport-autorisations-acces-\d{4}-\d{2}-\d{2}\.pdf$/);

    const { res, bytes } = await download(sophie, ready.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`filename="${ready.document!.fileName}"`);
    expect(bytes.length).toBe(ready.document!.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ready.document!.fileSha256);

    const pdf = await readPdf(bytes);
    expect(pdf.pages[0]).toContain("Rapport sur les autorisations d'accès");
    expect(pdf.pages[0]).toContain(DEMO.companies.martin.name);
    expect(pdf.pages[0]).toContain('Sophie Martin');
    for (const name of ['Martin Sophie', 'Martin Paul', 'Leroy Julie', 'Petit Hugo']) expect(pdf.text).toContain(name);
    expect(pdf.text).not.toContain('Dupont Marc');
    for (const label of ['Direction – banque à distance', 'Comptabilité fournisseurs', 'Consultation des comptes (stage)', 'Rapports'])
      expect(pdf.text).toContain(label);
    // What the PDF shows is the attached data, whose SHA-256 is printed on every page.
    const data = pdf.attachments['report-data.jsonl'];
    expect(data.sha256).toBe(ready.document!.contentSha256);
    pdf.pages.forEach((page) => expect(page).toContain(data.sha256));
    const sections = data.content
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map(
        (line) => JSON.parse(line) as { user: { lastName: string }; rights: { effectiveRights: Array<{ right: string; level: string }> } },
      );
    expect(sections).toHaveLength(4);
    for (const s of sections) for (const r of s.rights.effectiveRights) expect(pdf.text).toContain(r.right);

    // The orderer is told by e-mail.
    await waitForMail((m) => m.to.some((t) => t.includes('sophie.martin@')) && (m.text ?? '').includes(ready.id), {
      timeoutMs: 20_000,
      what: 'the report-ready e-mail to Sophie',
    });

    // The company's documents list it; its managing operator may read it too.
    const documents = await sophie.get<DocumentPage>(`/companies/${DEMO.companies.martin.id}/documents`);
    expect(documents.status).toBe(200);
    expect(documents.body.items.map((d) => d.reportId)).toContain(ready.id);
    expect((await operator.get<ReportView>(`/reports/${ready.id}`)).status).toBe(200);

    // A new order once the first is READY is a new report.
    const again = await sophie.post<ReportView>(`/companies/${DEMO.companies.martin.id}/reports`, {
      type: 'ACCESS_RIGHTS',
      language: 'en',
    });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(ready.id);
    const english = await waitForStatus(sophie, again.body.id, ['READY', 'FAILED']);
    expect(english.status).toBe('READY');
    const englishPdf = await readPdf((await download(sophie, english.id)).bytes);
    expect(englishPdf.pages[0]).toContain('Access-rights report');
  }, 90_000);

  it("hides a company's reports, documents and deliveries from another company's users (404)", async () => {
    const own = await sophie.post<ReportView>(`/companies/${DEMO.companies.martin.id}/reports`, { type: 'DELIVERIES' });
    expect([200, 202]).toContain(own.status);
    for (const path of [
      `/reports/${own.body.id}`,
      `/reports/${own.body.id}/file`,
      `/companies/${DEMO.companies.martin.id}/documents`,
      `/companies/${DEMO.companies.martin.id}/deliveries`,
    ]) {
      const res = await marc.get<Problem>(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
    const order = await marc.post<Problem>(`/companies/${DEMO.companies.martin.id}/reports`, { type: 'ACCESS_RIGHTS' });
    expect(order.status).toBe(404);
    expect((await marc.get<Problem>(`/reports/${randomUUID()}`)).status).toBe(404);
  });

  it('refuses a standard user without the report right (403) and validates the order', async () => {
    const res = await julie.post<Problem>(`/companies/${DEMO.companies.martin.id}/reports`, { type: 'ACCESS_RIGHTS' });
    expect(res.status).toBe(403);
    const bad = await sophie.post<Problem>(`/companies/${DEMO.companies.martin.id}/reports`, {
      type: 'EVERYTHING',
      language: 'de',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['extra', 'language', 'type']);
    expect((await sophie.get<Problem>('/reports/not-a-uuid')).body.errors?.[0].field).toBe('reportId');
  });

  it('lists deliveries and changes one through a change request, refusing combinations the bank does not offer', async () => {
    const list = await marc.get<DeliveryPage>(`/companies/${DEMO.companies.dupont.id}/deliveries`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((d) => `${d.type}/${d.format}/${d.frequency}/${d.channel}`).sort()).toEqual([
      'ACCOUNT_STATEMENT/MT940/DAILY/SFTP',
      'CAMT_NOTIFICATION/CAMT_054/ON_EVENT/EBICS',
    ]);
    const statement = list.body.items.find((d) => d.type === 'ACCOUNT_STATEMENT')!;

    const refused = await marc.request<Problem>('PATCH', `/deliveries/${statement.id}`, { channel: 'EMAIL' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('DELIVERY_NOT_OFFERED');
    expect(refused.body.errors?.map((e) => e.field)).toEqual(['channel']);

    const stale = await marc.request<Problem>('PATCH', `/deliveries/${statement.id}`, {
      frequency: 'WEEKLY',
      version: statement.version + 5,
    });
    expect(stale.status).toBe(409);

    const changed = await marc.request<{ status: string; result?: { delivery: { frequency: string; version: number } } }>(
      'PATCH',
      `/deliveries/${statement.id}`,
      {
        frequency: 'WEEKLY',
        format: 'CAMT_053',
        version: statement.version,
      },
    );
    // Marc Dupont signs individually and the company policy allows it: applied at once.
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('APPLIED');
    expect(changed.body.result?.delivery).toMatchObject({ frequency: 'WEEKLY', version: statement.version + 1 });
    const after = await marc.get<DeliveryPage>(`/companies/${DEMO.companies.dupont.id}/deliveries`);
    expect(after.body.items.find((d) => d.id === statement.id)).toMatchObject({ format: 'CAMT_053', frequency: 'WEEKLY' });
    expect((await sophie.request<Problem>('PATCH', `/deliveries/${statement.id}`, { active: false })).status).toBe(404);
  });

  it('builds the deliveries report of the active deliveries', async () => {
    const order = await marc.post<ReportView>(`/companies/${DEMO.companies.dupont.id}/reports`, { type: 'DELIVERIES', language: 'en' });
    const ready = await waitForStatus(marc, order.body.id, ['READY', 'FAILED']);
    expect(ready.failureReason).toBeUndefined();
    const { bytes } = await download(marc, ready.id);
    const pdf = await readPdf(bytes);
    expect(pdf.pages[0]).toContain('Deliveries report');
    expect(pdf.text).toContain('Compte courant (FR7610107001011234567890129)');
    expect(pdf.text).toContain('camt.054');
  }, 40_000);

  it('ends a build that cannot succeed FAILED with its reason, and lets it be ordered again', async () => {
    await system.kill('identity');
    await waitFor(
      async () =>
        ((await (await fetch(`${system.baseUrl}/api/v1/health`)).json()) as { components: Record<string, { status: string }> }).components
          .identity.status !== 'up',
      {
        timeoutMs: 15_000,
        what: 'identity to be reported down',
      },
    );
    const order = await marc.post<ReportView>(`/companies/${DEMO.companies.dupont.id}/reports`, { type: 'ACCESS_RIGHTS' });
    expect(order.status).toBe(202);
    // Five attempts with backoff (2 + 4 + 8 + 16 s) before the report ends FAILED.
    const failed = await waitForStatus(marc, order.body.id, ['FAILED', 'READY'], 120_000);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/identity/);
    expect((await marc.get<Problem>(`/reports/${failed.id}/file`)).status).toBe(409);

    await system.restart('identity');
    const again = await marc.post<ReportView>(`/companies/${DEMO.companies.dupont.id}/reports`, { type: 'ACCESS_RIGHTS' });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(failed.id);
    expect((await waitForStatus(marc, again.body.id, ['READY', 'FAILED'])).status).toBe('READY');
  }, 200_000);

  it('completes an order whose worker was killed during the build, once the service is back', async () => {
    await system.kill('reporting');
    await system.restart('reporting', { FAULT_INJECTION: 'reporting.build.before-commit' });
    const doomed: ServiceProcess = system.processes.filter((p) => p.service === 'reporting').at(-1)!;
    const order = await sophie.post<ReportView>(`/companies/${DEMO.companies.martin.id}/reports`, { type: 'ACCESS_RIGHTS' });
    expect(order.status).toBe(202);
    expect(await system.exited(doomed)).toBe('SIGKILL');
    // No reporting process is left: the API says so (503) instead of a made-up outcome,
    // and the interrupted build is still RUNNING in the service's own table, without a document.
    const whileDown = await sophie.get<Problem>(`/reports/${order.body.id}`);
    expect({ status: whileDown.status, code: whileDown.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(await reportRow(system.databaseUrl, order.body.id)).toEqual({ status: 'RUNNING', documents: 0 });

    await system.restart('reporting', { FAULT_INJECTION: '' });
    // BullMQ gives the stalled job to the new worker once the dead one's lock expires.
    const done = await waitForStatus(sophie, order.body.id, ['READY', 'FAILED'], 100_000);
    expect(done.status).toBe('READY');
    const { bytes } = await download(sophie, done.id);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.document!.fileSha256);
    expect((await readPdf(bytes)).text).toContain('Leroy Julie');
  }, 150_000);
});
