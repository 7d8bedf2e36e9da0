import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { SweepLoop } from '@procura/messaging';
import { PrincipalsRepository } from '../principals/principals.repository';
import { PrincipalChangeListeners } from '../rights/principal-change-listeners';
import { ChangeRequestService } from './change-request.service';

const BATCH = 100;

/**
 * A pending request becomes impossible when its validators change (suspension, signature
 * removed, credential revoked): every such change reaches this service as a principal
 * state, after identity committed it, so the company's pending requests are checked then.
 * A credential that simply passes its end date sends no state: a sweep finds those, and
 * marks each once the check ran (a failed check is tried again at the next sweep). The
 * maker's e-mail goes once per request whichever way it is found (its event key).
 */
@Injectable()
export class ImpossibleRequestsWatch implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImpossibleRequestsWatch.name);
  private readonly expiries: SweepLoop;

  constructor(
    config: AppConfig,
    private readonly listeners: PrincipalChangeListeners,
    private readonly changes: ChangeRequestService,
    private readonly principals: PrincipalsRepository,
  ) {
    this.expiries = new SweepLoop({
      what: 'credential expiry',
      everyMs: config.credentialExpirySweepSeconds * 1000,
      batch: BATCH,
      sweep: () => this.credentialsExpired(),
      logger: this.logger,
    });
  }

  onModuleInit(): void {
    this.listeners.register((state) => this.changes.warnMakersOfImpossible(state.companyId));
  }

  onApplicationBootstrap(): void {
    this.expiries.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.expiries.stop();
  }

  /** One sweep over credentials that passed their end date; returns how many it found. */
  async credentialsExpired(): Promise<number> {
    const now = new Date();
    const expired = await this.principals.expiredUnchecked(now, BATCH);
    for (const companyId of new Set(expired.map((e) => e.companyId))) await this.changes.warnMakersOfImpossible(companyId);
    await this.principals.markExpiryChecked(
      expired.map((e) => e.credentialId),
      now,
    );
    return expired.length;
  }
}
