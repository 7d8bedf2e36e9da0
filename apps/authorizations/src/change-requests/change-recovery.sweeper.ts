import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SweepLoop } from '@procura/messaging';
import { ChangeApplier } from './change-applier';
import { ChangeRequestRepository } from './change-request.repository';

/** How long after its decision an APPROVED request is left to the request that approved it. */
const GRACE_MS = 3000;
const EVERY_MS = 2000;
const BATCH = 20;

/**
 * The safety net of application: the request row itself, APPROVED and not finished, is
 * the durable record of the work (written in the approval's transaction), so no job is
 * queued per approval. Every replica looks every few seconds for requests still APPROVED
 * a while after their decision (the approving process crashed, an owner was down) and
 * applies them; appliers that meet are harmless (ChangeApplier), so replicas need no
 * coordination.
 */
@Injectable()
export class ChangeRecoverySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChangeRecoverySweeper.name);
  private readonly loop = new SweepLoop({
    what: 'recovery',
    everyMs: EVERY_MS,
    batch: BATCH,
    sweep: () => this.sweep(),
    logger: this.logger,
  });

  constructor(
    private readonly repository: ChangeRequestRepository,
    private readonly applier: ChangeApplier,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One sweep; returns how many requests it found. */
  async sweep(): Promise<number> {
    const ids = await this.repository.unfinished(GRACE_MS, BATCH);
    for (const id of ids) {
      if (this.loop.stopped) break;
      await this.applier
        .apply(id)
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'approved change not applied yet; will retry', changeRequestId: id, reason: String(error) }),
        );
    }
    return ids.length;
  }
}
