import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { JOBS, QUEUES } from '@procura/contracts';
import { handle, JobWorker, validateJobData } from '@procura/messaging';
import { IsUUID } from 'class-validator';
import { ChangeApplier } from './change-applier';
import { ChangeRequestService } from './change-request.service';

class ChangeJobDto {
  @IsUUID() changeRequestId: string;
}

/**
 * Consumes the change-request jobs: expiry, and the apply jobs written before the
 * recovery sweep replaced them (still honoured, so none queued at an upgrade is lost).
 */
@Injectable()
export class ChangeJobsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: JobWorker;

  constructor(config: AppConfig, applier: ChangeApplier, changes: ChangeRequestService) {
    this.worker = new JobWorker(
      config.redisUrl,
      {
        queue: QUEUES.changes,
        handlers: [
          handle(JOBS.applyChange, async (data) => {
            await applier.apply((await validateJobData(ChangeJobDto, data)).changeRequestId);
          }),
          handle(JOBS.expireChange, async (data) => changes.expire((await validateJobData(ChangeJobDto, data)).changeRequestId)),
        ],
      },
      { concurrency: 16, expectedJobs: Object.values(JOBS) },
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
