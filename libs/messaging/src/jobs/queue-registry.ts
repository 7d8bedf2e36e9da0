import { Logger } from '@nestjs/common';
import { JobContract, JobMeta, QueueName } from '@procura/contracts';
import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { closeRedis, reportOutages } from '../redis/redis-connections';

/**
 * Job options for every queue, in one place. Failed jobs are kept (the dead-letter state
 * shown in the queue dashboard); completed ones for a week, so that re-adding a job with
 * the same id (an outbox relay retry) stays a no-op.
 */
const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 100_000 };

export const JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  'procura-notifications': {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  },
  'procura-audit': { attempts: 20, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: KEEP_COMPLETED, removeOnFail: false },
  'procura-changes': { attempts: 20, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: KEEP_COMPLETED, removeOnFail: false },
  'procura-principals': {
    attempts: 20,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  },
  // Five attempts span 2 + 4 + 8 + 16 s: three (6 s) ended reports FAILED during a 10 s
  // PostgreSQL outage in the soak, though the next attempt would have built them.
  'procura-reports': { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: KEEP_COMPLETED, removeOnFail: false },
};

/** Data as stored in a job: the business payload plus the meta joining it to its request. */
export type JobData<T> = T & { meta?: JobMeta };

/** The producer side of BullMQ: one Queue object per queue name, sharing one connection. */
export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly connection: Redis;
  private readonly logger = new Logger(QueueRegistry.name);

  constructor(redisUrl: string) {
    this.connection = reportOutages(new Redis(redisUrl, { maxRetriesPerRequest: null }), this.logger, 'job queues');
  }

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, defaultJobOptions: JOB_OPTIONS[name] });
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Direct enqueue, for work that has no database transaction to join (tests, benchmarks). */
  async add<T>(job: JobContract<T>, jobId: string, data: JobData<T>): Promise<void> {
    await this.get(job.queue).add(job.name, data, { jobId });
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
    await closeRedis(this.connection);
  }
}
