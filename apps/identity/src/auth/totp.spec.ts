import { acceptTotp, newTotpSecret, totpCodeAt, totpUri } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_000_000;

  it('accepts the current code and one step of drift, not more', () => {
    expect(acceptTotp(secret, totpCodeAt(secret, now), now)).toBe(Math.floor(now / 30_000));
    expect(acceptTotp(secret, totpCodeAt(secret, now - 30_000), now)).toBeDefined();
    expect(acceptTotp(secret, totpCodeAt(secret, now + 30_000), now)).toBeDefined();
    expect(acceptTotp(secret, totpCodeAt(secret, now - 90_000), now)).toBeUndefined();
  });

  it('refuses a code of a step already used (replay)', () => {
    const code = totpCodeAt(secret, now);
    const step = acceptTotp(secret, code, now)!;
    expect(acceptTotp(secret, code, now, step)).toBeUndefined();
    expect(acceptTotp(secret, totpCodeAt(secret, now + 30_000), now, step)).toBe(step + 1);
  });

  it('builds an otpauth URI for authenticator apps', () => {
    expect(totpUri('40512345678903', secret)).toMatch(new RegExp(`^otpauth://totp/Procura:40512345678903\\?secret=${secret}`));
  });
});
