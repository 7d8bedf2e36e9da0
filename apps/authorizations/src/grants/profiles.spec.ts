import { CatalogIndex } from '@procura/rights';
import { bankingGrants, closestLowerProfile, serviceGrants } from './profiles';

const catalog = new CatalogIndex([
  {
    code: 'EINVOICING',
    labelFr: '',
    labelEn: '',
    rights: ['SUBSCRIPTION', 'CUSTOMER_INVOICING'].map((code) => ({ code, labelFr: '', labelEn: '', resourceScope: 'NONE' as const })),
    levels: [
      { code: 'CONSULT', labelFr: '', labelEn: '', rank: 10 },
      { code: 'CONSULT_ENTER_VALIDATE', labelFr: '', labelEn: '', rank: 30 },
    ],
  },
  {
    code: 'ACCOUNTING_PORTAL',
    labelFr: '',
    labelEn: '',
    rights: [
      { code: 'PRODUCTION_COMPTA', labelFr: '', labelEn: '', family: 'PRODUCTION', resourceScope: 'NONE' },
      { code: 'PRODUCTION_COMPTA_CONSULTATION', labelFr: '', labelEn: '', family: 'CONSULTATION', resourceScope: 'NONE' },
    ],
    levels: [{ code: 'ACCESS', labelFr: '', labelEn: '', rank: 10 }],
  },
]);

describe('profiles (templates and authorize-all)', () => {
  it('falls back to the closest lower profile, never a higher one', () => {
    expect(closestLowerProfile('VALIDATE', (p) => p !== 'VALIDATE')).toBe('MANAGE');
    expect(closestLowerProfile('MANAGE', (p) => p === 'VALIDATE')).toBeNull();
    expect(closestLowerProfile('CONSULT', () => true)).toBe('CONSULT');
  });

  it('gives on each resource every right up to the profile it allows, and lists each substitution', () => {
    const current = { id: 'r1', contractType: 'CURRENT_ACCOUNT', allowedRights: ['CONSULT', 'MANAGE', 'VALIDATE'] };
    const savings = { id: 'r2', contractType: 'SAVINGS_ACCOUNT', allowedRights: ['CONSULT', 'MANAGE'] };
    const readOnly = { id: 'r3', contractType: 'LOAN', allowedRights: ['CONSULT'] };
    const { grants, substitutions } = bankingGrants([
      { resource: current, profile: 'VALIDATE' },
      { resource: savings, profile: 'VALIDATE' },
      { resource: readOnly, profile: 'MANAGE' },
    ]);
    expect(grants).toEqual([
      { right: 'CONSULT', level: 'ACCESS', resourceIds: ['r1', 'r2', 'r3'] },
      { right: 'MANAGE', level: 'ACCESS', resourceIds: ['r1', 'r2'] },
      { right: 'VALIDATE', level: 'ACCESS', resourceIds: ['r1'] },
    ]);
    expect(substitutions.map((s) => [s.resourceId, s.requested, s.given])).toEqual([
      ['r2', 'VALIDATE', 'MANAGE'],
      ['r3', 'MANAGE', 'CONSULT'],
    ]);
  });

  it('maps profiles onto e-invoicing levels and accounting families with substitutions', () => {
    expect(serviceGrants('EINVOICING', 'VALIDATE', catalog)).toEqual({
      grants: [
        { right: 'SUBSCRIPTION', level: 'CONSULT_ENTER_VALIDATE' },
        { right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' },
      ],
      substitution: undefined,
    });
    const manage = serviceGrants('EINVOICING', 'MANAGE', catalog);
    expect(manage.grants.every((g) => g.level === 'CONSULT')).toBe(true);
    expect(manage.substitution).toMatchObject({ requested: 'MANAGE', given: 'CONSULT' });
    expect(serviceGrants('ACCOUNTING_PORTAL', 'VALIDATE', catalog).grants).toEqual([{ right: 'PRODUCTION_COMPTA', level: 'ACCESS' }]);
    expect(serviceGrants('ACCOUNTING_PORTAL', 'CONSULT', catalog).grants).toEqual([
      { right: 'PRODUCTION_COMPTA_CONSULTATION', level: 'ACCESS' },
    ]);
  });
});
