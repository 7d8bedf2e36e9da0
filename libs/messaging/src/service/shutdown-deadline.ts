import type { LoggerService } from '@nestjs/common';

/** A service stops within this long of SIGTERM or SIGINT, whatever its dependencies do. */
export const SHUTDOWN_DEADLINE_MS = 8000;

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
