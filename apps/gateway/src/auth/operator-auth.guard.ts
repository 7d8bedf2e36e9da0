import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Actor, IdentityCommands, OperatorView } from '@procura/contracts';
import { UnauthenticatedError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { createHash } from 'node:crypto';
import type { Request } from 'express';

export type AuthenticatedRequest = Request & { actor?: Actor };

const CACHE_MS = 30_000;

/**
 * Operators authenticate with their API key (`Authorization: Bearer <key>`) until the
 * "Identity" issue brings interactive login. Verified by the identity service; a
 * positive answer is remembered for a short time, keyed by the key's hash.
 */
@Injectable()
export class OperatorAuthService {
  private readonly cache = new Map<string, { operator: OperatorView; until: number }>();

  constructor(private readonly bus: CommandBus) {}

  async authenticate(apiKey: string): Promise<OperatorView> {
    const key = createHash('sha256').update(apiKey).digest('hex');
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.operator;
    const operator = await this.bus.execute(IdentityCommands.authenticateOperator, { apiKey });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { operator, until: Date.now() + CACHE_MS });
    return operator;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{8,512})$/i.exec(header ?? '');
  return match?.[1];
}

@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(private readonly auth: OperatorAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.header('authorization'));
    if (!token) throw new UnauthenticatedError('Send your operator key as "Authorization: Bearer <key>"');
    const operator = await this.auth.authenticate(token);
    req.actor = { kind: 'operator', operatorId: operator.id };
    return true;
  }
}

export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new UnauthenticatedError();
  return actor;
});
