import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuProfileFlags, nodeFlagsFor, serviceProcessEnv } from './service-runtime';

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

describe('cpuProfileFlags', () => {
  it('adds a CPU profile per service only when asked', () => {
    expect(cpuProfileFlags('gateway', {})).toEqual([]);
    expect(cpuProfileFlags('gateway', { PROCURA_CPU_PROFILE_DIR: '/tmp/prof/' })).toEqual([
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/prof/gateway',
    ]);
  });
});

describe('docker-compose.yml', () => {
  // Compose cannot import TypeScript: it repeats the settings, and this keeps them equal.
  const compose = readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8');
  const environmentOf = (service: string): string => {
    const line = compose.split('\n').find((l) => new RegExp(`SERVICE: ${service}[,\\s}]`).test(l));
    if (!line) throw new Error(`no environment line for ${service} in docker-compose.yml`);
    return line;
  };

  it.each(['identity', 'authorizations', 'notifications', 'reporting', 'gateway'])(
    'gives %s the Node flags and malloc arenas of service-runtime',
    (service) => {
      const line = environmentOf(service);
      const arenas = serviceProcessEnv(service, {}).MALLOC_ARENA_MAX;
      if (arenas) expect(line).toContain(`MALLOC_ARENA_MAX: "${arenas}"`);
      else expect(line).not.toContain('MALLOC_ARENA_MAX');
      const flags = nodeFlagsFor(service);
      if (flags.length) expect(line).toContain(`NODE_OPTIONS: "${flags.join(' ')}"`);
      else expect(line).not.toContain('NODE_OPTIONS');
    },
  );

  it('takes the secrets from the environment, with no default, and seeds no demo data unless asked', () => {
    for (const secret of ['AUTH_TOKEN_SECRET', 'SECRETS_KEY', 'POSTGRES_PASSWORD'])
      expect(compose).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
    expect(compose).not.toMatch(/POSTGRES_PASSWORD: procura|:procura@/);
    expect(compose).toContain('SEED_DEMO: ${SEED_DEMO:-false}');
    expect(compose).toContain('NODE_ENV: ${NODE_ENV:-production}');
  });

  it('sets no malloc arenas for every service at once', () => {
    expect(compose.split('x-service:')[1].split('services:')[0]).not.toContain('MALLOC_ARENA_MAX');
  });
});
