import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  Actor,
  ApplyChangePayload,
  ChangeApplyResult,
  ChangeCommands,
  ChangeValidation,
  ownerOf,
  type RpcServiceName,
  ValidateChangePayload,
} from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { ChangeOwner } from './change-owner';
import { CHANGES_OWNER } from './changes.options';

/** Applying may take a while (a batch, a slow owner): the workflow allows it time. */
const APPLY_TIMEOUT_MS = 30_000;

/**
 * How the change-request workflow reaches the owner of a kind: in-process when this
 * service owns it (no RPC to itself), over the command bus otherwise. The caller must
 * hold no transaction and no row lock while it waits.
 */
@Injectable()
export class ChangeDispatcher {
  constructor(
    private readonly bus: CommandBus,
    @Inject(CHANGES_OWNER) private readonly service: RpcServiceName,
    @Optional() private readonly owner?: ChangeOwner,
  ) {}

  validate(input: ValidateChangePayload, actor: Actor): Promise<ChangeValidation> {
    const owner = ownerOf(input.kind);
    if (owner === this.service && this.owner) return this.owner.validate(input, actor);
    return this.bus.execute(ChangeCommands.validate(owner), input, { actor });
  }

  apply(input: ApplyChangePayload): Promise<ChangeApplyResult> {
    const owner = ownerOf(input.kind);
    if (owner === this.service && this.owner) return this.owner.apply(input);
    return this.bus.execute(ChangeCommands.apply(owner), input, {
      actor: { kind: 'system', reason: 'change-request' },
      timeoutMs: APPLY_TIMEOUT_MS,
    });
  }
}
