import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * Says when a connection to Redis is lost and when it is back, once each, instead of
 * letting ioredis print an "Unhandled error event" stack trace on every reconnection
 * attempt (dozens a second while Redis is down, or stopping before the services).
 */
export function reportOutages(connection: Redis, logger: Pick<LoggerService, 'warn' | 'log'>, what: string): Redis {
  let down = false;
  connection.on('error', (error: Error) => {
    if (!down) logger.warn(`Redis unreachable (${what}), retrying: ${error.message}`);
    down = true;
  });
  connection.on('ready', () => {
    if (down) logger.log(`Redis reachable again (${what})`);
    down = false;
  });
  return connection;
}

/** Closes a connection politely when Redis answers, at once when it does not: a shutdown never waits on a dead server. */
export async function closeRedis(connection: Redis | undefined, graceMs = 1000): Promise<void> {
  if (!connection) return;
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      connection.quit().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]).finally(() => clearTimeout(timer));
  }
  connection.disconnect();
}
