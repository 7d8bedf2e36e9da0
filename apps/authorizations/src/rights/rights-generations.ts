import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { closeRedis, reportOutages } from '@procura/messaging';
import { Redis } from 'ioredis';
import { rightsGenerationKey as key } from '@procura/rights';
import { randomUUID } from 'node:crypto';

/**
 * A per-user generation token in Redis, shared by every replica. A compiled entry is
 * valid only while the token it was built under is still the current one. Applying a
 * change replaces the token after its commit and before it returns, so the next check on
 * any replica recompiles (read-your-writes). Tokens are random, not counters: after a
 * Redis restart a lost token is recreated with a new value, never one a stale entry holds.
 */
@Injectable()
export class RightsGenerations implements OnModuleDestroy {
  private readonly logger = new Logger(RightsGenerations.name);
  private readonly redis: Redis;

  constructor(config: AppConfig) {
    this.redis = reportOutages(
      new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true }),
      this.logger,
      'rights generations',
    );
  }

  /** Current tokens (created when missing), in the order of `userIds`. */
  async current(userIds: string[]): Promise<string[]> {
    const values = userIds.length === 1 ? [await this.redis.get(key(userIds[0]))] : await this.redis.mget(userIds.map(key));
    const missing = userIds.filter((_, i) => values[i] === null);
    if (missing.length === 0) return values as string[];
    const multi = this.redis.multi();
    for (const id of missing) multi.set(key(id), randomUUID(), 'NX');
    for (const id of missing) multi.get(key(id));
    const replies = (await multi.exec()) ?? [];
    const created = replies.slice(missing.length).map(([error, value]) => {
      if (error) throw error;
      return value as string;
    });
    let i = 0;
    return values.map((v) => v ?? created[i++]);
  }

  /** Makes every compiled entry of these users stale, on every replica. */
  async bump(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const multi = this.redis.multi();
    for (const id of new Set(userIds)) multi.set(key(id), randomUUID());
    const replies = (await multi.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async onModuleDestroy(): Promise<void> {
    await closeRedis(this.redis);
  }
}
