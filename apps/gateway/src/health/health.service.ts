import { Injectable } from '@nestjs/common';
import { RPC_SERVICES, SystemCommands } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { HealthReport, overall, probe } from '@procura/health';
import { CommandBus, rpcKeys } from '@procura/messaging';
import type { Redis } from 'ioredis';
import { GatewayRedis } from '../http/gateway-redis';

const PROBE_TIMEOUT_MS = 1500;

/**
 * Health of the whole system as the gateway sees it: PostgreSQL, Redis, and each service
 * answering a ping through the same RPC path real requests take.
 */
@Injectable()
export class HealthService {
  private readonly redis: Redis;

  constructor(
    redis: GatewayRedis,
    private readonly prisma: PrismaService,
    private readonly bus: CommandBus,
  ) {
    this.redis = redis.connection;
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
}
