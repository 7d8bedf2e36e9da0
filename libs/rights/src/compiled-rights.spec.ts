import { CatalogIndex } from './catalog-index';
import { catalogVersion } from './catalog-version';
import { compileRights, evaluate, RawAuthorization, RawPrincipal, rightsFromWire, rightsToWire } from './compiled-rights';
import { effectiveRightsView } from './effective-rights';

const catalog = new CatalogIndex([
  {
    code: 'EINVOICING',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'CUSTOMER_INVOICING', labelFr: '', labelEn: '', resourceScope: 'NONE' }],
    levels: [
      { code: 'CONSULT', labelFr: '', labelEn: '', rank: 10 },
      { code: 'CONSULT_ENTER_VALIDATE', labelFr: '', labelEn: '', rank: 30 },
    ],
  },
  {
    code: 'BANKING',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'VALIDATE', labelFr: '', labelEn: '', resourceScope: 'ACCOUNTS_AND_CONTRACTS' }],
    levels: [{ code: 'ACCESS', labelFr: '', labelEn: '', rank: 10 }],
  },
]);

const T0 = Date.parse('2026-01-01T00:00:00Z');
const T1 = Date.parse('2026-06-01T00:00:00Z');
const active: RawPrincipal = {
  userId: 'u1',
  companyId: 'c1',
  status: 'ACTIVE',
  credentials: [{ validUntil: null, revoked: false, bankingPower: true }],
};
const einvoicing = (level: string, endsAt: Date | null = null): RawAuthorization => ({
  id: 'a-einv',
  label: 'Factures',
  serviceCode: 'EINVOICING',
  effectiveFrom: new Date(T0),
  endsAt,
  grants: [{ rightCode: 'CUSTOMER_INVOICING', levelCode: level, resourceIds: [] }],
});
const banking: RawAuthorization = {
  id: 'a-bank',
  label: 'Banque',
  serviceCode: 'BANKING',
  effectiveFrom: new Date(T0),
  endsAt: null,
  grants: [{ rightCode: 'VALIDATE', levelCode: 'ACCESS', resourceIds: ['r1'] }],
};
const ask = (
  principal: RawPrincipal,
  auths: RawAuthorization[],
  q: { service: string; right: string; level: string; resourceId?: string },
  at = T0 + 1000,
) => evaluate(compileRights(principal, auths, catalog), q, at, catalog);

describe('evaluate (compiled rights)', () => {
  it('grants a right at its level and every lower level, naming the authorization', () => {
    expect(
      ask(active, [einvoicing('CONSULT_ENTER_VALIDATE')], { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' }),
    ).toEqual({
      allowed: true,
      reason: 'GRANTED',
      authorizationId: 'a-einv',
    });
  });

  it('refuses a higher level than granted', () => {
    expect(
      ask(active, [einvoicing('CONSULT')], { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' }).reason,
    ).toBe('LEVEL_TOO_LOW');
  });

  it('grants nothing before the effective date nor from the end date on', () => {
    const auth = einvoicing('CONSULT', new Date(T1));
    const q = { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' };
    expect(ask(active, [auth], q, T0 - 1).reason).toBe('OUTSIDE_VALIDITY_DATES');
    expect(ask(active, [auth], q, T1 - 1).allowed).toBe(true);
    expect(ask(active, [auth], q, T1).reason).toBe('OUTSIDE_VALIDITY_DATES');
  });

  it('answers the user state first: suspended, not active, no, revoked or expired credential', () => {
    const q = { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' };
    const auths = [einvoicing('CONSULT')];
    expect(ask({ ...active, status: 'SUSPENDED' }, auths, q).reason).toBe('USER_SUSPENDED');
    expect(ask({ ...active, status: 'REGISTERED' }, auths, q).reason).toBe('USER_NOT_ACTIVE');
    expect(ask({ ...active, credentials: [] }, auths, q).reason).toBe('NO_CREDENTIAL');
    expect(ask({ ...active, credentials: [{ validUntil: null, revoked: true, bankingPower: true }] }, auths, q).reason).toBe(
      'CREDENTIAL_REVOKED',
    );
    expect(ask({ ...active, credentials: [{ validUntil: new Date(T0), revoked: false, bankingPower: true }] }, auths, q).reason).toBe(
      'CREDENTIAL_EXPIRED',
    );
    expect(
      ask(
        {
          ...active,
          credentials: [
            { validUntil: new Date(T0), revoked: false, bankingPower: true },
            { validUntil: null, revoked: false, bankingPower: true },
          ],
        },
        auths,
        q,
      ).allowed,
    ).toBe(true);
  });

  it('uses banking rights only with banking power, which e-invoicing-only rights never have (seed 000)', () => {
    const q = { service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: 'r1' };
    const withoutPower = { ...active, credentials: [{ validUntil: null, revoked: false, bankingPower: false }] };
    expect(ask(withoutPower, [banking], q).reason).toBe('NO_BANKING_POWER');
    const view = effectiveRightsView('u1', compileRights(withoutPower, [banking], catalog), T0 + 1);
    expect(view).toMatchObject({ bankingPower: false, bankingPowerReason: 'The credential has no banking power' });
    expect(view.rights[0].withheld).toBe('NO_BANKING_POWER');
    const einvoicingOnly = effectiveRightsView('u1', compileRights(active, [einvoicing('CONSULT')], catalog), T0 + 1);
    expect(einvoicingOnly.bankingPower).toBe(false);
    expect(einvoicingOnly.bankingPowerReason).toMatch(/only e-invoicing/);
    expect(effectiveRightsView('u1', compileRights(active, [banking], catalog), T0 + 1).bankingPower).toBe(true);
  });

  it('checks resources of banking rights', () => {
    expect(ask(active, [banking], { service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: 'r1' }).allowed).toBe(true);
    expect(ask(active, [banking], { service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: 'r2' }).reason).toBe(
      'RESOURCE_NOT_GRANTED',
    );
  });

  it('names unknown rights and levels, and a right no authorization gives', () => {
    expect(ask(active, [], { service: 'EINVOICING', right: 'NOPE', level: 'CONSULT' }).reason).toBe('UNKNOWN_RIGHT');
    expect(ask(active, [], { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'NOPE' }).reason).toBe('UNKNOWN_LEVEL');
    expect(ask(active, [banking], { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' }).reason).toBe(
      'NO_AUTHORIZATION',
    );
  });
});

describe('rightsToWire / rightsFromWire', () => {
  it('round-trips compiled rights so that every answer stays the same', () => {
    const compiled = compileRights(active, [einvoicing('CONSULT', new Date(T1)), banking], catalog);
    const copy = rightsFromWire(JSON.parse(JSON.stringify(rightsToWire(compiled))));
    const questions = [
      { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' },
      { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' },
      { service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: 'r1' },
      { service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: 'r2' },
    ];
    for (const at of [T0 - 1, T0 + 1, T1]) {
      for (const q of questions) expect(evaluate(copy, q, at, catalog)).toEqual(evaluate(compiled, q, at, catalog));
      expect(effectiveRightsView('u1', copy, at)).toEqual(effectiveRightsView('u1', compiled, at));
    }
  });
});

describe('effectiveRightsView', () => {
  it('lists the rights active at the instant, and none while the user is blocked', () => {
    const compiled = compileRights(active, [einvoicing('CONSULT', new Date(T1)), banking], catalog);
    expect(
      effectiveRightsView('u1', compiled, T0 + 1).rights.map((r) => `${r.service}:${r.right}:${r.resourceIds?.join() ?? '-'}`),
    ).toEqual(['BANKING:VALIDATE:r1', 'EINVOICING:CUSTOMER_INVOICING:-']);
    expect(effectiveRightsView('u1', compiled, T1).rights.map((r) => r.service)).toEqual(['BANKING']);
    const suspended = effectiveRightsView('u1', compileRights({ ...active, status: 'SUSPENDED' }, [banking], catalog), T0 + 1);
    expect(suspended).toMatchObject({ usable: false, reason: 'USER_SUSPENDED', rights: [] });
  });
});

describe('catalogVersion', () => {
  it('ignores the order of the lists but not a new level', () => {
    const views = [
      {
        code: 'A',
        labelFr: '',
        labelEn: '',
        rights: [],
        levels: [
          { code: 'X', labelFr: '', labelEn: '', rank: 1 },
          { code: 'Y', labelFr: '', labelEn: '', rank: 2 },
        ],
      },
    ];
    const reversed = [{ ...views[0], levels: [...views[0].levels].reverse() }];
    expect(catalogVersion(reversed)).toBe(catalogVersion(views));
    const more = [{ ...views[0], levels: [...views[0].levels, { code: 'Z', labelFr: '', labelEn: '', rank: 3 }] }];
    expect(catalogVersion(more)).not.toBe(catalogVersion(views));
  });
});
