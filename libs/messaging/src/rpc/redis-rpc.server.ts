import { LoggerService } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { describeActor, RpcServiceName } from '@procura/contracts';
import { dependencyUnavailable, DomainError, isWireError, toWire, WireError } from '@procura/errors';
import { requestContext } from '@procura/logging';
import { Redis } from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { closeRedis, reportOutages } from '../redis/redis-connections';
import { RpcMetaContext } from './rpc-meta.context';
import { RpcReplyEnvelope, RpcRequestEnvelope, rpcKeys } from './rpc-envelope';

export interface RedisRpcServerOptions {
  service: RpcServiceName;
  instanceId: string;
  redisUrl: string;
  logger: LoggerService;
  /** Requests handled at once by this replica. */
  concurrency?: number;
  /** A replica that stops heart-beating is considered gone after this long. */
  presenceTtlMs?: number;
}

/**
 * Nest transport strategy with competing consumers. The stock Redis transport is
 * pub/sub, so every replica of a service would execute every command; here each
 * request is a list entry that exactly one replica pops (BRPOP). Replies go back on
 * the caller's own pub/sub channel. A request whose caller has given up (deadline
 * passed, e.g. while the service was down) is dropped instead of executed late.
 */
export class RedisRpcServer extends Server implements CustomTransportStrategy {
  private consumer?: Redis;
  private publisher?: Redis;
  private heartbeat?: NodeJS.Timeout;
  private closing = false;
  private inFlight = 0;
  private loopDone?: Promise<void>;
  private readonly startedAt = Date.now();
  private readonly concurrency: number;
  private readonly presenceTtlMs: number;
  /** Handlers by pattern string: Nest's lookup JSON-parses every pattern (a throw for plain strings) on each call. */
  private readonly handlerByPattern = new Map<string, MessageHandler>();

  constructor(private readonly options: RedisRpcServerOptions) {
    super();
    this.concurrency = options.concurrency ?? 64;
    this.presenceTtlMs = options.presenceTtlMs ?? 3000;
  }

  get uptimeMs(): number {
    return Date.now() - this.startedAt;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const logger = {
        warn: (m: string) => this.options.logger.warn(m, RedisRpcServer.name),
        log: (m: string) => this.options.logger.log(m, RedisRpcServer.name),
      };
      this.consumer = reportOutages(
        new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true }),
        logger,
        'RPC requests',
      );
      this.publisher = reportOutages(
        new Redis(this.options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true }),
        logger,
        'RPC replies',
      );
      await Promise.all([this.consumer.connect(), this.publisher.connect()]);
      await this.beat();
      // While Redis is away every beat fails: the connection reports the outage once (reportOutages).
      this.heartbeat = setInterval(
        () =>
          void this.beat().catch((err: unknown) =>
            this.options.logger.debug?.(
              { msg: 'heartbeat failed', reason: err instanceof Error ? err.message : String(err) },
              RedisRpcServer.name,
            ),
          ),
        this.presenceTtlMs / 3,
      );
      this.loopDone = this.consume();
      this.options.logger.log(
        `listening for ${this.getHandlers().size} command patterns as ${this.options.instanceId}`,
        RedisRpcServer.name,
      );
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * Stops taking requests, lets the ones in flight finish, then leaves. Every step is
   * bounded: with Redis gone, leaving the presence set or ending the read loop cannot
   * succeed, and the process must still stop (a service exits within 10 s of SIGTERM).
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await within(1000, this.publisher?.zrem(rpcKeys.presence(this.options.service), this.options.instanceId));
    // The read loop ends after its current BLMPOP (1 s): a request popped meanwhile is still handled.
    await within(2000, this.loopDone);
    const deadline = Date.now() + 4000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.consumer?.disconnect();
    await closeRedis(this.publisher);
  }

  on(): void {
    // No transport-level events to expose.
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const key = rpcKeys.presence(this.options.service);
    await this.publisher!.multi()
      .zadd(key, now + this.presenceTtlMs, this.options.instanceId)
      .zremrangebyscore(key, '-inf', now)
      .exec();
  }

  private async consume(): Promise<void> {
    const key = rpcKeys.requests(this.options.service);
    while (!this.closing) {
      const room = this.concurrency - this.inFlight;
      if (room <= 0) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      let popped: [string, string[]] | null;
      try {
        // One round trip takes as many waiting requests as this replica has room for.
        popped = (await this.consumer!.blmpop(1, 1, key, 'RIGHT', 'COUNT', Math.min(room, 32))) as [string, string[]] | null;
      } catch (error) {
        if (this.closing) return;
        this.logError('could not read requests', error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!popped) continue;
      for (const raw of popped[1]) {
        this.inFlight++;
        void this.handle(raw).finally(() => this.inFlight--);
      }
    }
  }

  private async handle(raw: string): Promise<void> {
    let request: RpcRequestEnvelope;
    try {
      request = JSON.parse(raw) as RpcRequestEnvelope;
    } catch {
      this.options.logger.warn('dropped an unreadable request', RedisRpcServer.name);
      return;
    }
    const context = { requestId: request.meta.requestId, actor: describeActor(request.meta.actor) };
    await requestContext.run(context, async () => {
      if (Date.now() > request.meta.deadline) {
        this.options.logger.warn(
          { msg: 'dropped a request whose caller had already given up', pattern: request.pattern },
          RedisRpcServer.name,
        );
        return;
      }
      const reply = await this.execute(request);
      // Redis gone while the command ran: the reply is lost and the caller answers 503 at its
      // deadline. Unhandled, this rejection killed the service when Redis restarted (the soak).
      await this.publisher!.publish(request.replyTo, JSON.stringify(reply)).catch((error: unknown) =>
        this.options.logger.warn(
          { msg: 'reply lost: Redis unreachable', pattern: request.pattern, err: error instanceof Error ? error.message : String(error) },
          RedisRpcServer.name,
        ),
      );
    });
  }

  private async execute(request: RpcRequestEnvelope): Promise<RpcReplyEnvelope> {
    const handler = this.handlerFor(request.pattern);
    if (!handler) {
      return { id: request.id, isDisposed: true, err: { code: 'NO_HANDLER', status: 501, message: `No handler for ${request.pattern}` } };
    }
    const started = Date.now();
    try {
      const result = this.transformToObservable(await handler(request.data, new RpcMetaContext([request.meta])));
      const response: unknown = await lastValueFrom(result, { defaultValue: null });
      this.options.logger.debug?.({ msg: 'command handled', pattern: request.pattern, ms: Date.now() - started }, RedisRpcServer.name);
      return { id: request.id, isDisposed: true, response };
    } catch (error) {
      const err = this.toWireError(error);
      // A refusal (bad input, a rule, no access) is the command doing its job, not a warning.
      if (err.status >= 500)
        this.options.logger.error(
          { msg: 'command failed', pattern: request.pattern, errorCode: err.code, status: err.status },
          RedisRpcServer.name,
        );
      else
        this.options.logger.log(
          { msg: 'command refused', pattern: request.pattern, errorCode: err.code, status: err.status },
          RedisRpcServer.name,
        );
      return { id: request.id, isDisposed: true, err };
    }
  }

  /** Only patterns that have a handler are remembered, so unknown patterns cannot grow the map. */
  private handlerFor(pattern: string): MessageHandler | null {
    let handler = this.handlerByPattern.get(pattern);
    if (!handler) {
      handler = this.getHandlerByPattern(pattern) ?? undefined;
      if (!handler) return null;
      this.handlerByPattern.set(pattern, handler);
    }
    return handler;
  }

  private toWireError(error: unknown): WireError {
    if (error instanceof DomainError) return toWire(error);
    if (isWireError(error)) return error;
    const unavailable = dependencyUnavailable(error, this.options.service);
    if (unavailable) return toWire(unavailable);
    this.logError('unexpected error in a command handler', error);
    return { code: 'INTERNAL', status: 500, message: 'Internal error' };
  }

  private logError(message: string, error: unknown): void {
    this.options.logger.error(
      { msg: message, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) },
      RedisRpcServer.name,
    );
  }
}

/** Waits for `work` at most `ms`; its failure or lateness is not the caller's concern (a shutdown step). */
async function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
