import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { PrismaService, Transactions } from '@procura/database';
import { CommandBus } from '../rpc/command-bus';
import { RedisRpcClient } from '../rpc/redis-rpc.client';
import { QueueRegistry } from '../jobs/queue-registry';

@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(QueueRegistry) private readonly queues: QueueRegistry,
    @Inject(RedisRpcClient) private readonly rpc: RedisRpcClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.queues.close(), this.rpc.close()]);
  }
}

/**
 * What every Procura process shares: its validated configuration, PostgreSQL (Prisma),
 * the BullMQ producers and the RPC client to the other services.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(config: AppConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: AppConfig, useValue: config },
      PrismaService,
      Transactions,
      { provide: QueueRegistry, useFactory: () => new QueueRegistry(config.redisUrl) },
      { provide: RedisRpcClient, useFactory: () => new RedisRpcClient(config.redisUrl) },
      {
        provide: CommandBus,
        useFactory: (client: RedisRpcClient) => new CommandBus(client, config.rpcTimeoutMs),
        inject: [RedisRpcClient],
      },
      ConnectionsCloser,
    ];
    return {
      module: PlatformModule,
      providers,
      exports: [AppConfig, PrismaService, Transactions, QueueRegistry, RedisRpcClient, CommandBus],
    };
  }
}
