import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { JOBS, QUEUES } from '@procura/contracts';
import { handle, JobWorker } from '@procura/messaging';
import { DelayedError, Job } from 'bullmq';
import { AttemptContext, DeliveryOutcome, DeliveryService } from './delivery.service';

/** Jobs handled at once: a little more than the SMTP pool's connections, so the pool stays busy. */
export const NOTIFICATION_CONCURRENCY = 8;

/**
 * Consumes the notifications queue: every job name has its handler (checked at boot by
 * JobWorker), started once the application is up, and on shutdown stops taking jobs
 * and lets the current sends finish before the connections close.
 */
@Injectable()
export class NotificationJobsProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationJobsProcessor.name);
  private readonly worker: JobWorker;

  constructor(
    config: AppConfig,
    private readonly delivery: DeliveryService,
  ) {
    this.worker = new JobWorker(
      config.redisUrl,
      {
        queue: QUEUES.notifications,
        handlers: [
          handle(JOBS.sendEmail, (data, job) => this.run(job, (ctx) => this.delivery.deliverEmail(data, ctx))),
          handle(JOBS.sendSms, (data, job) => this.run(job, (ctx) => this.delivery.deliverSms(data, ctx))),
        ],
      },
      { concurrency: NOTIFICATION_CONCURRENCY, expectedJobs: Object.values(JOBS) },
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    this.logger.log(`consuming ${QUEUES.notifications}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  private async run(job: Job, deliver: (ctx: AttemptContext) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    const ctx: AttemptContext = { jobId: String(job.id), attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
    const outcome = await deliver(ctx);
    if (outcome.result === 'deferred') {
      // Another attempt holds the lease: come back when it ends, without using an attempt.
      await job.moveToDelayed(Date.now() + outcome.delayMs, job.token);
      throw new DelayedError();
    }
    if (outcome.result === 'sent' || outcome.result === 'already-sent') await this.forgetSecrets(job);
    return outcome;
  }

  /** A delivered message's sealed secrets serve no purpose any more: they leave Redis with the send. */
  private async forgetSecrets(job: Job): Promise<void> {
    const data = job.data as { secrets?: unknown };
    if (data.secrets === undefined) return;
    const { secrets: _dropped, ...rest } = data;
    await job
      .updateData(rest)
      .catch((error: unknown) =>
        this.logger.warn(`could not drop the sealed secrets of job ${job.id}: ${error instanceof Error ? error.message : String(error)}`),
      );
  }
}
