import { Injectable } from '@nestjs/common';
import { ChangeAfterCommit, CommittedChange, PlannedEntities } from '@procura/changes';
import { Tx } from '@procura/database';
import { PrincipalsRepository } from '../principals/principals.repository';
import { RightsCompiler } from '../rights/rights-compiler';
import { RightsGenerations } from '../rights/rights-generations';

/** What the authorizations change kinds do around a change of users' rights. */
@Injectable()
export class RightsChangeEffects {
  constructor(private readonly principals: PrincipalsRepository) {}

  /**
   * Before changing the rights of `userIds` in `tx`: users registered by an earlier item of
   * the request are entered from the plan, then every user's row is locked (rights changes
   * to one user serialise). Returns their rights versions.
   */
  async lock(tx: Tx, companyId: string, userIds: string[], planned: PlannedEntities): Promise<Map<string, number>> {
    await this.principals.ensurePlanned(tx, planned, companyId, userIds);
    return this.principals.lockRightsVersions(tx, userIds);
  }

  /** After the change, in `tx`: the users' rights versions move on (a change validated on an older one becomes STALE). */
  async changed(tx: Tx, userIds: string[]): Promise<{ rightsChangedFor: string[] }> {
    const users = [...new Set(userIds)];
    await this.principals.bumpRightsVersions(tx, users);
    return { rightsChangedFor: users };
  }
}

/**
 * After an authorizations change commits (and again on a replay): the users' compiled
 * rights are forgotten and their generation tokens replaced, so every replica's next
 * check sees the change. Must succeed before APPLIED is returned; when Redis fails, the
 * workflow retries and the replay does it again.
 */
@Injectable()
export class RightsInvalidation implements ChangeAfterCommit {
  constructor(
    private readonly compiler: RightsCompiler,
    private readonly generations: RightsGenerations,
  ) {}

  async afterCommit(change: CommittedChange): Promise<void> {
    const userIds = (change.followUp?.rightsChangedFor as string[] | undefined) ?? [];
    if (userIds.length === 0) return;
    this.compiler.forget(userIds);
    await this.generations.bump(userIds);
  }
}
