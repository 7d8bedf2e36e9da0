import { AppConfig, ConfigError, loadConfig } from './app-config';

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
