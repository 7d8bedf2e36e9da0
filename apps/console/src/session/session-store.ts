import type { SessionTokens, StepUpTokens } from '../api/types';

/** Refresh the access token when it has less than this left (the API's default lifetime is 5 min). */
const REFRESH_MARGIN_MS = 30_000;
const STORAGE_KEY = 'procura.session';

export type SessionStatus = 'signed-out' | 'active' | 'expired';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  sessionExpiresAt: number;
  scope: SessionTokens['scope'];
  /** The login id typed at sign-in, offered again when the session must be renewed. */
  loginId: string;
  expired: boolean;
}

export interface SessionSnapshot {
  status: SessionStatus;
  scope?: SessionTokens['scope'];
  loginId?: string;
  sessionExpiresAt?: number;
  /** From the access token's claims: known at once, before the profile (GET /auth/me) arrives. */
  userId?: string;
  companyId?: string;
  clientType?: 'ADMINISTRATOR' | 'STANDARD';
}

/** `sux`: until when (epoch seconds) the token carries the maker's strong authentication. */
interface AccessClaims {
  sub?: string;
  cid?: string;
  ct?: 'ADMINISTRATOR' | 'STANDARD';
  sux?: number;
}

/** The claims the console reads from an access token (the server verifies it; the page only needs to know early whose it is). */
function claimsOf(accessToken: string): AccessClaims {
  try {
    const body = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(body)) as AccessClaims;
  } catch {
    return {};
  }
}

/**
 * The signed-in session of this browser tab: tokens kept in sessionStorage (gone with the tab,
 * kept across a reload), the access token renewed before it runs out, and an expired state that
 * keeps the page (and what the user typed) while they sign in again.
 */
class SessionStore {
  private session: StoredSession | undefined = read();
  private snapshot: SessionSnapshot = snapshotOf(this.session);
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<string | undefined> | undefined;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Starts (or renews) the session with the tokens of a sign-in, password change or TOTP enrolment. */
  signedIn(tokens: SessionTokens, loginId = this.session?.loginId ?? ''): void {
    this.session = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
      sessionExpiresAt: Date.parse(tokens.sessionExpiresAt),
      scope: tokens.scope,
      loginId,
      expired: false,
    };
    this.save();
  }

  /**
   * The session was stepped up: the same session, a new access token carrying the strong
   * authentication (the refresh token is unchanged; a refreshed token no longer carries it).
   */
  steppedUp(tokens: StepUpTokens): void {
    if (!this.session) return;
    this.session = {
      ...this.session,
      accessToken: tokens.accessToken,
      accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
    };
    this.save();
  }

  /** Until when the current access token carries the strong authentication (0 when it does not). */
  stepUpUntil(): number {
    const session = this.session;
    if (!session || session.expired) return 0;
    const sux = claimsOf(session.accessToken).sux;
    return sux ? Math.min(sux * 1000, session.accessExpiresAt) : 0;
  }

  markExpired(): void {
    if (!this.session || this.session.expired) return;
    this.session = { ...this.session, expired: true };
    this.save();
  }

  /**
   * The person chose to sign in again before the session runs out: the sign-in opens over the
   * page as at the real end, and the server ends the old session at once instead of at its term.
   */
  endNow(): void {
    const token = this.session?.accessToken;
    this.markExpired();
    if (token) void fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
  }

  signedOut(): void {
    this.session = undefined;
    this.save();
  }

  /** The access token to send, renewed first when it is about to run out; undefined when signed out or expired. */
  async freshAccessToken(): Promise<string | undefined> {
    const session = this.session;
    if (!session || session.expired) return undefined;
    if (Date.now() >= session.sessionExpiresAt) {
      this.markExpired();
      return undefined;
    }
    if (session.accessExpiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The access token as it is, for the sign-out call (which must work even when it is about to expire). */
  currentAccessToken(): string | undefined {
    return this.session?.accessToken;
  }

  private async refresh(): Promise<string | undefined> {
    const session = this.session;
    if (!session) return undefined;
    try {
      // Plain fetch: the typed client's middleware would come back here.
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!response.ok) {
        if (response.status === 401) this.markExpired();
        return response.status === 401 ? undefined : session.accessToken;
      }
      this.signedIn((await response.json()) as SessionTokens, session.loginId);
      return this.session?.accessToken;
    } catch {
      // The network failed: keep the session, the call itself will report the failure.
      return session.accessToken;
    }
  }

  private save(): void {
    if (this.session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    else sessionStorage.removeItem(STORAGE_KEY);
    this.snapshot = snapshotOf(this.session);
    for (const listener of this.listeners) listener();
  }
}

function read(): StoredSession | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : undefined;
  } catch {
    return undefined;
  }
}

function snapshotOf(session: StoredSession | undefined): SessionSnapshot {
  if (!session) return { status: 'signed-out' };
  const claims = claimsOf(session.accessToken);
  return {
    status: session.expired ? 'expired' : 'active',
    scope: session.scope,
    loginId: session.loginId,
    sessionExpiresAt: session.sessionExpiresAt,
    userId: claims.sub,
    companyId: claims.cid,
    clientType: claims.ct,
  };
}

export const sessionStore = new SessionStore();
