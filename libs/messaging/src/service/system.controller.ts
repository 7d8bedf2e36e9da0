import { Controller, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { type Ping, RpcServiceName, SystemCommands } from '@procura/contracts';
import { AppConfig } from '@procura/config';

const startedAt = Date.now();

/** The ping every service answers through the real RPC path (used by the gateway's health). */
export function createSystemController(service: RpcServiceName): Type<unknown> {
  @Controller()
  class SystemController {
    constructor(private readonly config: AppConfig) {}

    @MessagePattern(SystemCommands.ping(service).pattern)
    ping(): Ping {
      return { service, instanceId: this.config.instanceId, uptimeMs: Date.now() - startedAt };
    }
  }
  return SystemController;
}
