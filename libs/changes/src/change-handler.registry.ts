import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  CHANGE_KIND_CATALOG,
  CHANGE_KIND_NAMES,
  ChangeKind,
  ChangeKindDeclaration,
  ownerOf,
  type RpcServiceName,
} from '@procura/contracts';
import { ValidationFailedError } from '@procura/errors';
import { ChangeHandler, ChangeKindHandler } from './change-kind-handler';
import { CHANGES_OWNER } from './changes.options';

/** A kind as the owner runtime uses it: its declaration and its one handler. */
export interface RegisteredKind {
  kind: ChangeKind;
  declaration: ChangeKindDeclaration;
  handler: ChangeKindHandler<ChangeKind>;
}

/**
 * The change kinds this service owns, each with its one handler, found at boot among
 * the providers marked `@ChangeHandler(kind)` (as immich finds its job handlers). Boot
 * fails, naming the kinds, when one has no handler or two, or a handler serves a kind
 * another service owns: better than a change request that fails at 3 a.m.
 */
@Injectable()
export class ChangeHandlerRegistry implements OnModuleInit {
  private readonly kinds = new Map<ChangeKind, RegisteredKind>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(CHANGES_OWNER) private readonly service: RpcServiceName,
  ) {}

  onModuleInit(): void {
    const found = new Map<ChangeKind, string[]>();
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders({ metadataKey: ChangeHandler.KEY })) {
      const kind = this.discovery.getMetadataByDecorator(ChangeHandler, wrapper);
      if (!kind) continue;
      found.set(kind, [...(found.get(kind) ?? []), wrapper.name]);
      if (ownerOf(kind) !== this.service) {
        problems.push(`${wrapper.name} handles ${kind}, which the ${ownerOf(kind)} service owns`);
        continue;
      }
      const handler = wrapper.instance as ChangeKindHandler<ChangeKind> | undefined;
      if (!handler) throw new Error(`change handler ${wrapper.name} is not a static provider`);
      this.kinds.set(kind, { kind, declaration: CHANGE_KIND_CATALOG[kind], handler });
    }
    for (const [kind, handlers] of found)
      if (handlers.length > 1) problems.push(`${kind} has ${handlers.length} handlers: ${handlers.join(', ')}`);
    const missing = CHANGE_KIND_NAMES.filter((k) => ownerOf(k) === this.service && !found.has(k));
    if (missing.length) problems.push(`no handler for ${missing.join(', ')}`);
    if (problems.length) throw new Error(`${this.service} change kinds: ${problems.join('; ')}`);
  }

  get(kind: ChangeKind): RegisteredKind {
    const registered = this.kinds.get(kind);
    if (!registered)
      throw new ValidationFailedError([{ field: 'kind', messages: [`${kind} is a change kind of the ${ownerOf(kind)} service`] }]);
    return registered;
  }
}
