import { DomainError } from '@procura/errors';
import { CatalogIndex } from '@procura/rights';
import { checkAuthorizationDraft, checkFamiliesOfUser, checkServiceInOffer } from './authorization-rules';

const none = 'NONE' as const;
const catalog = new CatalogIndex([
  {
    code: 'EINVOICING',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'SUBSCRIPTION', labelFr: '', labelEn: '', resourceScope: none }],
    levels: [{ code: 'CONSULT', labelFr: '', labelEn: '', rank: 10 }],
  },
  {
    code: 'BANKING',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'VALIDATE', labelFr: '', labelEn: '', resourceScope: 'ACCOUNTS_AND_CONTRACTS' }],
    levels: [{ code: 'ACCESS', labelFr: '', labelEn: '', rank: 10 }],
  },
  {
    code: 'ACCOUNTING_PORTAL',
    labelFr: '',
    labelEn: '',
    rights: ['PRODUCTION_COMPTA', 'PRODUCTION_PAIE']
      .map((code) => ({ code, labelFr: '', labelEn: '', family: 'PRODUCTION', resourceScope: none }))
      .concat(
        ['PRODUCTION_COMPTA_CONSULTATION', 'PRODUCTION_PAIE_CONSULTATION'].map((code) => ({
          code,
          labelFr: '',
          labelEn: '',
          family: 'CONSULTATION',
          resourceScope: none,
        })),
      ),
    levels: [{ code: 'ACCESS', labelFr: '', labelEn: '', rank: 10 }],
  },
]);
const resources = new Map([
  ['r1', { allowedRights: ['CONSULT', 'MANAGE', 'VALIDATE'] }],
  ['r2', { allowedRights: ['CONSULT'] }],
]);
const from = new Date('2026-01-01T00:00:00Z');

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
}
const check = (service: string, grants: Array<{ right: string; level: string; resourceIds?: string[] }>, endsAt: Date | null = null) =>
  codeOf(() => checkAuthorizationDraft({ service, effectiveFrom: from, endsAt, grants }, catalog, resources));

describe('checkAuthorizationDraft', () => {
  it('accepts a well-formed authorization', () => {
    expect(check('EINVOICING', [{ right: 'SUBSCRIPTION', level: 'CONSULT' }])).toBeUndefined();
    expect(check('BANKING', [{ right: 'VALIDATE', level: 'ACCESS', resourceIds: ['r1'] }])).toBeUndefined();
  });

  it('refuses incoherent dates', () => {
    expect(check('EINVOICING', [{ right: 'SUBSCRIPTION', level: 'CONSULT' }], from)).toBe('VALIDATION_FAILED');
    expect(check('EINVOICING', [{ right: 'SUBSCRIPTION', level: 'CONSULT' }], new Date('2025-12-31T00:00:00Z'))).toBe('VALIDATION_FAILED');
  });

  it('refuses services, rights and levels the catalog does not have', () => {
    expect(check('NOPE', [{ right: 'SUBSCRIPTION', level: 'CONSULT' }])).toBe('UNKNOWN_SERVICE');
    expect(check('EINVOICING', [{ right: 'VALIDATE', level: 'CONSULT' }])).toBe('UNKNOWN_RIGHT');
    expect(check('EINVOICING', [{ right: 'SUBSCRIPTION', level: 'ACCESS' }])).toBe('UNKNOWN_LEVEL');
  });

  it('requires banking rights to name resources of the company that allow them', () => {
    expect(check('BANKING', [{ right: 'VALIDATE', level: 'ACCESS' }])).toBe('RESOURCES_REQUIRED');
    expect(check('BANKING', [{ right: 'VALIDATE', level: 'ACCESS', resourceIds: ['elsewhere'] }])).toBe('UNKNOWN_RESOURCE');
    expect(check('BANKING', [{ right: 'VALIDATE', level: 'ACCESS', resourceIds: ['r2'] }])).toBe('RIGHT_NOT_ALLOWED_ON_RESOURCE');
    expect(check('EINVOICING', [{ right: 'SUBSCRIPTION', level: 'CONSULT', resourceIds: ['r1'] }])).toBe('VALIDATION_FAILED');
  });

  it('requires accounting-portal applications as one complete family, never mixed (seed 003)', () => {
    const g = (right: string) => ({ right, level: 'ACCESS' });
    expect(check('ACCOUNTING_PORTAL', [g('PRODUCTION_COMPTA'), g('PRODUCTION_PAIE')])).toBeUndefined();
    expect(check('ACCOUNTING_PORTAL', [g('PRODUCTION_COMPTA')])).toBe('ACCOUNTING_FAMILY_INCOMPLETE');
    expect(check('ACCOUNTING_PORTAL', [g('PRODUCTION_COMPTA'), g('PRODUCTION_PAIE'), g('PRODUCTION_PAIE_CONSULTATION')])).toBe(
      'ACCOUNTING_FAMILIES_MIXED',
    );
    expect(codeOf(() => checkFamiliesOfUser('u', ['PRODUCTION', 'CONSULTATION']))).toBe('ACCOUNTING_FAMILIES_MIXED');
    expect(codeOf(() => checkFamiliesOfUser('u', ['PRODUCTION', 'PRODUCTION']))).toBeUndefined();
  });
});

describe('checkServiceInOffer (seed 001: the "niveau d\'abonnement")', () => {
  it("grants only services of the company's pricing offer; an offer the catalog does not know includes none", () => {
    expect(codeOf(() => checkServiceInOffer('BANKING', 'ESSENTIEL'))).toBeUndefined();
    expect(codeOf(() => checkServiceInOffer('EINVOICING', 'EFACTURES'))).toBeUndefined();
    expect(codeOf(() => checkServiceInOffer('BANKING', 'EFACTURES'))).toBe('SERVICE_NOT_IN_OFFER');
    expect(codeOf(() => checkServiceInOffer('EINVOICING', 'X'))).toBe('SERVICE_NOT_IN_OFFER');
  });
});
