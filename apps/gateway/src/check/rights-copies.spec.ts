import { CatalogServiceView, CompiledRightsAnswer, CompiledRightsWire } from '@procura/contracts';
import { catalogVersion, evaluate } from '@procura/rights';
import { RightsCopies, RightsSource } from './rights-copies';

const views = (levels = [{ code: 'CONSULT', labelFr: '', labelEn: '', rank: 10 }]): CatalogServiceView[] => [
  {
    code: 'REPORTS',
    labelFr: '',
    labelEn: '',
    rights: [{ code: 'ORDER_REPORTS', labelFr: '', labelEn: '', resourceScope: 'NONE' }],
    levels,
  },
];

const rightsOf = (userId: string, level: string | null): CompiledRightsWire => ({
  userId,
  companyId: 'c1',
  status: 'ACTIVE',
  credentials: [{ validUntil: null, revoked: false, bankingPower: true }],
  grants: level
    ? [
        {
          authorizationId: `a-${level}`,
          authorizationLabel: 'R',
          service: 'REPORTS',
          right: 'ORDER_REPORTS',
          level,
          from: 0,
          until: null,
          resources: null,
        },
      ]
    : [],
});

/** Redis tokens and the authorizations service's rows, as the copies see them. */
class FakeSource implements RightsSource {
  tokensOf = new Map<string, string>();
  levelOf = new Map<string, string | null>();
  catalogViews = views();
  tokenReads: string[][] = [];
  fetches: string[][] = [];
  catalogLoads = 0;
  private counter = 0;

  async tokens(userIds: string[]): Promise<Array<string | null>> {
    this.tokenReads.push(userIds);
    return userIds.map((id) => this.tokensOf.get(id) ?? null);
  }

  /** Runs after the service has read the token and the rows, before its answer arrives. */
  afterRead?: () => void;

  async compiled(userIds: string[]): Promise<CompiledRightsAnswer> {
    this.fetches.push(userIds);
    await new Promise((r) => setImmediate(r));
    const answer = {
      catalogVersion: catalogVersion(this.catalogViews),
      users: userIds.map((userId) => {
        // like RightsGenerations.current: a missing token is created by the service
        if (!this.tokensOf.has(userId)) this.tokensOf.set(userId, `created-${++this.counter}`);
        const level = this.levelOf.get(userId);
        return { userId, token: this.tokensOf.get(userId)!, rights: level === undefined ? null : rightsOf(userId, level) };
      }),
    };
    this.afterRead?.();
    this.afterRead = undefined;
    return answer;
  }

  async catalog(): Promise<CatalogServiceView[]> {
    this.catalogLoads++;
    return this.catalogViews;
  }

  /** What an applied change does: new rows, then a new token. */
  change(userId: string, level: string | null): void {
    this.levelOf.set(userId, level);
    this.tokensOf.set(userId, `changed-${++this.counter}`);
  }
}

const q = { service: 'REPORTS', right: 'ORDER_REPORTS', level: 'CONSULT' };

describe(RightsCopies.name, () => {
  let source: FakeSource;
  let clock: number;
  let copies: RightsCopies;
  const answer = async (userId: string) => {
    const { rights, catalog } = await copies.rightsOf([userId]);
    const r = rights.get(userId);
    return r ? evaluate(r, q, 1000, catalog).reason : 'UNKNOWN_USER';
  };

  beforeEach(() => {
    source = new FakeSource();
    clock = 1_000_000;
    copies = new RightsCopies(source, { maxEntries: 3, maxAgeMs: 60_000, now: () => clock });
    source.change('u1', 'CONSULT');
  });

  it('answers from the copy while the token is current: one token read, no fetch', async () => {
    expect(await answer('u1')).toBe('GRANTED');
    expect(source.fetches).toHaveLength(1);
    expect(await answer('u1')).toBe('GRANTED');
    expect(await answer('u1')).toBe('GRANTED');
    expect(source.fetches).toHaveLength(1);
    expect(source.tokenReads).toHaveLength(3);
  });

  it('fetches again as soon as the token changes (read-your-writes), including a revoked right', async () => {
    expect(await answer('u1')).toBe('GRANTED');
    source.change('u1', null);
    expect(await answer('u1')).toBe('NO_AUTHORIZATION');
    source.change('u1', 'CONSULT');
    expect(await answer('u1')).toBe('GRANTED');
    expect(source.fetches).toHaveLength(3);
  });

  it('never takes a missing token for an unchanged one', async () => {
    expect(await answer('u1')).toBe('GRANTED');
    source.tokensOf.delete('u1'); // Redis lost the token (restart, eviction)
    source.levelOf.set('u1', null); // and the rows changed meanwhile
    expect(await answer('u1')).toBe('NO_AUTHORIZATION');
    expect(source.fetches).toHaveLength(2);
    // the service created a new token: the copy is current again
    expect(await answer('u1')).toBe('NO_AUTHORIZATION');
    expect(source.fetches).toHaveLength(2);
  });

  it('keeps a copy under the token the service read, so a change committed during the fetch is seen by the next check', async () => {
    source.afterRead = () => source.change('u1', null);
    expect(await answer('u1')).toBe('GRANTED'); // concurrent with the change: either answer is right
    expect(await answer('u1')).toBe('NO_AUTHORIZATION');
    expect(source.fetches).toHaveLength(2);
  });

  it('caches unknown users too, and answers them as unknown', async () => {
    expect(await answer('nobody')).toBe('UNKNOWN_USER');
    expect(await answer('nobody')).toBe('UNKNOWN_USER');
    expect(source.fetches).toEqual([['nobody']]);
  });

  it('shares one fetch between concurrent checks of the same user', async () => {
    await Promise.all([answer('u1'), answer('u1'), answer('u1')]);
    expect(source.fetches).toHaveLength(1);
  });

  it('reads the tokens of a batch at once and fetches only the users whose copy is not current', async () => {
    source.change('u2', 'CONSULT');
    source.change('u3', null);
    await copies.rightsOf(['u1']);
    const { rights } = await copies.rightsOf(['u1', 'u2', 'u3', 'u2']);
    expect(source.tokenReads.at(-1)).toEqual(['u1', 'u2', 'u3']);
    expect(source.fetches.at(-1)).toEqual(['u2', 'u3']);
    expect([...rights.keys()]).toEqual(['u1', 'u2', 'u3']);
  });

  it('keeps at most maxEntries copies, dropping the least recently used', async () => {
    for (const id of ['u2', 'u3', 'u4']) source.change(id, 'CONSULT');
    for (const id of ['u1', 'u2', 'u3']) await answer(id);
    await answer('u1'); // u2 is now the least recently used
    await answer('u4');
    expect(copies.size).toBe(3);
    const before = source.fetches.length;
    await answer('u1');
    await answer('u3');
    expect(source.fetches.length).toBe(before);
    await answer('u2');
    expect(source.fetches.length).toBe(before + 1);
  });

  it('fetches again after maxAgeMs even with an unchanged token (safety net)', async () => {
    await answer('u1');
    clock += 60_000;
    await answer('u1');
    expect(source.fetches).toHaveLength(2);
  });

  it('reloads the catalog when the service compiled against another one', async () => {
    expect(await answer('u1')).toBe('GRANTED');
    expect(source.catalogLoads).toBe(1);
    source.catalogViews = views([
      { code: 'CONSULT', labelFr: '', labelEn: '', rank: 10 },
      { code: 'VALIDATE', labelFr: '', labelEn: '', rank: 20 },
    ]);
    source.change('u1', 'VALIDATE');
    const { rights, catalog } = await copies.rightsOf(['u1']);
    expect(source.catalogLoads).toBe(2);
    expect(evaluate(rights.get('u1')!, { ...q, level: 'VALIDATE' }, 1000, catalog).reason).toBe('GRANTED');
  });

  it('lets a failed fetch fail the check and tries again on the next one', async () => {
    const compiled = source.compiled.bind(source);
    source.compiled = () => Promise.reject(new Error('authorizations unavailable'));
    await expect(answer('u1')).rejects.toThrow('authorizations unavailable');
    source.compiled = compiled;
    expect(await answer('u1')).toBe('GRANTED');
  });
});
