import { randomBytes } from 'node:crypto';
import { AppConfig, ConfigError, DEV_SECRETS, estimatedEntropyBits, loadConfig } from './app-config';

const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe(AppConfig.name, () => {
  it('applies defaults when only the required settings are given', () => {
    const config = loadConfig('gateway', base);
    expect(config.httpPort).toBe(3000);
    expect(config.rpcTimeoutMs).toBe(4000);
    expect(config.smtpUrl).toBeUndefined();
  });

  it('names the missing variable', () => {
    expect(() => loadConfig('identity', { REDIS_URL: base.REDIS_URL })).toThrow(new ConfigError('DATABASE_URL', 'is required but not set'));
  });

  it('requires SMTP_URL for the notifications service only', () => {
    expect(() => loadConfig('notifications', base)).toThrow(/SMTP_URL/);
    expect(loadConfig('notifications', { ...base, SMTP_URL: 'smtp://127.0.0.1:2525' }).smtpUrl).toBe('smtp://127.0.0.1:2525');
  });

  it('refuses a wrong protocol and a bad number, naming the variable', () => {
    expect(() => loadConfig('gateway', { ...base, REDIS_URL: 'http://x' })).toThrow(/REDIS_URL must start with redis:/);
    expect(() => loadConfig('gateway', { ...base, PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig('gateway', { ...base, PORT: '70000' })).toThrow(/PORT must be between/);
  });

  it('never echoes a URL that may carry a password', () => {
    expect(() => loadConfig('gateway', { ...base, DATABASE_URL: 'secret-password-here' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-password-here') }),
    );
  });
});

describe('secrets', () => {
  const base2 = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };
  it('are required in production and must be long enough', () => {
    expect(() => loadConfig('gateway', { ...base2, NODE_ENV: 'production' })).toThrow(/AUTH_TOKEN_SECRET is required in production/);
    expect(() => loadConfig('gateway', { ...base2, AUTH_TOKEN_SECRET: 'short' })).toThrow(/AUTH_TOKEN_SECRET must be at least 16/);
    expect(loadConfig('gateway', base2).authTokenSecret).toMatch(/^dev-only/);
  });
});

describe('production refusals', () => {
  const strong = { AUTH_TOKEN_SECRET: 'q8Vx2mLr7TzN4kPw9sHc3JdYb6FgUe1A', SECRETS_KEY: 'Zt5Rn8Kw2Lp7Mx4Qv9Hb3Jc6Sd1Fg0Yu' };
  const production = { ...base, NODE_ENV: 'production', ...strong };

  it('starts with long, random secrets and no demo data', () => {
    expect(loadConfig('identity', production).secretsKey).toBe(strong.SECRETS_KEY);
  });

  it.each([
    ['the development default', DEV_SECRETS.AUTH_TOKEN_SECRET, /AUTH_TOKEN_SECRET is a published example value/],
    ['a "change me" value', 'please-change-me-before-going-live-2026', /is a published example value/],
    ['a 31-character value', 'q8Vx2mLr7TzN4kPw9sHc3JdYb6FgUe1', /must be at least 32 characters long in production/],
    ['a repeated pattern', 'abcdabcdabcdabcdabcdabcdabcdabcdabcd', /is too predictable/],
    ['a single repeated character', 'x'.repeat(64), /is too predictable/],
  ])('refuses %s as AUTH_TOKEN_SECRET, without echoing it', (_what, value, message) => {
    const attempt = () => loadConfig('gateway', { ...production, AUTH_TOKEN_SECRET: value });
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(expect.objectContaining({ message: expect.not.stringContaining(value) }));
  });

  it('refuses a weak SECRETS_KEY the same way', () => {
    expect(() => loadConfig('notifications', { ...production, SMTP_URL: 'smtp://m:25', SECRETS_KEY: DEV_SECRETS.SECRETS_KEY })).toThrow(
      /SECRETS_KEY is a published example value/,
    );
  });

  it('refuses the demo data set in production only', () => {
    expect(() => loadConfig('identity', { ...production, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO must be off in production/);
    expect(loadConfig('identity', { ...base, SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('accepts every random secret of 128 bits or more, hex or base64', () => {
    for (let i = 0; i < 500; i++) {
      const hex = randomBytes(16).toString('hex');
      const base64 = randomBytes(32).toString('base64');
      expect(loadConfig('gateway', { ...production, AUTH_TOKEN_SECRET: hex, SECRETS_KEY: base64 }).authTokenSecret).toBe(hex);
    }
  });

  it('estimates the entropy of random secrets far above that of patterns', () => {
    expect(estimatedEntropyBits(strong.AUTH_TOKEN_SECRET)).toBeGreaterThan(150);
    expect(estimatedEntropyBits('abcdabcdabcdabcdabcdabcdabcdabcdabcd')).toBe(72);
  });
});

describe('trusted proxies', () => {
  it('trusts none by default, and takes addresses and CIDR ranges', () => {
    expect(loadConfig('gateway', base).trustedProxies).toEqual([]);
    expect(loadConfig('gateway', { ...base, TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
  });

  it('names a wrong entry', () => {
    expect(() => loadConfig('gateway', { ...base, TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES .*"10\.0\.0\.0\/33"/);
    expect(() => loadConfig('gateway', { ...base, TRUSTED_PROXIES: 'proxy.local' })).toThrow(/TRUSTED_PROXIES/);
  });
});
