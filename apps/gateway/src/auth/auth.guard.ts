import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@procura/config';
import { Actor, ApiKeyPrincipal, OperatorCommands } from '@procura/contracts';
import { ForbiddenError, UnauthenticatedError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { bearerToken, looksLikeAccessToken, revokedSessionKey, TokenScope, verifyAccessToken } from '@procura/security';
import { hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { RedisReads } from '../http/redis-reads';
import { PUBLIC_OPERATION_EXTENSION } from '../openapi/openapi-document';

export type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

const PUBLIC = 'procura:public';
const SCOPES = 'procura:scopes';
const OPERATOR_ONLY = 'procura:operator-only';

/** The route needs no authentication (health, login, token refresh); its OpenAPI operation says so (no `security`). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
/** The route also accepts tokens of a restricted scope (e.g. the first-login password change). */
export const AllowScopes = (...scopes: TokenScope[]) => SetMetadata(SCOPES, scopes);
/** Only operators (bank advisors, accounting-firm collaborators) may call the route. */
export const OperatorOnly = () => SetMetadata(OPERATOR_ONLY, true);

const OPERATOR_CACHE_MS = 30_000;

/** What a restricted session must do first, said when it calls anything else. */
const SCOPE_REFUSAL: Partial<Record<TokenScope, string>> = {
  'password-change': 'Change your provisional password first',
  'totp-enrolment': 'Enrol strong authentication first',
  'totp-verification': 'Give the code of your authenticator app first (POST /auth/totp/verify)',
};

/**
 * Users and signed-in operators send their access token, machine integrations an
 * operator's API key, all as `Authorization: Bearer …`. Access tokens are verified here
 * without a round trip (signature, expiry, scope) plus one Redis lookup for revoked
 * sessions; an API key is resolved by identity, remembered briefly, and checked against
 * the same revocation marks on every request (a revoked key stops at once).
 */
@Injectable()
export class Authenticator {
  private readonly apiKeys = new Map<string, { principal: ApiKeyPrincipal; until: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly bus: CommandBus,
    private readonly reads: RedisReads,
  ) {}

  async authenticate(token: string): Promise<{ actor: Actor; scope: TokenScope }> {
    if (looksLikeAccessToken(token)) {
      const claims = verifyAccessToken(token, this.config.authTokenSecret);
      if (!claims || (await this.reads.get(revokedSessionKey(claims.sid))) !== null)
        throw new UnauthenticatedError('Invalid or expired access token');
      if (claims.pk === 'operator') {
        return {
          actor: { kind: 'operator', operatorId: claims.sub, organisationId: claims.cid, sessionId: claims.sid },
          scope: claims.scope,
        };
      }
      if (claims.ct === 'OPERATOR') throw new UnauthenticatedError('Invalid or expired access token');
      return {
        actor: {
          kind: 'user',
          userId: claims.sub,
          companyId: claims.cid,
          clientType: claims.ct,
          sessionId: claims.sid,
          ...(typeof claims.sux === 'number' ? { stepUpUntil: claims.sux * 1000 } : {}),
        },
        scope: claims.scope,
      };
    }
    const principal = await this.authenticateOperator(token);
    return {
      actor: { kind: 'operator', operatorId: principal.operatorId, organisationId: principal.organisationId, apiKeyId: principal.apiKeyId },
      scope: 'full',
    };
  }

  /** The id of this API key if it was authenticated in the last moments (no I/O): its rate budget is the key's. */
  knownApiKey(token: string): string | undefined {
    if (looksLikeAccessToken(token)) return undefined;
    const hit = this.apiKeys.get(hash('sha256', token, 'hex'));
    return hit && hit.until > Date.now() ? hit.principal.apiKeyId : undefined;
  }

  async authenticateOperator(apiKey: string): Promise<ApiKeyPrincipal> {
    const key = hash('sha256', apiKey, 'hex');
    const hit = this.apiKeys.get(key);
    let principal: ApiKeyPrincipal;
    if (hit && hit.until > Date.now()) {
      principal = hit.principal;
    } else {
      principal = await this.bus.execute(OperatorCommands.authenticateApiKey, { apiKey });
      if (this.apiKeys.size > 10_000) this.apiKeys.clear();
      this.apiKeys.set(key, { principal, until: Date.now() + OPERATOR_CACHE_MS });
    }
    // Revoking, rotating a key or suspending its operator marks the key id like an ended session.
    if ((await this.reads.get(revokedSessionKey(principal.apiKeyId))) !== null) {
      this.apiKeys.delete(key);
      throw new UnauthenticatedError('Invalid credentials');
    }
    return principal;
  }
}

/** Global guard: every route is authenticated unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthenticatedError('Send "Authorization: Bearer <access token or operator key>"');
    const { actor, scope } = await this.auth.authenticate(token);
    const allowed = ['full', ...(this.reflector.getAllAndOverride<TokenScope[]>(SCOPES, targets) ?? [])];
    if (!allowed.includes(scope)) {
      throw new ForbiddenError(SCOPE_REFUSAL[scope] ?? 'Not allowed with this session');
    }
    if (this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, targets) && actor.kind !== 'operator') {
      throw new ForbiddenError('Only operators may do this');
    }
    req.actor = actor;
    return true;
  }
}

export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new UnauthenticatedError();
  return actor;
});

/** The caller's IP address, for the audit trail. */
export const SourceIp = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  return ctx.switchToHttp().getRequest<FastifyRequest>().ip;
});
