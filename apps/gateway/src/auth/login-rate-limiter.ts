import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { RateLimitedError } from '@procura/errors';
import { Redis } from 'ioredis';

const WINDOW_SECONDS = 60;

/**
 * Per-IP budget of sign-in attempts per minute, counted in Redis so every gateway
 * replica shares it (the general per-process limit is far too loose for password guessing).
 */
@Injectable()
export class LoginRateLimiter implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(private readonly config: AppConfig) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  }

  async consume(ip: string | undefined, nowMs = Date.now()): Promise<void> {
    const window = Math.floor(nowMs / 1000 / WINDOW_SECONDS);
    const key = `procura:ratelimit:login:${ip ?? 'unknown'}:${window}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, WINDOW_SECONDS * 2)
      .exec()) as [[Error | null, number], [Error | null, number]];
    if (count > this.config.loginRateLimitPerMinute) {
      throw new RateLimitedError(Math.max(1, (window + 1) * WINDOW_SECONDS - Math.floor(nowMs / 1000)));
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
