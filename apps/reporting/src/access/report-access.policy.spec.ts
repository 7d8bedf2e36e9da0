import { Actor } from '@procura/contracts';
import { decideReportAccess } from './report-access.policy';

describe('decideReportAccess', () => {
  const companyId = '00000000-0000-4000-8000-000000000101';
  const user = (clientType: 'ADMINISTRATOR' | 'STANDARD', cid = companyId): Actor => ({
    kind: 'user',
    userId: 'u1',
    companyId: cid,
    clientType,
    sessionId: 's1',
  });

  it('lets the administrators of the company in', () => {
    expect(decideReportAccess(user('ADMINISTRATOR'), companyId)).toEqual({ kind: 'allow' });
  });

  it('asks for the report right for a standard user of the company', () => {
    expect(decideReportAccess(user('STANDARD'), companyId)).toEqual({ kind: 'check-right', userId: 'u1' });
  });

  it('hides the company from users of another company, administrators included', () => {
    expect(decideReportAccess(user('ADMINISTRATOR', '00000000-0000-4000-8000-000000000102'), companyId)).toEqual({ kind: 'not-found' });
    expect(decideReportAccess(user('STANDARD', '00000000-0000-4000-8000-000000000102'), companyId)).toEqual({ kind: 'not-found' });
  });

  it('checks that an operator manages the company, and refuses system actors', () => {
    expect(decideReportAccess({ kind: 'operator', operatorId: 'o1' }, companyId)).toEqual({ kind: 'check-operator' });
    expect(decideReportAccess({ kind: 'system', reason: 'x' }, companyId)).toEqual({ kind: 'not-found' });
  });
});
