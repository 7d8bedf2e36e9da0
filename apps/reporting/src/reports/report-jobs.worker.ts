import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { JOBS, QUEUES } from '@procura/contracts';
import { handle, JobWorker, QueueRegistry, validateJobData } from '@procura/messaging';
import { IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { DocumentsService } from '../documents/documents.service';
import { ReportBuilder } from './report-builder';
import { ReportReadyNotifier } from './report-ready.notifier';

class ReportJobDto {
  @IsUUID() reportId: string;
}

class PurgeDocumentsJobDto {
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}

/** Retention purge cadence: hourly is plenty for a retention counted in days. */
export const PURGE_EVERY_MS = 60 * 60_000;
const PURGE_SCHEDULER_ID = 'purge-documents-hourly';

/**
 * The consumer of the reports queue: builds ordered reports, sends their "ready"
 * notice, purges expired documents. Builds run two at a time (PDF rendering is CPU
 * bound). On SIGTERM it stops taking jobs and lets the current build finish; a build
 * killed mid-way is picked up again by BullMQ's stalled-job recovery after restart.
 */
@Injectable()
export class ReportJobsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportJobsWorker.name);
  private readonly worker: JobWorker;

  constructor(
    config: AppConfig,
    builder: ReportBuilder,
    notifier: ReportReadyNotifier,
    documents: DocumentsService,
    private readonly queues: QueueRegistry,
  ) {
    this.worker = new JobWorker(
      config.redisUrl,
      {
        queue: QUEUES.reports,
        handlers: [
          handle(JOBS.buildReport, async (data, job) => {
            const { reportId } = await validateJobData(ReportJobDto, data);
            const attempts = job.opts.attempts ?? 1;
            return builder.build(reportId, { last: job.attemptsMade + 1 >= attempts });
          }),
          handle(JOBS.notifyReportReady, async (data) => notifier.notify((await validateJobData(ReportJobDto, data)).reportId)),
          handle(JOBS.purgeDocuments, async (data) => {
            const { asOf } = await validateJobData(PurgeDocumentsJobDto, data);
            return { removed: await documents.purgeExpired(asOf ? new Date(asOf) : undefined) };
          }),
        ],
      },
      { concurrency: 2, expectedJobs: Object.values(JOBS) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // One schedule whatever the number of replicas: the scheduler id is the key.
    await this.queues
      .get(QUEUES.reports)
      .upsertJobScheduler(PURGE_SCHEDULER_ID, { every: PURGE_EVERY_MS }, { name: JOBS.purgeDocuments.name, data: {} });
    this.worker.start();
    this.logger.log('reports worker started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
