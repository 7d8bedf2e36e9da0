import { Injectable } from '@nestjs/common';
import { AuthorizationsQueries, EDI_SENDING_RIGHT } from '@procura/contracts';
import { DomainError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { askAuthorizations } from '../shared/ask-authorizations';

/**
 * Seed 004: whether a user holds the EDI sending right now, asked of the check at every
 * question rather than copied here: an authorization detached, edited or ended, a user
 * suspended, a credential revoked or expired all take it away without a step of their own.
 */
@Injectable()
export class EdiSendingRight {
  constructor(private readonly bus: CommandBus) {}

  async heldBy(userId: string): Promise<boolean> {
    try {
      const answer = await askAuthorizations(this.bus, AuthorizationsQueries.check, { userId, ...EDI_SENDING_RIGHT }, 'edi-sending-right');
      return answer.allowed;
    } catch (error) {
      // A user the rights side does not know (yet) holds no right.
      if (error instanceof DomainError && error.status === 404) return false;
      throw error;
    }
  }
}
