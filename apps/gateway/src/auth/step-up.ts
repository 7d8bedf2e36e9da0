import { Injectable } from '@nestjs/common';
import { Actor, IdentitySeams } from '@procura/contracts';
import { ForbiddenError, ValidationFailedError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';

/**
 * Step-up (seed 001, "Sécur'Pass"): sensitive actions need a fresh TOTP code of the
 * acting user on top of the session; identity accepts each code once.
 */
@Injectable()
export class StepUp {
  constructor(private readonly bus: CommandBus) {}

  async require(actor: Actor, code: string | undefined, purpose: string, field = 'totpCode'): Promise<void> {
    if (actor.kind !== 'user') throw new ForbiddenError('Strong authentication is for users');
    if (!code) throw new ValidationFailedError([{ field, messages: [`${field} is required: type the code of your authenticator app`] }]);
    await this.bus.execute(IdentitySeams.verifyStepUp, { userId: actor.userId, code, purpose }, { actor });
  }
}
