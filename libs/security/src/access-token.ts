import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a user's access token may be used for. A user who signed in with a provisional
 * password may only change it; one who must enrol strong authentication may only enrol; one
 * whose credential has TOTP enrolled may only give the code after the password.
 */
export type TokenScope = 'full' | 'password-change' | 'totp-enrolment' | 'totp-verification';

export interface AccessTokenClaims {
  /** User id, or operator id when `pk` is 'operator'. */
  sub: string;
  /** Company id, or the operator's organisation id when `pk` is 'operator'. */
  cid: string;
  /** Client type (users). */
  ct: 'ADMINISTRATOR' | 'STANDARD' | 'OPERATOR';
  /** Kind of principal: absent for a company user (tokens issued before operators signed in). */
  pk?: 'operator';
  /** Session id: revoked sessions are refused even before the token expires. */
  sid: string;
  scope: TokenScope;
  /**
   * Strong authentication (a fresh TOTP step-up) holds until then, seconds since the epoch:
   * set on the token identity issues after `POST /auth/step-up`, absent otherwise.
   */
  sux?: number;
  /** Issued at / expires at, seconds since the epoch. */
  iat: number;
  exp: number;
}

const b64url = (buf: Buffer) => buf.toString('base64url');
const HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

/** Compact JWT (HS256) signing: short-lived access tokens checked by the gateway without a round trip. */
export function signAccessToken(claims: AccessTokenClaims, secret: string): string {
  const body = b64url(Buffer.from(JSON.stringify(claims)));
  const signature = b64url(createHmac('sha256', secret).update(`${HEADER}.${body}`).digest());
  return `${HEADER}.${body}.${signature}`;
}

/** Returns the claims of a genuine, unexpired token; undefined otherwise (never says why). */
export function verifyAccessToken(token: string, secret: string, nowMs = Date.now()): AccessTokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: AccessTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AccessTokenClaims;
  } catch {
    return undefined;
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
  return claims;
}

export function looksLikeAccessToken(token: string): boolean {
  return token.startsWith(`${HEADER}.`);
}

/**
 * Redis key marking a session revoked (logout, password change, lock). Identity sets it
 * with a TTL of the access-token lifetime; the gateway checks it on every request.
 */
export const revokedSessionKey = (sessionId: string) => `procura:sessions:revoked:${sessionId}`;

/** The token of an `Authorization: Bearer …` header (an access token or an operator's API key). */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S{8,4096})$/i.exec(header ?? '')?.[1];
}
