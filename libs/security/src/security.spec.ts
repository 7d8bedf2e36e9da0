import { signAccessToken, verifyAccessToken } from './access-token';
import { openSecret, sealSecret } from './sealed-secret';

describe('access tokens', () => {
  const claims = { sub: 'u1', cid: 'c1', ct: 'STANDARD' as const, sid: 's1', scope: 'full' as const, iat: 1000, exp: 2000 };

  it('verifies a genuine token before its expiry only', () => {
    const token = signAccessToken(claims, 'secret');
    expect(verifyAccessToken(token, 'secret', 1500_000)).toEqual(claims);
    expect(verifyAccessToken(token, 'secret', 2000_000)).toBeUndefined();
  });

  it('refuses a token signed with another secret or altered', () => {
    const token = signAccessToken(claims, 'secret');
    expect(verifyAccessToken(token, 'other', 1500_000)).toBeUndefined();
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, ct: 'ADMINISTRATOR' })).toString('base64url');
    expect(verifyAccessToken(`${h}.${forged}.${s}`, 'secret', 1500_000)).toBeUndefined();
  });
});

describe('sealed secrets', () => {
  it('round-trips and never contains the clear text', () => {
    const sealed = sealSecret('Provisional-Pa55', 'key-1');
    expect(sealed.sealed).not.toContain('Provisional');
    expect(openSecret(sealed, 'key-1')).toBe('Provisional-Pa55');
  });

  it('refuses another key', () => {
    expect(() => openSecret(sealSecret('x', 'key-1'), 'key-2')).toThrow();
  });
});
