import { Logger } from '@nestjs/common';

export interface SweepLoopOptions {
  /** What is swept, for the log line of a failed sweep. */
  what: string;
  /** Pause after a sweep that found less than a full batch. */
  everyMs: number;
  /** A sweep that found this many goes again at once. */
  batch: number;
  /** One sweep; returns how many rows it found. */
  sweep: () => Promise<number>;
  logger: Logger;
}

/**
 * A sweep repeated for the life of a process, for work whose durable record is a row (no
 * job per item): the first sweep at start, the next `everyMs` after each one ends (at once
 * while sweeps find full batches). A failed sweep is logged and tried again on the next
 * turn. `stop()` waits for the sweep in progress.
 */
export class SweepLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: SweepLoopOptions) {}

  /** True once stop() is called: a long sweep checks it between items. */
  get stopped(): boolean {
    return this.stopping;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    const { what, everyMs, batch, sweep, logger } = this.options;
    this.timer = setTimeout(() => {
      this.running = sweep()
        .catch((error: unknown) => {
          logger.warn({ msg: `${what} sweep failed; will retry`, reason: String(error) });
          return 0;
        })
        .then((found) => this.schedule(found === batch ? 0 : everyMs));
    }, delayMs);
  }
}
