import { nodeFlagsFor, serviceProcessEnv } from './service-runtime';

describe('nodeFlagsFor', () => {
  it('caps the reporting heap so a report build collects its garbage early', () => {
    const cap = nodeFlagsFor('reporting').find((f) => f.startsWith('--max-old-space-size='));
    expect(cap).toBeDefined();
    const mb = Number(cap!.split('=')[1]);
    // Room for the service (~60 MB live) and two builds at once, far below 300 MB resident.
    expect(mb).toBeGreaterThanOrEqual(128);
    expect(mb).toBeLessThanOrEqual(192);
  });

  it('keeps the reporting young generation small (semi-spaces of at most 8 MB)', () => {
    const semi = nodeFlagsFor('reporting').find((f) => f.startsWith('--max-semi-space-size='));
    expect(semi).toBeDefined();
    expect(Number(semi!.split('=')[1])).toBeLessThanOrEqual(8);
  });

  it('gives the other services Node defaults, and a copy callers may extend', () => {
    expect(nodeFlagsFor('gateway')).toEqual([]);
    nodeFlagsFor('reporting').push('--x');
    expect(nodeFlagsFor('reporting')).not.toContain('--x');
  });

  it('limits glibc malloc arenas in the service processes, unless the caller set its own value', () => {
    for (const service of ['gateway', 'authorizations', 'notifications', 'reporting']) {
      expect(serviceProcessEnv(service, { PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    }
    expect(serviceProcessEnv('reporting', { MALLOC_ARENA_MAX: '4' }).MALLOC_ARENA_MAX).toBe('4');
  });

  it('leaves identity on glibc default arenas: its argon2id threads would wait on each other', () => {
    expect(serviceProcessEnv('identity', { PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });
});
