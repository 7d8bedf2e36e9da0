import { DomainError, UNAVAILABLE_RETRY_AFTER_SECONDS } from './domain-error';

/** PostgreSQL or Redis out of reach: a fault to retry, not a defect. */
export class DependencyUnavailableError extends DomainError {
  constructor(service: string, dependency: 'PostgreSQL' | 'Redis' | 'A server') {
    super('SERVICE_UNAVAILABLE', 503, `${dependency} is unreachable from the ${service} service; retry shortly`, undefined, {
      service,
      dependency,
      retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
  }
}

// Node's socket errors, pg's connection-class SQLSTATEs (08xxx, 57P01-57P03: shutdown,
// crash, cannot connect now) and Prisma's "cannot reach / connection closed / pool timeout".
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH']);
// P2028: an interactive transaction past its time limit (a database too slow to answer).
const POSTGRES_CODES = /^(08...|57P0[123]|P1001|P1002|P1008|P1017|P2024|P2028)$/;
const POSTGRES_MESSAGES =
  /Can't reach database server|Connection terminated|server closed the connection|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect|Client has encountered a connection error/i;
const REDIS_MESSAGES = /Reached the max retries per request limit|Connection is closed|Stream isn't writeable|Command timed out/i;

/**
 * The 503 an error stands for when PostgreSQL or Redis cannot be reached (followed through
 * `cause`), or undefined for anything else. Without it such errors left as 500s while a
 * server restarted (found by the soak), though a retry a moment later succeeds.
 */
export function dependencyUnavailable(error: unknown, service: string): DependencyUnavailableError | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(text)) return new DependencyUnavailableError(service, 'Redis');
    if ((typeof code === 'string' && POSTGRES_CODES.test(code)) || POSTGRES_MESSAGES.test(text))
      return new DependencyUnavailableError(service, 'PostgreSQL');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return new DependencyUnavailableError(service, 'A server');
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
