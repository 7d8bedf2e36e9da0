import { ServiceUnavailableError } from '@procura/errors';
import { CatalogIndex } from '@procura/rights';
import { AuthorizationRulesService, Draft } from './authorization-rules.service';

// Pure unit test: the service's collaborators are stand-ins that answer at once. What it pins
// down is the order of the answers, which the e2e tests cannot stage (identity down mid-check).
const catalog = new CatalogIndex([
  {
    code: 'EINVOICING',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'SUBSCRIPTION', labelFr: '', labelEn: '', resourceScope: 'NONE' }],
    levels: [{ code: 'CONSULT', labelFr: '', labelEn: '', rank: 10 }],
  },
  {
    code: 'BANKING',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'CONSULT', labelFr: '', labelEn: '', resourceScope: 'NONE' }],
    levels: [{ code: 'ACCESS', labelFr: '', labelEn: '', rank: 10 }],
  },
]);

const draft = (service: string, right: string, level: string): Draft => ({
  service,
  effectiveFrom: new Date('2026-01-01T00:00:00Z'),
  endsAt: null,
  grants: [{ right, level }],
});

function rulesWith(offer: () => Promise<{ pricingOffer: string }>) {
  const asked: string[] = [];
  const bus = {
    execute: (command: { pattern: string }) => {
      asked.push(command.pattern);
      return offer();
    },
  };
  const service = new AuthorizationRulesService(
    {} as never,
    { index: async () => catalog } as never,
    { ofCompany: async () => [] } as never,
    {} as never,
    {} as never,
    bus as never,
  );
  return { service, asked };
}

describe('AuthorizationRulesService.checkDraft (rule 8, the pricing offer)', () => {
  it("answers a draft's own mistake first, even while identity cannot say the offer", async () => {
    const { service } = rulesWith(() => Promise.reject(new ServiceUnavailableError('identity', 'down')));
    await expect(service.checkDraft(undefined, 'c1', draft('NOPE', 'SUBSCRIPTION', 'CONSULT'))).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
    });
  });

  it('answers 503 for a valid draft while identity cannot say the offer', async () => {
    const { service } = rulesWith(() => Promise.reject(new ServiceUnavailableError('identity', 'down')));
    await expect(service.checkDraft(undefined, 'c1', draft('EINVOICING', 'SUBSCRIPTION', 'CONSULT'))).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });

  it("refuses a service outside the company's offer, asking the offer once per draft, and passes one inside it", async () => {
    const { service, asked } = rulesWith(async () => ({ pricingOffer: 'EFACTURES' }));
    await expect(service.checkDraft(undefined, 'c1', draft('BANKING', 'CONSULT', 'ACCESS'))).rejects.toMatchObject({
      code: 'SERVICE_NOT_IN_OFFER',
    });
    await expect(service.checkDraft(undefined, 'c1', draft('EINVOICING', 'SUBSCRIPTION', 'CONSULT'))).resolves.toBeUndefined();
    expect(asked).toHaveLength(2);
  });
});
