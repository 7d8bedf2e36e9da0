export type { RunningPostgres, RunningService } from './running-service';
export { LOCAL_HOST, PortInUseError, assertPortFree, findFreePort, findFreePorts, isPortFree } from './ports';
export { ensureDatabase, startPostgres, type PostgresLaunchOptions } from './postgres.launcher';
export {
  REDIS_INSTALL_HINT,
  RedisNotInstalledError,
  redisPing,
  resolveRedisServerBin,
  startRedis,
  type RedisLaunchOptions,
} from './redis.launcher';
export { startSmtpCatcher, type SmtpCatcher, type SmtpCatcherOptions } from './smtp-catcher';
export { clearCaughtMail, readCaughtMail, type CaughtAttachment, type CaughtMail } from './caught-mail.store';
export { escapeHtml } from './outbox.page';
export { startRoundRobin, type RoundRobin, type RoundRobinOptions } from './round-robin';
