import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { RPC_SERVICES, SystemCommands } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { HealthReport, overall, probe } from '@procura/health';
import { CommandBus, rpcKeys } from '@procura/messaging';
import { Redis } from 'ioredis';

const PROBE_TIMEOUT_MS = 1500;

/**
 * Health of the whole system as the gateway sees it: PostgreSQL, Redis, and each service
 * answering a ping through the same RPC path real requests take.
 */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly bus: CommandBus,
  ) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  }

  async check(): Promise<HealthReport> {
    const [postgres, redis, ...services] = await Promise.all([
      probe(async () => void (await this.prisma.$queryRawUnsafe('SELECT 1')), PROBE_TIMEOUT_MS),
      probe(async () => void (await this.redis.ping()), PROBE_TIMEOUT_MS),
      ...RPC_SERVICES.map((service) =>
        probe(async () => {
          await this.bus.execute(SystemCommands.ping(service), {}, { timeoutMs: PROBE_TIMEOUT_MS });
          const replicas = await this.redis.zcount(rpcKeys.presence(service), Date.now(), '+inf');
          return { replicas };
        }, PROBE_TIMEOUT_MS + 100),
      ),
    ]);
    return overall({ postgres, redis, ...Object.fromEntries(RPC_SERVICES.map((s, i) => [s, services[i]])) });
  }

  /**
   * What this gateway replica itself needs to serve: PostgreSQL and Redis. An orchestrator's
   * readiness probe uses this one; the whole-system check above would take every gateway
   * out of service when one back-end service is down, instead of answering 503 for its routes.
   */
  async checkSelf(): Promise<HealthReport> {
    const [postgres, redis] = await Promise.all([
      probe(async () => void (await this.prisma.$queryRawUnsafe('SELECT 1')), PROBE_TIMEOUT_MS),
      probe(async () => void (await this.redis.ping()), PROBE_TIMEOUT_MS),
    ]);
    return overall({ postgres, redis });
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
