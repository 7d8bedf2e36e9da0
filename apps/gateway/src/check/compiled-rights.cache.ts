import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, AuthorizationsCommands, AuthorizationsSeams, CatalogServiceView, CompiledRightsAnswer } from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { rightsGenerationKey } from '@procura/rights';
import { Redis } from 'ioredis';
import { RightsAndCatalog, RightsCopies, RightsSource } from './rights-copies';

const MAX_ENTRIES = 50_000;
const MAX_AGE_MS = 10 * 60_000;

/**
 * The gateway's copies of users' compiled rights (see RightsCopies): a check costs one
 * Redis GET of the user's generation token when the copy is current, and one RPC to the
 * authorizations service when it is not.
 */
@Injectable()
export class CompiledRightsCache implements OnModuleDestroy {
  private readonly logger = new Logger(CompiledRightsCache.name);
  private readonly redis: Redis;
  private readonly actor: Actor = { kind: 'system', reason: 'gateway rights cache' };
  private readonly copies: RightsCopies;

  constructor(config: AppConfig, bus: CommandBus) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true, lazyConnect: true });
    this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    const source: RightsSource = {
      tokens: async (userIds) => (userIds.length === 1 ? [await this.redis.get(rightsGenerationKey(userIds[0]))] : this.redis.mget(userIds.map(rightsGenerationKey))),
      compiled: (userIds): Promise<CompiledRightsAnswer> => bus.execute(AuthorizationsSeams.compiledRights, { userIds }, { actor: this.actor }),
      catalog: (): Promise<CatalogServiceView[]> => bus.execute(AuthorizationsCommands.listServices, {}, { actor: this.actor }),
    };
    this.copies = new RightsCopies(source, { maxEntries: MAX_ENTRIES, maxAgeMs: MAX_AGE_MS, now: Date.now });
  }

  /** Current compiled rights of these users (null: unknown user) and the catalog to evaluate them with. */
  rightsOf(userIds: string[]): Promise<RightsAndCatalog> {
    return this.copies.rightsOf(userIds);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
