import { Injectable } from '@nestjs/common';
import { PrincipalStateJob } from '@procura/contracts';

export type PrincipalChangeListener = (state: PrincipalStateJob) => Promise<void>;

/**
 * Who else must hear of a user's new state (status, credentials) once the rights side has
 * it. Features that the rights module may not import (the change-request workflow imports
 * it) register here; the principal job awaits them, so a listener that fails is retried
 * with the job instead of being lost.
 */
@Injectable()
export class PrincipalChangeListeners {
  private readonly listeners: PrincipalChangeListener[] = [];

  register(listener: PrincipalChangeListener): void {
    this.listeners.push(listener);
  }

  async notify(state: PrincipalStateJob): Promise<void> {
    for (const listener of this.listeners) await listener(state);
  }
}
