import type { LoggerService } from '@nestjs/common';

/**
 * A service stops within this long of SIGTERM or SIGINT, whatever its dependencies do. The
 * promise is 10 s; the timer is set shorter because on a starved machine it fires late (an
 * 8 s timer was seen to exit at 10.07 s with the load average at 38 on 2 cores).
 */
export const SHUTDOWN_DEADLINE_MS = 6000;

/**
 * Graceful shutdown (Nest's shutdown hooks: stop taking work, finish or release the
 * current one, close connections) has until the deadline; past it the process exits.
 * With PostgreSQL or Redis gone, closing a pool or a BullMQ worker can wait for a server
 * that never answers: an orchestrator would then kill the process anyway, later.
 */
export function enforceShutdownDeadline(logger: LoggerService, deadlineMs = SHUTDOWN_DEADLINE_MS): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.error(`still stopping ${deadlineMs} ms after ${signal}: exiting now`, 'Shutdown');
        process.exit(1);
      }, deadlineMs).unref();
    });
  }
}
