import { Injectable } from '@nestjs/common';
import { Actor, AuthorizationsCommands, AuthorizationsSeams, CatalogServiceView, CompiledRightsAnswer } from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { rightsGenerationKey } from '@procura/rights';
import { RedisReads } from '../http/redis-reads';
import { RightsAndCatalog, RightsCopies, RightsSource } from './rights-copies';

const MAX_ENTRIES = 50_000;
const MAX_AGE_MS = 10 * 60_000;

/**
 * The gateway's copies of users' compiled rights (see RightsCopies): a check costs one
 * read of the user's generation token when the copy is current (batched with the other
 * requests of the same event-loop turn, see RedisReads), and one RPC to the authorizations
 * service when it is not.
 */
@Injectable()
export class CompiledRightsCache {
  private readonly actor: Actor = { kind: 'system', reason: 'gateway rights cache' };
  private readonly copies: RightsCopies;

  constructor(reads: RedisReads, bus: CommandBus) {
    const source: RightsSource = {
      tokens: (userIds) => reads.getMany(userIds.map(rightsGenerationKey)),
      compiled: (userIds): Promise<CompiledRightsAnswer> =>
        bus.execute(AuthorizationsSeams.compiledRights, { userIds }, { actor: this.actor }),
      catalog: (): Promise<CatalogServiceView[]> => bus.execute(AuthorizationsCommands.listServices, {}, { actor: this.actor }),
    };
    this.copies = new RightsCopies(source, { maxEntries: MAX_ENTRIES, maxAgeMs: MAX_AGE_MS, now: Date.now });
  }

  /** Current compiled rights of these users (null: unknown user) and the catalog to evaluate them with. */
  rightsOf(userIds: string[]): Promise<RightsAndCatalog> {
    return this.copies.rightsOf(userIds);
  }
}
