import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { AuditEventJob, JOBS, QUEUES } from '@procura/contracts';
import { handle, JobWorker, validateJobData } from '@procura/messaging';
import { IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { AuditService } from './audit.service';

class AuditEventJobDto implements AuditEventJob {
  @IsUUID() eventId: string;
  @IsOptional() @IsUUID() companyId: string | null;
  @IsISO8601() occurredAt: string;
  @IsString() @Length(1, 200) actor: string;
  @IsString() @Length(1, 100) action: string;
  @IsString() @Length(1, 100) targetType: string;
  @IsOptional() @IsString() targetId?: string;
  @IsOptional() @IsString() sourceIp?: string;
  @IsOptional() @IsString() requestId?: string;
  @IsOptional() before?: unknown;
  @IsOptional() after?: unknown;
  @IsOptional() @IsObject() details?: Record<string, unknown>;
}

/** Consumes the audit events of every service and appends them to the company chains. */
@Injectable()
export class AuditWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: JobWorker;

  constructor(config: AppConfig, audit: AuditService) {
    this.worker = new JobWorker(
      config.redisUrl,
      {
        queue: QUEUES.audit,
        handlers: [
          handle(JOBS.recordAuditEvent, async (data) =>
            audit.append({ ...(await validateJobData(AuditEventJobDto, data)), companyId: data.companyId ?? null }),
          ),
        ],
      },
      { concurrency: 8, expectedJobs: Object.values(JOBS) },
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
