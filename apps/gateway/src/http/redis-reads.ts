import { Injectable } from '@nestjs/common';
import { ServiceUnavailableError } from '@procura/errors';
import { GatewayRedis } from './gateway-redis';

/** The part of a Redis client the batcher needs. */
export interface MultiGetter {
  mget(keys: string[]): Promise<Array<string | null>>;
}

/** Keys per MGET: a larger turn is split so one command never carries an unbounded key list. */
const MAX_KEYS_PER_READ = 1000;

/**
 * Point reads of the request hot path (revoked sessions, users' rights generation tokens),
 * gathered per event-loop turn: every GET asked for while the loop handles one round of
 * incoming requests goes to Redis as one MGET at the end of that round (setImmediate runs
 * right after the poll phase). Under load that is one write and one reply for many
 * requests instead of one each, and each read is still issued after the request that
 * needs it arrived, so a value written before the request was sent is always seen.
 */
export class TurnBatchedReads {
  private pending = new Map<string, Array<{ resolve: (value: string | null) => void; reject: (error: unknown) => void }>>();
  private scheduled = false;

  constructor(private readonly redis: MultiGetter) {}

  get(key: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += MAX_KEYS_PER_READ) {
      const slice = keys.slice(start, start + MAX_KEYS_PER_READ);
      this.redis.mget(slice).then(
        (values) => slice.forEach((key, i) => batch.get(key)!.forEach((w) => w.resolve(values[i] ?? null))),
        (error: unknown) => slice.forEach((key) => batch.get(key)!.forEach((w) => w.reject(error))),
      );
    }
  }
}

/** The gateway's hot-path reads (see TurnBatchedReads): a Redis that cannot answer is a 503. */
@Injectable()
export class RedisReads extends TurnBatchedReads {
  constructor(redis: GatewayRedis) {
    super({
      mget: (keys) =>
        redis.connection.mget(keys).catch((error: unknown) => {
          throw Object.assign(new ServiceUnavailableError('redis', 'down'), { cause: error });
        }),
    });
  }
}
