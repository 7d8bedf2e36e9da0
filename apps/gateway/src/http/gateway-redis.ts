import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { closeRedis, reportOutages } from '@procura/messaging';
import { Redis } from 'ioredis';

/** Longest a Redis command of a request may take before the request answers 503. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** Longest the gateway waits at boot for Redis to be ready before giving up. */
export const REDIS_BOOT_WAIT_MS = 60_000;

/**
 * The gateway's own Redis connection (token revocations, rights generation tokens, rate
 * limits, health). It never queues a command while Redis is away and bounds each one, so
 * a Redis outage answers 503 at once instead of a 500 after ioredis's retries, or no
 * answer at all.
 */
@Injectable()
export class GatewayRedis implements OnModuleDestroy {
  readonly connection: Redis;

  constructor(config: AppConfig) {
    this.connection = reportOutages(
      new Redis(config.redisUrl, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      }),
      new Logger(GatewayRedis.name),
      'gateway',
    );
  }

  /**
   * At boot: the gateway starts only with Redis reachable (later outages answer 503). One
   * failed attempt is not the end: on a starved machine the connection's ready check can
   * exceed the command timeout, and ioredis then closes and retries (retryStrategy). Boot
   * waits for the connection to be ready, up to `waitMs`.
   */
  async connect(waitMs = REDIS_BOOT_WAIT_MS): Promise<void> {
    if (this.connection.status === 'ready') return;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis not ready within ${waitMs} ms of boot`)), waitMs);
      this.connection.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // A failed first attempt is retried by retryStrategy; reportOutages logs it.
    if (this.connection.status === 'wait') this.connection.connect().catch(() => undefined);
    await ready;
  }

  async onModuleDestroy(): Promise<void> {
    await closeRedis(this.connection);
  }
}
