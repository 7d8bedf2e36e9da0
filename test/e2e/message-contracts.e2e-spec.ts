import { ChangeSubmissionResult, CompanyView, EmailTemplate, SmsTemplate, UserView } from '@procura/contracts';
import { openSecret, type SealedSecret } from '@procura/security';
import { DEV_SECRETS } from '@procura/config';
import {
  addAdministrator,
  addUsers,
  addOperator,
  ApiResponse,
  readCaughtMail,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
  waitFor,
} from '@procura/testing';
import { Client } from 'pg';
import {
  checkTemplateInput,
  renderEmail,
  renderSms,
  TEMPLATE_SPECS,
  TemplateError,
} from '../../apps/notifications/src/templates/message-templates';

/** The development key the system under test seals secrets with (NODE_ENV=test, no SECRETS_KEY). */
const DEV_SECRETS_KEY = DEV_SECRETS.SECRETS_KEY;

interface MessageJob {
  schema: string;
  job_name: 'send-email' | 'send-sms';
  payload: {
    eventKey: string;
    companyId: string;
    to: string;
    template: string;
    params: Record<string, string>;
    secrets?: Record<string, SealedSecret>;
  };
}

/**
 * The contract between every producer of a message and the notifications worker's
 * templates: each producer is driven through the API as a user would, the jobs it really
 * wrote to its outbox are read back, and each is checked and rendered by the worker's own
 * template code in both languages, then delivered. A producer sending params its template
 * does not know (the EDI code e-mail sent `firstName`/`lastName`, and was never delivered)
 * fails here, and so does a template that no producer flow covers.
 */
function expectStatus(res: ApiResponse, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

describe('Message contracts: producers and templates (e2e)', () => {
  let system: RunningSystem;
  let db: Client;

  beforeAll(async () => {
    system = await sharedSystem();
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await db?.end();
  });

  /** Every notification job written to an outbox of `companyId` so far. */
  async function messageJobs(companyId: string): Promise<MessageJob[]> {
    const rows: MessageJob[] = [];
    for (const schema of ['identity', 'authorizations', 'reporting']) {
      const found = await db.query<MessageJob>(
        `SELECT '${schema}' AS schema, job_name, payload FROM "${schema}".outbox
          WHERE job_name IN ('send-email', 'send-sms') AND payload->>'companyId' = $1`,
        [companyId],
      );
      rows.push(...found.rows);
    }
    return rows;
  }

  it('renders every template, in French and English, with exactly what its producer sends, and delivers each message', async () => {
    const operator = (await addOperator(system.databaseUrl)).session(system.baseUrl);
    let seq = 0;
    async function newCompany(settings: Record<string, unknown> = {}): Promise<string> {
      const digits = `${Date.now()}${seq++}`.slice(-9);
      const created = await operator.post<CompanyView>('/companies', {
        name: `Contracts ${digits}`,
        registrationNumber: digits,
        billingMode: 'CLIENT',
        pricingOffer: 'ESSENTIEL',
        ...settings,
      });
      expectStatus(created, 201);
      return created.body.id;
    }
    const companyId = await newCompany();
    // Its users sign in with their e-mail (seed 003): the welcome e-mail says so instead of giving the login id.
    const phonelessCompanyId = await newCompany({ signInWith: 'EMAIL' });

    // Identity: welcome e-mails and the provisional-password SMS (a first administrator with a phone, another without).
    for (const [company, phone, language] of [
      [companyId, '+33612345678', 'fr'],
      [phonelessCompanyId, undefined, 'en'],
    ] as const) {
      const user = await operator.post<{ result: { user: UserView } }>(`/companies/${company}/users`, {
        lastName: 'Contrat',
        firstName: 'Chloé',
        birthDate: '1980-05-06',
        email: `chloe.contrat.${company.slice(0, 8)}@contracts.example`,
        ...(phone ? { phone } : {}),
        clientType: 'ADMINISTRATOR',
        adminSignature: 'COLLECTIVE',
        language,
      });
      expectStatus(user, 201);
      expectStatus(await operator.post(`/users/${user.body.result.user.id}/credentials`, { type: 'PERMANENT', bankingPower: false }), 201);
    }

    // Identity: the EDI confidential code, e-mailed to the requesting administrator.
    const [maker, validator] = await Promise.all([
      addAdministrator(system.databaseUrl, companyId, { firstName: 'Maker' }),
      addAdministrator(system.databaseUrl, companyId, { firstName: 'Validator' }),
    ]);
    const edi = await maker.session(system.baseUrl).post(`/users/${validator.userId}/edi-code`);
    expectStatus(edi, 201);
    // Identity: the reminder to a signature's owner before it expires (issue 17, rule 9): a signature as the signature
    // page leaves it (its creation through the API is seed-rules e2e's), due within the 30 days.
    await db.query(
      `INSERT INTO identity.edi_signatures (id, user_id, company_id, password_hash, status, valid_from, valid_until)
       VALUES (gen_random_uuid(), $1, $2, 'fixture-not-a-hash', 'ACTIVE', now(), now() + interval '10 days')`,
      [validator.userId, companyId],
    );

    // Authorizations: a change waiting for the validator (about another user: nobody approves a change about themselves,
    // and a request nobody could approve is refused at submission), then its outcome for the maker.
    const [subject] = await addUsers(system.databaseUrl, companyId, 1);
    const pending = await maker
      .session(system.baseUrl)
      .request<ChangeSubmissionResult>('PATCH', `/users/${subject}`, { lastName: 'Renommé' });
    expectStatus(pending, 202);
    const rejected = await validator
      .session(system.baseUrl)
      .post(`/change-requests/${pending.body.changeRequestId}/reject`, { reason: 'Pas maintenant' });
    expectStatus(rejected, 200);
    // A second change waits for the same validator, whose signature the operator then removes: nobody is left to
    // approve it, so its maker is told (issue 17, rule 3).
    const stuck = await maker.session(system.baseUrl).request<ChangeSubmissionResult>('PATCH', `/users/${subject}`, { lastName: 'Bloqué' });
    expectStatus(stuck, 202);
    const signatureRemoved = await operator.post<ChangeSubmissionResult>(`/companies/${companyId}/change-requests`, {
      items: [{ kind: 'ADMIN_SIGNATURE_SET', payload: { userId: validator.userId, adminSignature: 'NONE' } }],
    });
    expectStatus(signatureRemoved, 201);

    // Reporting: the report-ready e-mail to the orderer.
    const report = await maker.session(system.baseUrl).post<{ id: string }>(`/companies/${companyId}/reports`, { type: 'ACCESS_RIGHTS' });
    expectStatus(report, 202);

    const everyTemplate = Object.keys(TEMPLATE_SPECS).sort();
    const jobs = await waitFor(
      async () => {
        const found = [...(await messageJobs(companyId)), ...(await messageJobs(phonelessCompanyId))];
        return new Set(found.map((j) => j.payload.template)).size === everyTemplate.length && found;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'a message of every template in the outboxes' },
    );
    expect([...new Set(jobs.map((j) => j.payload.template))].sort()).toEqual(everyTemplate);

    for (const job of jobs) {
      const { template, params } = job.payload;
      const channel = job.job_name === 'send-email' ? 'EMAIL' : 'SMS';
      const secrets = Object.fromEntries(
        Object.entries(job.payload.secrets ?? {}).map(([name, sealed]) => [name, openSecret(sealed, DEV_SECRETS_KEY)]),
      );
      const what = `${job.schema} → ${template} (${job.payload.eventKey})`;
      try {
        checkTemplateInput(template, channel, params, Object.keys(secrets));
      } catch (error) {
        throw new Error(`${what}: ${error instanceof TemplateError ? error.message : String(error)}`, { cause: error });
      }
      for (const language of ['fr', 'en'] as const) {
        if (channel === 'SMS') {
          expect(renderSms(template as SmsTemplate, language, params, secrets)).toContain(Object.values(secrets)[0]);
          continue;
        }
        const mail = renderEmail(template as EmailTemplate, language, params, secrets);
        expect(mail.subject).not.toMatch(/undefined/);
        expect(mail.text).not.toMatch(/undefined/);
        for (const secret of Object.values(secrets)) expect(mail.text).toContain(secret);
      }
    }

    // And the worker delivers every one of them (none failed for good).
    const eventKeys = jobs.map((j) => j.payload.eventKey);
    const statuses = await waitFor(
      async () => {
        const { rows } = await db.query<{ event_key: string; template: string; status: string; last_error: string | null }>(
          `SELECT event_key, template, status::text AS status, last_error FROM notifications.messages WHERE event_key = ANY($1)`,
          [eventKeys],
        );
        const settled = rows.filter((r) => r.status === 'SENT' || r.status === 'FAILED');
        return settled.length === eventKeys.length && settled;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'every message sent or failed' },
    );
    expect(statuses.filter((s) => s.status !== 'SENT')).toEqual([]);

    // The phone-less administrator's welcome e-mail says the password comes from the administrator, not by SMS (defect 9).
    const phoneless = jobs.find((j) => j.payload.template === 'welcome-login-id' && j.payload.companyId === phonelessCompanyId)!;
    expect(phoneless.payload.params.passwordChannel).toBe('administrator');
    const delivered = (await readCaughtMail()).find((m) => m.to.includes(phoneless.payload.to))!;
    expect(delivered.text).toContain('company administrator');
    expect(delivered.text).not.toContain('SMS');
    // Its company signs in with e-mails: the welcome e-mail names the address to sign in with, not the login id.
    expect(phoneless.payload.params.signInEmail).toBe(phoneless.payload.to);
    expect(delivered.text).toContain(`You sign in with your e-mail address: ${phoneless.payload.to}`);
    expect(delivered.text).not.toContain(phoneless.payload.params.loginId);
    const withPhone = jobs.find((j) => j.payload.template === 'welcome-login-id' && j.payload.companyId === companyId)!;
    expect(withPhone.payload.params.passwordChannel).toBe('sms');
    expect(withPhone.payload.params.signInEmail).toBeUndefined();
  }, 180_000);
});
