import { Logger } from '@nestjs/common';
import { JobContract, JobMeta, QueueName } from '@procura/contracts';
import { DomainError } from '@procura/errors';
import { requestContext } from '@procura/logging';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { closeRedis, reportOutages } from '../redis/redis-connections';

/**
 * A failure that will never succeed on retry (invalid payload, broken rule): the job
 * fails at once and visibly instead of using up its attempts.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = PermanentJobError.name;
  }
}

export type JobHandler<T> = (data: T, job: Job<T & { meta?: JobMeta }>) => Promise<unknown>;

export interface JobHandlers {
  queue: QueueName;
  handlers: Array<{ job: JobContract<never>; handle: JobHandler<never> }>;
}

/** Pairs a job contract with its handler with the types checked. */
export function handle<T>(job: JobContract<T>, fn: JobHandler<T>): { job: JobContract<never>; handle: JobHandler<never> } {
  return { job: job as JobContract<never>, handle: fn as JobHandler<never> };
}

/**
 * The consumer side of one queue. Every job name of the queue must have exactly one
 * handler (checked here, at boot); each job runs in the request context it was created
 * in; domain errors (4xx) and PermanentJobError fail at once, anything else is retried
 * with the queue's backoff. close() stops taking jobs and waits for the current ones.
 */
export class JobWorker {
  private readonly logger: Logger;
  private readonly worker: Worker;
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    spec: JobHandlers,
    options: {
      concurrency?: number;
      expectedJobs: Array<JobContract<unknown>>;
      /**
       * A job whose worker died is taken up again once its lock has expired and the stall
       * check has run: at most lockDurationMs + stalledIntervalMs after the crash.
       */
      lockDurationMs?: number;
      stalledIntervalMs?: number;
    },
  ) {
    this.logger = new Logger(`JobWorker:${spec.queue}`);
    const byName = new Map<string, JobHandler<never>>();
    for (const { job, handle: fn } of spec.handlers) {
      if (job.queue !== spec.queue) throw new Error(`job ${job.name} belongs to ${job.queue}, not ${spec.queue}`);
      if (byName.has(job.name)) throw new Error(`two handlers for job ${spec.queue}/${job.name}`);
      byName.set(job.name, fn);
    }
    const missing = options.expectedJobs.filter((j) => j.queue === spec.queue && !byName.has(j.name));
    if (missing.length) throw new Error(`no handler for job(s) ${missing.map((j) => j.name).join(', ')} of ${spec.queue}`);

    this.connection = reportOutages(new Redis(redisUrl, { maxRetriesPerRequest: null }), this.logger, `${spec.queue} worker`);
    this.worker = new Worker(
      spec.queue,
      async (job: Job) => {
        const fn = byName.get(job.name);
        if (!fn) throw new UnrecoverableError(`unknown job ${job.name}`);
        const meta = (job.data as { meta?: JobMeta }).meta;
        return requestContext.run({ requestId: meta?.requestId ?? `job:${job.id}` }, async () => {
          try {
            return await fn(job.data as never, job as never);
          } catch (error) {
            if (error instanceof PermanentJobError || (error instanceof DomainError && error.status < 500)) {
              this.logger.warn({ msg: 'job failed permanently', job: job.name, jobId: job.id, reason: error.message });
              throw new UnrecoverableError(error.message);
            }
            this.logger.warn({
              msg: 'job failed, will retry',
              job: job.name,
              jobId: job.id,
              attempt: job.attemptsMade + 1,
              reason: error instanceof Error ? error.message : String(error),
            });
            throw error;
          }
        });
      },
      {
        connection: this.connection,
        concurrency: options.concurrency ?? 8,
        autorun: false,
        lockDuration: options.lockDurationMs ?? 15_000,
        stalledInterval: options.stalledIntervalMs ?? 5_000,
      },
    );
    // The connection's outages are reported above; BullMQ repeats them here for each attempt.
    this.worker.on('error', (error) => this.logger.debug(`worker: ${error.message}`));
  }

  start(): void {
    void this.worker.run();
  }

  get bullWorker(): Worker {
    return this.worker;
  }

  async close(): Promise<void> {
    await this.worker.close();
    await closeRedis(this.connection);
  }
}
