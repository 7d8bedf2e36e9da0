import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { BaseRpcContext } from '@nestjs/microservices';
import { Actor, RpcMeta } from '@procura/contracts';
import { UnauthenticatedError } from '@procura/errors';

/** The RPC context of a Procura message handler: the meta that travelled with the payload. */
export class RpcMetaContext extends BaseRpcContext<[RpcMeta]> {
  get meta(): RpcMeta {
    return this.args[0];
  }
}

/** Injects the acting principal of the current command; refuses a command without one. */
export const RpcActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const rpc = ctx.switchToRpc().getContext<RpcMetaContext>();
  const actor = rpc.meta.actor;
  if (!actor) throw new UnauthenticatedError('This command needs an authenticated actor');
  return actor;
});

/** Injects the whole meta (request id, idempotency key, deadline). */
export const RpcMetaParam = createParamDecorator((_data: unknown, ctx: ExecutionContext): RpcMeta => {
  return ctx.switchToRpc().getContext<RpcMetaContext>().meta;
});
