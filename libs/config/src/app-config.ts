import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

export const SERVICE_NAMES = ['gateway', 'identity', 'authorizations', 'notifications', 'reporting'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A setting that is missing or wrong; the process stops at boot with this message. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Every setting of every service, read and validated once at start-up. Nothing else
 * reads process.env: services receive this object through dependency injection.
 */
export class AppConfig {
  readonly service: ServiceName;
  readonly instanceId: string;
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Only the notifications service sends mail; others may leave it unset. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly httpPort: number;
  readonly publicUrl: string;
  readonly rpcTimeoutMs: number;
  readonly outboxPollMs: number;
  readonly outboxRetentionHours: number;
  readonly dataDir: string;
  /** Seeds the demo data set at start-up (idempotent); set by `npm start`. */
  readonly seedDemo: boolean;
  /** Gateway only: requests per client address per minute, counted in Redis (shared by every replica). */
  readonly rateLimitPerMinute: number;
  /** Gateway only: requests per operator API key per minute (a portal's server checking for all its users), instead of per address. */
  readonly apiKeyRateLimitPerMinute: number;
  /**
   * Gateway only: addresses (or CIDR ranges) of the reverse proxies whose X-Forwarded-For
   * is believed. Empty (the default): the client is the peer of the TCP connection, and a
   * forged header changes nothing.
   */
  readonly trustedProxies: string[];
  /** Signs access tokens (identity) and verifies them (gateway). */
  readonly authTokenSecret: string;
  /** Seals secrets (provisional passwords, EDI codes) carried by jobs to the notifications worker. */
  readonly secretsKey: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly provisionalPasswordTtlHours: number;
  readonly loginMaxFailures: number;
  readonly loginLockoutMinutes: number;
  /** Per-IP login attempts per minute (gateway). */
  readonly loginRateLimitPerMinute: number;
  readonly ediCodeTtlHours: number;
  /** Seed 004 (rule 9 of issue 17): how many days before an EDI signature expires its owner is reminded (once). */
  readonly ediSignatureReminderDays: number;
  /** How often identity looks for EDI signatures whose reminder is due. */
  readonly ediSignatureReminderSweepSeconds: number;
  /** A pending change request expires after this long (default 7 days). */
  readonly changeRequestTtlSeconds: number;
  /** How often the authorizations service looks for credentials that passed their end date (rule 3 of issue 17). */
  readonly credentialExpirySweepSeconds: number;
  /** Test-only crash points (see libs/messaging FaultPoints); refused outside NODE_ENV=test. */
  readonly faultInjection: string | undefined;
  readonly documentRetentionDays: number;
  /** `outbox` writes SMS to files under DATA_DIR/sms (development); `http` posts them to SMS_HTTP_URL. */
  readonly smsProvider: 'outbox' | 'http';
  readonly smsHttpUrl: string | undefined;
  readonly smsHttpToken: string | undefined;

  constructor(service: ServiceName, env: Env) {
    this.service = service;
    this.instanceId = optional(env, 'INSTANCE_ID') ?? `${service}-${hostname()}-${process.pid}`;
    this.nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development');
    this.logLevel = oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info');
    this.databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
    this.redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
    this.smtpUrl =
      service === 'notifications' ? url(env, 'SMTP_URL', ['smtp:', 'smtps:']) : optionalUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
    this.mailFrom = optional(env, 'MAIL_FROM') ?? 'Procura <no-reply@procura.local>';
    this.httpPort = integer(env, 'PORT', 3000, 1, 65535);
    this.publicUrl = (optional(env, 'PUBLIC_URL') ?? `http://localhost:${this.httpPort}`).replace(/\/$/, '');
    this.rpcTimeoutMs = integer(env, 'RPC_TIMEOUT_MS', 4000, 100, 60000);
    this.outboxPollMs = integer(env, 'OUTBOX_POLL_MS', 500, 10, 60000);
    this.outboxRetentionHours = integer(env, 'OUTBOX_RETENTION_HOURS', 7 * 24, 1, 365 * 24);
    this.dataDir = resolve(optional(env, 'DATA_DIR') ?? '.data');
    this.seedDemo = boolean(env, 'SEED_DEMO', false);
    if (this.seedDemo && this.nodeEnv === 'production')
      throw new ConfigError('SEED_DEMO', 'must be off in production: the demo data set has published passwords and keys');
    this.rateLimitPerMinute = integer(env, 'RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000);
    this.apiKeyRateLimitPerMinute = integer(env, 'API_KEY_RATE_LIMIT_PER_MINUTE', 120_000, 1, 100_000_000);
    this.trustedProxies = addressList(env, 'TRUSTED_PROXIES');
    this.authTokenSecret = secret(env, 'AUTH_TOKEN_SECRET', this.nodeEnv, DEV_SECRETS.AUTH_TOKEN_SECRET);
    this.secretsKey = secret(env, 'SECRETS_KEY', this.nodeEnv, DEV_SECRETS.SECRETS_KEY);
    this.accessTokenTtlSeconds = integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 300, 30, 3600);
    this.refreshTokenTtlSeconds = integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 8 * 3600, 300, 30 * 24 * 3600);
    this.provisionalPasswordTtlHours = integer(env, 'PROVISIONAL_PASSWORD_TTL_HOURS', 72, 1, 720);
    this.loginMaxFailures = integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 100);
    this.loginLockoutMinutes = integer(env, 'LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60);
    this.loginRateLimitPerMinute = integer(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 30, 1, 100_000);
    this.ediCodeTtlHours = integer(env, 'EDI_CODE_TTL_HOURS', 72, 1, 720);
    this.ediSignatureReminderDays = integer(env, 'EDI_SIGNATURE_REMINDER_DAYS', 30, 1, 365);
    this.ediSignatureReminderSweepSeconds = integer(env, 'EDI_SIGNATURE_REMINDER_SWEEP_SECONDS', 300, 1, 24 * 3600);
    this.changeRequestTtlSeconds = integer(env, 'CHANGE_REQUEST_TTL_SECONDS', 7 * 24 * 3600, 1, 365 * 24 * 3600);
    this.credentialExpirySweepSeconds = integer(env, 'CREDENTIAL_EXPIRY_SWEEP_SECONDS', 60, 1, 24 * 3600);
    this.faultInjection = optional(env, 'FAULT_INJECTION');
    if (this.faultInjection && this.nodeEnv !== 'test') throw new ConfigError('FAULT_INJECTION', 'is only allowed with NODE_ENV=test');
    this.documentRetentionDays = integer(env, 'DOCUMENT_RETENTION_DAYS', 90, 1, 3650);
    this.smsProvider = oneOf(env, 'SMS_PROVIDER', ['outbox', 'http'] as const, 'outbox');
    this.smsHttpUrl =
      this.smsProvider === 'http' && service === 'notifications'
        ? url(env, 'SMS_HTTP_URL', ['http:', 'https:'])
        : optionalUrl(env, 'SMS_HTTP_URL', ['http:', 'https:']);
    this.smsHttpToken = optional(env, 'SMS_HTTP_TOKEN');
  }
}

/** Reads and validates the configuration of one service; throws ConfigError naming the variable. */
export function loadConfig(service: ServiceName, env: Env = process.env): AppConfig {
  return new AppConfig(service, env);
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required but not set');
  return value;
}

function url(env: Env, name: string, protocols: string[]): string {
  const value = required(env, name);
  checkUrl(name, value, protocols);
  return value;
}

function optionalUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const value = optional(env, name);
  if (value !== undefined) checkUrl(name, value, protocols);
  return value;
}

function checkUrl(name: string, value: string, protocols: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // The value may carry a password: never echo it.
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
}

/** The secrets development and tests run with when none is set: published, hence refused in production. */
export const DEV_SECRETS = {
  AUTH_TOKEN_SECRET: 'dev-only-auth-token-secret-change-me',
  SECRETS_KEY: 'dev-only-secrets-key-change-me',
} as const;

/** Values that appear in this repository's documentation and examples (refused in production). */
const PUBLISHED_SECRETS: readonly string[] = [...Object.values(DEV_SECRETS), 'demo-operator-key-change-me'];

/** Shortest secret accepted in production (256 bits of a random base64 string is 43 characters). */
export const PRODUCTION_SECRET_MIN_LENGTH = 32;
/**
 * Least estimated entropy of a production secret, in bits. Estimated from a short sample,
 * a truly random 32-character hex string (128 bits) scores 94 to 120: the bar sits below.
 */
const PRODUCTION_SECRET_MIN_BITS = 90;

/**
 * Entropy of a string estimated from its own character frequencies (Shannon, per
 * character, times the length): low for repetitions, sequences of few characters, words
 * repeated to reach a length. A cheap filter against careless values, not a proof of
 * randomness: `openssl rand -base64 32` passes with room to spare.
 */
export function estimatedEntropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / length) * Math.log2(count / length);
  return perChar * length;
}

/**
 * Required in production, where it must be long, not published and not trivially
 * guessable; development and tests get a fixed, clearly named default.
 */
function secret(env: Env, name: string, nodeEnv: string, devDefault: string): string {
  const value = optional(env, name);
  if (value === undefined) {
    if (nodeEnv === 'production') throw new ConfigError(name, 'is required in production');
    return devDefault;
  }
  if (value.length < 16) throw new ConfigError(name, 'must be at least 16 characters long');
  if (nodeEnv === 'production') {
    // Never echo the value: say what is wrong with it.
    const hint = 'generate one with `openssl rand -base64 32`';
    if (PUBLISHED_SECRETS.includes(value) || /change[-_ ]?me/i.test(value))
      throw new ConfigError(name, `is a published example value: ${hint}`);
    if (value.length < PRODUCTION_SECRET_MIN_LENGTH)
      throw new ConfigError(name, `must be at least ${PRODUCTION_SECRET_MIN_LENGTH} characters long in production: ${hint}`);
    if (estimatedEntropyBits(value) < PRODUCTION_SECRET_MIN_BITS) throw new ConfigError(name, `is too predictable: ${hint}`);
  }
  return value;
}

/** A comma-separated list of IP addresses or CIDR ranges (IPv4 or IPv6). */
function addressList(env: Env, name: string): string[] {
  const raw = optional(env, name);
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const version = isIP(address);
    const prefixOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (version === 0 || !prefixOk || extra !== undefined)
      throw new ConfigError(name, `must list IP addresses or CIDR ranges separated by commas (got "${entry}")`);
  }
  return entries;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${value})`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  return raw as T;
}
