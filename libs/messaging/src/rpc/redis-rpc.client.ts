import { Logger } from '@nestjs/common';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { RpcMeta } from '@procura/contracts';
import { ServiceUnavailableError, toWire } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { closeRedis, reportOutages } from '../redis/redis-connections';
import { RpcReplyEnvelope, RpcRequestEnvelope, rpcKeys, serviceOfPattern } from './rpc-envelope';

/** No reply within the caller's deadline (CommandBus turns it into ServiceUnavailableError). */
export class RpcTimeoutError extends Error {
  constructor(pattern: string, timeoutMs: number) {
    super(`No reply to ${pattern} within ${timeoutMs} ms`);
    this.name = 'RpcTimeoutError';
  }
}

/** What ClientProxy.send carries as the packet data. */
export interface OutgoingCommand {
  payload: unknown;
  meta: RpcMeta;
}

// Pushes the request only when at least one replica is alive, in one round trip:
// a service that is down is reported at once instead of after the timeout.
const PUSH_IF_ALIVE = `
if redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf') == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1`;

type PushingRedis = Redis & { pushIfAlive(presenceKey: string, requestsKey: string, now: number, envelope: string): Promise<number> };

/** Client side of RedisRpcServer (see there for the delivery semantics). */
export class RedisRpcClient extends ClientProxy {
  private commands?: PushingRedis;
  private subscriber?: Redis;
  private connecting?: Promise<void>;
  private readonly clientId = randomUUID();
  private readonly replyChannel = rpcKeys.replies(this.clientId);
  private readonly logger = new Logger(RedisRpcClient.name);

  constructor(private readonly redisUrl: string) {
    super();
  }

  connect(): Promise<void> {
    this.connecting ??= this.open();
    return this.connecting;
  }

  private async open(): Promise<void> {
    const commands = reportOutages(
      new Redis(this.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true }),
      this.logger,
      'RPC calls',
    ) as PushingRedis;
    commands.defineCommand('pushIfAlive', { numberOfKeys: 2, lua: PUSH_IF_ALIVE });
    const subscriber = reportOutages(new Redis(this.redisUrl, { lazyConnect: true }), this.logger, 'RPC replies');
    await Promise.all([commands.connect(), subscriber.connect()]);
    subscriber.on('message', (_channel: string, message: string) => this.onReply(message));
    // Replies published while the subscription is down are lost for good (pub/sub): the calls
    // waiting for them are answered now, as unavailable, instead of at their deadline.
    subscriber.on('close', () => this.failPending());
    await subscriber.subscribe(this.replyChannel);
    this.commands = commands;
    this.subscriber = subscriber;
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    await closeRedis(this.commands);
    this.connecting = undefined;
  }

  override on(): void {
    // Connection events are handled by ioredis' reconnection.
  }

  unwrap<T>(): T {
    return this.commands as T;
  }

  /**
   * One command as a plain promise with its own deadline: what CommandBus uses. Resolves
   * with the handler's response, rejects with the WireError the service answered, or with
   * RpcTimeoutError when no reply came within `timeoutMs`. Skips the Observable that
   * ClientProxy.send builds around each call (a subscription chain and a timeout operator
   * per request, on the gateway's path to every service).
   */
  async request(pattern: string, data: unknown, meta: RpcMeta, timeoutMs: number): Promise<unknown> {
    if (!this.commands) await this.connect();
    return new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        this.routingMap.delete(id);
        reject(new RpcTimeoutError(pattern, timeoutMs));
      }, timeoutMs);
      this.routingMap.set(id, (packet: WritePacket) => {
        clearTimeout(timer);
        if (packet.err !== undefined && packet.err !== null) reject(packet.err);
        else resolve(packet.response);
      });
      this.push({ id, pattern, data, meta, replyTo: this.replyChannel });
    });
  }

  /** ClientProxy's entry point (send/emit through Nest); CommandBus uses `request` instead. */
  protected publish(packet: ReadPacket<OutgoingCommand>, callback: (packet: WritePacket) => void): () => void {
    const id = randomUUID();
    this.routingMap.set(id, callback);
    this.push({ id, pattern: String(packet.pattern), data: packet.data.payload, meta: packet.data.meta, replyTo: this.replyChannel });
    return () => this.routingMap.delete(id);
  }

  private push(envelope: RpcRequestEnvelope): void {
    if (this.subscriber && this.subscriber.status !== 'ready') {
      // No reply could reach us: do not send a command whose answer would be lost.
      this.settle(envelope.id, { err: toWire(new ServiceUnavailableError('redis', 'down')), isDisposed: true });
      return;
    }
    const service = serviceOfPattern(envelope.pattern);
    const down = () => this.settle(envelope.id, { err: toWire(new ServiceUnavailableError(service, 'down')), isDisposed: true });
    this.commands!.pushIfAlive(rpcKeys.presence(service), rpcKeys.requests(service), Date.now(), JSON.stringify(envelope))
      .then((pushed) => {
        if (pushed === 0) down();
      })
      .catch(down);
  }

  protected dispatchEvent<T = unknown>(): Promise<T> {
    // Fire-and-forget events would be lost when no replica listens: durable work goes through BullMQ.
    return Promise.reject(new Error('RedisRpcClient carries commands only; use the job outbox for events'));
  }

  private onReply(message: string): void {
    const reply = JSON.parse(message) as RpcReplyEnvelope;
    this.settle(reply.id, reply);
  }

  private failPending(): void {
    const unavailable = toWire(new ServiceUnavailableError('redis', 'down'));
    for (const id of [...this.routingMap.keys()]) this.settle(id, { err: unavailable, isDisposed: true });
  }

  private settle(id: string, packet: WritePacket): void {
    const callback = this.routingMap.get(id);
    if (!callback) return;
    this.routingMap.delete(id);
    callback(packet);
  }
}
