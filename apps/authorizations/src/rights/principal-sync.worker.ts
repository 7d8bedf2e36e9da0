import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { JOBS, PrincipalStateJob, QUEUES } from '@procura/contracts';
import { handle, JobWorker, validateJobData } from '@procura/messaging';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Min, ValidateNested } from 'class-validator';
import { RightsCompiler } from './rights-compiler';
import { RightsGenerations } from './rights-generations';
import { PrincipalsRepository } from '../principals/principals.repository';
import { PrincipalChangeListeners } from './principal-change-listeners';

class PrincipalCredentialDto {
  @IsUUID() id: string;
  @IsOptional() @IsISO8601({ strict: true }) validUntil: string | null;
  @IsBoolean() revoked: boolean;
  @IsBoolean() bankingPower: boolean;
}

class PrincipalStateJobDto implements PrincipalStateJob {
  @IsUUID() userId: string;
  @IsUUID() companyId: string;
  @IsIn(['REGISTERED', 'ACTIVE', 'SUSPENDED', 'DELETED']) status: string;
  @IsInt() @Min(0) version: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PrincipalCredentialDto) credentials: PrincipalCredentialDto[];
}

/**
 * Keeps the projection of identity's users (status, credentials) that the check needs.
 * States carry the user's version, so a late or repeated job never rolls a user back.
 * The user's generation token is replaced after the commit: a suspension or a revoked
 * credential denies the very next check.
 */
@Injectable()
export class PrincipalSyncWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PrincipalSyncWorker.name);
  private readonly worker: JobWorker;

  constructor(
    config: AppConfig,
    private readonly principals: PrincipalsRepository,
    private readonly generations: RightsGenerations,
    private readonly compiler: RightsCompiler,
    private readonly listeners: PrincipalChangeListeners,
  ) {
    this.worker = new JobWorker(
      config.redisUrl,
      {
        queue: QUEUES.principals,
        handlers: [handle(JOBS.syncPrincipal, async (data) => this.sync(await validateJobData(PrincipalStateJobDto, data)))],
      },
      { concurrency: 8, expectedJobs: Object.values(JOBS) },
    );
  }

  async sync(state: PrincipalStateJob): Promise<{ applied: boolean }> {
    const applied = await this.principals.apply(state);
    // Also on an ignored (older) state: a previous attempt may have committed and then
    // failed before replacing the token.
    this.compiler.forget([state.userId]);
    await this.generations.bump([state.userId]);
    if (!applied) this.logger.debug({ msg: 'older principal state ignored', userId: state.userId, version: state.version });
    // Also on an ignored state, for the same reason; listeners are idempotent.
    await this.listeners.notify(state);
    return { applied };
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
