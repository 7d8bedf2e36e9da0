import { Controller, DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ApplyChangePayload,
  ChangeApplyResult,
  ChangeCommands,
  ChangeValidation,
  RpcServiceName,
  ValidateChangePayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { ChangeDispatcher } from './change-dispatcher';
import { ChangeHandlerRegistry } from './change-handler.registry';
import { ChangeOwner } from './change-owner';
import { CHANGES_OWNER } from './changes.options';
import { ChangeAfterCommit } from './owner-hooks';

/** The validate/apply commands of one owning service, answered by its ChangeOwner. */
function createChangesController(service: RpcServiceName): Type {
  @Controller()
  class ChangesController {
    constructor(private readonly owner: ChangeOwner) {}

    @MessagePattern(ChangeCommands.validate(service).pattern)
    validate(@Payload() payload: ValidateChangePayload, @RpcActor() actor: Actor): Promise<ChangeValidation> {
      return this.owner.validate(payload, actor);
    }

    @MessagePattern(ChangeCommands.apply(service).pattern)
    apply(@Payload() payload: ApplyChangePayload): Promise<ChangeApplyResult> {
      return this.owner.apply(payload);
    }
  }
  return ChangesController;
}

export interface ChangesOwnerOptions {
  /** The service whose kinds this process owns (its schema holds the `applied_changes` ledger). */
  service: RpcServiceName;
  /** The modules that export the after-commit hook. */
  imports?: DynamicModule['imports'];
  /** Work after the commit (and again on every replay). */
  afterCommit?: Type<ChangeAfterCommit>;
}

/**
 * The owner side of change requests for one service: handler discovery and the boot
 * check, the owner runtime, the validate/apply commands, and the dispatcher the
 * workflow uses. Handlers stay in their feature modules, marked `@ChangeHandler(kind)`.
 */
@Module({})
export class ChangesModule {
  static forOwner(options: ChangesOwnerOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: CHANGES_OWNER, useValue: options.service },
      ...(options.afterCommit ? [{ provide: ChangeAfterCommit, useExisting: options.afterCommit }] : []),
      ChangeHandlerRegistry,
      ChangeOwner,
      ChangeDispatcher,
    ];
    return {
      module: ChangesModule,
      // The workflow's service (authorizations) injects the dispatcher in its change-request feature.
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      controllers: [createChangesController(options.service)],
      providers,
      exports: [ChangeOwner, ChangeDispatcher],
    };
  }
}
