import { loadConfig } from '@procura/config';
import { signAccessToken } from '@procura/security';
import { randomUUID } from 'node:crypto';
import { ApiSession } from './http';

export interface SessionUser {
  userId: string;
  companyId: string;
  clientType: 'ADMINISTRATOR' | 'STANDARD';
}

/**
 * An e2e session for a company user, with an access token signed by the development
 * secret the system under test uses (NODE_ENV=test, no AUTH_TOKEN_SECRET): tests act as
 * a given administrator without depending on the login flow. By default the session has
 * done its step-up (POST /auth/step-up, as the console does before confirming a change the
 * policy asks it for); `{ stepUp: false }` gives a session alone.
 */
export function userSession(
  baseUrl: string,
  user: SessionUser,
  ttlSeconds = 3600,
  options: { stepUp?: boolean } = { stepUp: true },
): ApiSession {
  const secret = loadConfig('gateway', {
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused/unused',
    REDIS_URL: 'redis://unused',
  }).authTokenSecret;
  const now = Math.floor(Date.now() / 1000);
  const token = signAccessToken(
    {
      sub: user.userId,
      cid: user.companyId,
      ct: user.clientType,
      sid: randomUUID(),
      scope: 'full',
      iat: now,
      exp: now + ttlSeconds,
      ...(options.stepUp ? { sux: now + ttlSeconds } : {}),
    },
    secret,
  );
  return new ApiSession(baseUrl, token);
}
