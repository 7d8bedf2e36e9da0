import { CatalogIndex } from '@procura/rights';
import { AuthorizationsRepository } from '../authorizations/authorizations.repository';
import { CatalogService } from '../catalog/catalog.service';
import { PrincipalsRepository } from '../principals/principals.repository';
import { RightsCompiler } from './rights-compiler';
import { RightsGenerations } from './rights-generations';

// Pure unit test: the repositories and Redis are replaced by in-memory fakes that count
// their calls, so what is checked is how many queries a batch of cold users costs and
// that each user is compiled from their own authorizations only.
const principal = (userId: string) => ({ userId, companyId: 'c1', status: 'ACTIVE', credentials: [] });
const authorization = (id: string, userIds: string[], right: string) => ({
  id,
  label: id,
  serviceCode: 'EINVOICING',
  effectiveFrom: new Date('2026-01-01T00:00:00Z'),
  endsAt: null,
  grants: [{ rightCode: right, levelCode: 'CONSULT', resourceIds: [] }],
  users: userIds.map((userId) => ({ userId })),
});

function setUp() {
  const tokens = new Map<string, string>([
    ['u1', 't1'],
    ['u2', 't2'],
    ['u3', 't3'],
  ]);
  const calls = { principals: [] as string[][], authorizations: [] as string[][] };
  const principals = new Map([
    ['u1', principal('u1')],
    ['u2', principal('u2')],
  ]);
  const authorizations = [authorization('shared', ['u1', 'u2'], 'CONSULT_INVOICES'), authorization('own', ['u1'], 'SEND_INVOICES')];
  const generations = { current: async (ids: string[]) => ids.map((id) => tokens.get(id)!) } as unknown as RightsGenerations;
  const principalsRepo = {
    findMany: async (ids: string[]) => {
      calls.principals.push(ids);
      await new Promise((r) => setTimeout(r, 5));
      return ids.flatMap((id) => (principals.has(id) ? [principals.get(id)!] : []));
    },
  } as unknown as PrincipalsRepository;
  const authorizationsRepo = {
    ofUsersByUser: async (ids: string[]) => {
      calls.authorizations.push(ids);
      return new Map(ids.map((id) => [id, authorizations.filter((a) => a.users.some((u) => u.userId === id))]));
    },
  } as unknown as AuthorizationsRepository;
  const catalog = {
    index: async () => ({ right: () => ({ resourceScoped: false }) }) as unknown as CatalogIndex,
  } as unknown as CatalogService;
  return { compiler: new RightsCompiler(generations, principalsRepo, authorizationsRepo, catalog), calls, tokens };
}

const rightsKeys = (r: { grants: ReadonlyMap<string, unknown> } | null | undefined) => (r ? [...r.grants.keys()].sort() : null);

describe('RightsCompiler', () => {
  it('compiles a batch of cold users with one principals query and one authorizations query, each from their own authorizations', async () => {
    const { compiler, calls } = setUp();
    const rights = await compiler.rightsOf(['u1', 'u2', 'u3']);
    expect(calls.principals).toEqual([['u1', 'u2', 'u3']]);
    expect(calls.authorizations).toEqual([['u1', 'u2', 'u3']]);
    expect(rightsKeys(rights.get('u1'))).toEqual(['EINVOICING|CONSULT_INVOICES', 'EINVOICING|SEND_INVOICES']);
    expect(rightsKeys(rights.get('u2'))).toEqual(['EINVOICING|CONSULT_INVOICES']);
    expect(rights.get('u3')).toBeNull();
  });

  it('answers from memory while the tokens are unchanged and recompiles only the users whose token changed', async () => {
    const { compiler, calls, tokens } = setUp();
    await compiler.rightsOf(['u1', 'u2', 'u3']);
    await compiler.rightsOf(['u1', 'u2', 'u3']);
    expect(calls.principals).toHaveLength(1);
    tokens.set('u2', 't2-bumped');
    await compiler.rightsOf(['u1', 'u2', 'u3']);
    expect(calls.principals).toEqual([['u1', 'u2', 'u3'], ['u2']]);
  });

  it('shares one compilation between concurrent callers asking for the same cold user', async () => {
    const { compiler, calls } = setUp();
    const [a, b] = await Promise.all([compiler.rightsOf(['u1']), compiler.rightsOf(['u1', 'u2'])]);
    expect(calls.principals).toEqual([['u1'], ['u2']]);
    expect(rightsKeys(a.get('u1'))).toEqual(rightsKeys(b.get('u1')));
  });

  it('fails the callers, and caches nothing, when the batch query fails', async () => {
    const { compiler, calls } = setUp();
    let fail = true;
    const repo = (compiler as unknown as { principals: { findMany: (ids: string[]) => Promise<unknown[]> } }).principals;
    const real = repo.findMany;
    repo.findMany = async (ids) => {
      if (fail) throw new Error('database down');
      return real(ids);
    };
    await expect(compiler.rightsOf(['u1', 'u2'])).rejects.toThrow('database down');
    fail = false;
    const rights = await compiler.rightsOf(['u1', 'u2']);
    expect(rightsKeys(rights.get('u2'))).toEqual(['EINVOICING|CONSULT_INVOICES']);
    expect(calls.principals).toEqual([['u1', 'u2']]);
  });
});
