import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
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
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly repository: ChangeRequestRepository,
    private readonly applier: ChangeApplier,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One sweep; returns how many requests it found. */
  async sweep(): Promise<number> {
    const ids = await this.repository.unfinished(GRACE_MS, BATCH);
    for (const id of ids) {
      if (this.stopped) break;
      await this.applier
        .apply(id)
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'approved change not applied yet; will retry', changeRequestId: id, reason: String(error) }),
        );
    }
    return ids.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn({ msg: 'recovery sweep failed; will retry', reason: String(error) }))
        .then((found) => this.schedule(found === BATCH ? 0 : EVERY_MS));
    }, delayMs);
  }
}
