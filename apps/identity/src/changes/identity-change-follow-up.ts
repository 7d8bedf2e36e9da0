import { Injectable } from '@nestjs/common';
import { ChangeAfterCommit, CommittedChange } from '@procura/changes';
import { SessionRevoker } from '../auth/session-revoker';

/**
 * After an identity change commits (and again on a replay): sessions it ended are
 * published to Redis, so the gateway refuses their access tokens at once.
 */
@Injectable()
export class IdentityChangeFollowUp implements ChangeAfterCommit {
  constructor(private readonly sessions: SessionRevoker) {}

  async afterCommit(change: CommittedChange): Promise<void> {
    const ended = change.followUp?.endedSessionIds as string[] | undefined;
    if (ended?.length) await this.sessions.publish(ended);
  }
}
