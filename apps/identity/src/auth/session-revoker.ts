import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Transactions, Tx } from '@procura/database';
import { revokedSessionKey } from '@procura/security';
import { closeRedis, reportOutages } from '@procura/messaging';
import { Redis } from 'ioredis';

/**
 * Ends sessions: marks them revoked in PostgreSQL (refresh refused) and in Redis for the
 * lifetime of an access token (the gateway refuses the token at once).
 */
@Injectable()
export class SessionRevoker implements OnModuleDestroy {
  private readonly logger = new Logger(SessionRevoker.name);
  private readonly redis: Redis;

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: Transactions,
  ) {
    this.redis = reportOutages(
      new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true }),
      this.logger,
      'session revocations',
    );
  }

  /** Inside a transaction: revokes the open sessions; returns their ids for `publish` after the commit. */
  async revokeInTx(
    tx: Tx,
    where: { userId?: string; credentialId?: string; sessionId?: string; operatorId?: string },
    reason: string,
  ): Promise<string[]> {
    const filter = {
      ...(where.userId ? { userId: where.userId } : {}),
      ...(where.operatorId ? { operatorId: where.operatorId } : {}),
      ...(where.credentialId ? { credentialId: where.credentialId } : {}),
      ...(where.sessionId ? { id: where.sessionId } : {}),
    };
    if (Object.keys(filter).length === 0) throw new Error('refusing to revoke every session');
    const sessions = await tx.identitySession.findMany({ where: { ...filter, revokedAt: null }, select: { id: true } });
    if (sessions.length === 0) return [];
    const ids = sessions.map((s) => s.id);
    await tx.identitySession.updateMany({ where: { id: { in: ids } }, data: { revokedAt: new Date(), revokeReason: reason } });
    return ids;
  }

  async publish(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of sessionIds) pipeline.set(revokedSessionKey(id), '1', 'EX', this.config.accessTokenTtlSeconds);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    // The session is revoked in PostgreSQL already (no refresh); the access token lives at most its short TTL.
    if (failed) this.logger.error({ msg: 'could not publish revoked sessions', count: sessionIds.length });
  }

  /** Lifts marks set by `publish` (an operator's API keys, when the suspended operator is reactivated). */
  async unpublish(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.del(...ids.map((id) => revokedSessionKey(id)));
  }

  async revoke(where: { userId?: string; credentialId?: string; sessionId?: string; operatorId?: string }, reason: string): Promise<void> {
    const ids = await this.transactions.run((tx) => this.revokeInTx(tx, where, reason));
    await this.publish(ids);
  }

  async onModuleDestroy(): Promise<void> {
    await closeRedis(this.redis);
  }
}
