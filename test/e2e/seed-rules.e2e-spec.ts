// The rules the seeds state (issue #17), each through the HTTP API, on the shared system.
import { ChangePreview, ChangeRequestView, ChangeSubmissionResult, CompanyView } from '@procura/contracts';
import {
  addAdministrator,
  addOperator,
  addUsers,
  FixtureAdministrator,
  FixtureOperator,
  RunningSystem,
  sharedSystem,
  SYSTEM_START_HOOK_TIMEOUT_MS,
} from '@procura/testing';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; messages: string[] }>;
}
type Answer<T> = T & Partial<Omit<Problem, 'status'>>;

let seq = 0;
function companyInput() {
  seq++;
  const digits = `${Date.now()}${seq}`.slice(-9);
  return { name: `Seed rules ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' };
}

describe('Rules the seeds state (e2e)', () => {
  let system: RunningSystem;
  let operator: FixtureOperator;

  beforeAll(async () => {
    system = await sharedSystem();
    operator = await addOperator(system.databaseUrl, 'Seed rules operator');
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  const newCompany = async () => (await operator.session(system.baseUrl).post<CompanyView>('/companies', companyInput())).body;
  const approve = (validator: FixtureAdministrator, id: string) =>
    validator.session(system.baseUrl).post<Answer<ChangeRequestView>>(`/change-requests/${id}/approve`, { totpCode: validator.totp() });

  describe('rule 2, signing powers (seed 002: the Admin right "avec les types de signature individuel ou collectif")', () => {
    it('an administrator whose admin signature is NONE can neither submit nor approve changes, nor count as a validator', async () => {
      const company = await newCompany();
      const [alice, bob, nina] = await Promise.all([
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Alice' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Bob' }),
        addAdministrator(system.databaseUrl, company.id, { firstName: 'Nina', adminSignature: 'NONE' }),
      ]);
      const [user] = await addUsers(system.databaseUrl, company.id, 1);

      const byNina = await nina.session(system.baseUrl).request<Problem>('PATCH', `/users/${user}`, { firstName: 'ByNina' });
      expect(byNina.status).toBe(403);
      expect(byNina.headers.get('content-type')).toContain('application/problem+json');
      expect(byNina.body.detail).toMatch(/signature is NONE/);

      const byAlice = await alice
        .session(system.baseUrl)
        .request<ChangeSubmissionResult>('PATCH', `/users/${user}`, { firstName: 'ByAlice' });
      expect(byAlice.status).toBe(202);
      const id = byAlice.body.changeRequestId;

      const ninaApproves = await approve(nina, id);
      expect(ninaApproves.status).toBe(403);
      expect(ninaApproves.body.detail).toMatch(/signature is NONE/);

      // Nina is not offered as a validator; Bob is.
      const preview = await alice.session(system.baseUrl).post<ChangePreview>(`/companies/${company.id}/change-requests/preview`, {
        items: [{ kind: 'USER_UPDATE', payload: { userId: user, lastName: 'Preview' } }],
      });
      expect(preview.status).toBe(200);
      expect(preview.body.eligibleValidators.map((v) => v.userId)).toEqual([bob.userId]);

      const bobApproves = await approve(bob, id);
      expect(bobApproves.status).toBe(200);
      expect(bobApproves.body.status).toBe('APPLIED');
    });
  });
});
