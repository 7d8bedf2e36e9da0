import { LoggerService } from '@nestjs/common';
import pino, { Logger as PinoLogger, LevelWithSilent } from 'pino';
import { requestContext } from './request-context';

/**
 * Field names whose values are secrets. pino replaces them wherever they appear in a
 * logged object, so a secret cannot reach a log line even by accident.
 */
export const SECRET_FIELDS = [
  'password',
  'newPassword',
  'newPasswordConfirmation',
  'currentPassword',
  'provisionalPassword',
  'signaturePassword',
  'totpSecret',
  'totpCode',
  'code',
  'ediCode',
  'apiKey',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
];

const redactPaths = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export function createLogger(service: string, level: LevelWithSilent = 'info', destination?: pino.DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      // Every line carries the request id of the request, message or job being handled.
      mixin: () => {
        const ctx = requestContext.current();
        return ctx ? { requestId: ctx.requestId, ...(ctx.actor ? { actor: ctx.actor } : {}) } : {};
      },
    },
    destination,
  );
}

/** Nest's LoggerService on top of pino: structured JSON lines, one logger per class (context). */
export class JsonLogger implements LoggerService {
  /** One child logger per context (class name): creating one per line costs more than the line. */
  private readonly children = new Map<string, PinoLogger>();

  constructor(private readonly root: PinoLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    // A line below the configured level costs nothing (e.g. the per-request line at "warn").
    if (!this.root.isLevelEnabled(level)) return;
    // Nest passes the context (class name) as the last string argument, and for errors a stack before it.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const logger = context ? this.child(context) : this.root;
    if (message instanceof Error) {
      logger[level]({ err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      logger[level](message as object);
    } else {
      const stack = typeof args[0] === 'string' && level === 'error' ? args[0] : undefined;
      logger[level](stack ? { stack } : {}, String(message));
    }
  }

  private child(context: string): PinoLogger {
    let child = this.children.get(context);
    if (!child) {
      child = this.root.child({ context });
      // Contexts are class names, a bounded set; the bound only guards against misuse.
      if (this.children.size < 1000) this.children.set(context, child);
    }
    return child;
  }
}
