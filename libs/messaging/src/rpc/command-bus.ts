import { Injectable } from '@nestjs/common';
import { Actor, CommandContract } from '@procura/contracts';
import { DomainError, fromWire, isWireError, ServiceUnavailableError } from '@procura/errors';
import { acceptOrCreateRequestId, requestContext } from '@procura/logging';
import { RedisRpcClient, RpcTimeoutError } from './redis-rpc.client';

export interface ExecuteOptions {
  actor?: Actor;
  idempotencyKey?: string;
  timeoutMs?: number;
}

/** Typed request/response over the RPC transport, with a deadline on every call. */
@Injectable()
export class CommandBus {
  constructor(
    private readonly client: RedisRpcClient,
    private readonly defaultTimeoutMs: number,
  ) {}

  async execute<P, R>(command: CommandContract<P, R>, payload: P, options: ExecuteOptions = {}): Promise<R> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const meta = {
      requestId: requestContext.requestId() ?? acceptOrCreateRequestId(undefined),
      actor: options.actor,
      idempotencyKey: options.idempotencyKey,
      deadline: Date.now() + timeoutMs,
    };
    try {
      return (await this.client.request(command.pattern, payload, meta, timeoutMs)) as R;
    } catch (error) {
      if (error instanceof RpcTimeoutError) throw new ServiceUnavailableError(command.service, 'timeout');
      if (error instanceof DomainError) throw error;
      if (isWireError(error)) throw fromWire(error);
      throw error;
    }
  }
}
