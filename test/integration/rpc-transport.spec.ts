// The RPC transport on a real Redis: a RedisRpcServer with plain handlers, called through
// CommandBus (RedisRpcClient.request) and through Nest's ClientProxy.send.
import { LoggerService } from '@nestjs/common';
import { CommandContract } from '@procura/contracts';
import { DomainError, NotFoundError } from '@procura/errors';
import { CommandBus, RedisRpcClient, RedisRpcServer, rpcKeys } from '@procura/messaging';
import { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';

const echo: CommandContract<{ text: string }, { text: string; by: string }> = { service: 'identity', pattern: 'identity.test.echo' };
const missing: CommandContract<{ id: string }, never> = { service: 'identity', pattern: 'identity.test.missing' };
const slow: CommandContract<{ ms: number }, { slept: number }> = { service: 'identity', pattern: 'identity.test.slow' };
const downService: CommandContract<Record<string, never>, never> = { service: 'reporting', pattern: 'reporting.test.anything' };

async function isolatedRedis(): Promise<string> {
  const counter = new Redis(process.env.REDIS_URL as string);
  const db = ((await counter.incr('procura:test:redis-db')) % 15) + 1;
  counter.disconnect();
  const url = `${process.env.REDIS_URL}/${db}`;
  const flush = new Redis(url);
  await flush.flushdb();
  flush.disconnect();
  return url;
}

/** Keeps the servers' log lines for assertions, and the test output quiet. */
const warnings: unknown[] = [];
const infos: unknown[] = [];
const quietLogger: LoggerService = {
  log: (m: unknown) => void infos.push(m),
  debug: () => undefined,
  warn: (m: unknown) => void warnings.push(m),
  error: (m: unknown) => void warnings.push(m),
};

async function startReplica(redisUrl: string, instanceId: string, executions: string[]): Promise<RedisRpcServer> {
  const server = new RedisRpcServer({ service: 'identity', instanceId, redisUrl, logger: quietLogger, presenceTtlMs: 600 });
  server.addHandler(echo.pattern, async (data: { text: string }) => {
    executions.push(`${instanceId}:${data.text}`);
    return { text: data.text, by: instanceId };
  });
  server.addHandler(missing.pattern, async (data: { id: string }) => {
    throw new NotFoundError(`Thing ${data.id}`);
  });
  server.addHandler(slow.pattern, async (data: { ms: number }) => {
    await new Promise((r) => setTimeout(r, data.ms));
    executions.push(`${instanceId}:slow`);
    return { slept: data.ms };
  });
  await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
  return server;
}

describe('RPC transport over Redis', () => {
  let redisUrl: string;
  let client: RedisRpcClient;
  let bus: CommandBus;
  const executions: string[] = [];
  const replicas: RedisRpcServer[] = [];

  beforeAll(async () => {
    redisUrl = await isolatedRedis();
    replicas.push(await startReplica(redisUrl, 'identity-a', executions), await startReplica(redisUrl, 'identity-b', executions));
    client = new RedisRpcClient(redisUrl);
    await client.connect();
    bus = new CommandBus(client, 2000);
  });

  afterAll(async () => {
    await client.close();
    await Promise.all(replicas.map((r) => r.close()));
  });

  const pendingCalls = () => (client as unknown as { routingMap: Map<string, unknown> }).routingMap.size;

  it('answers each command once, from one of the competing replicas', async () => {
    executions.length = 0;
    const texts = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const replies = await Promise.all(texts.map((text) => bus.execute(echo, { text })));
    expect(replies.map((r) => r.text)).toEqual(texts);
    expect(replies.every((r) => r.by === 'identity-a' || r.by === 'identity-b')).toBe(true);
    // Every command ran exactly once over both replicas.
    expect(executions.map((e) => e.split(':')[1]).sort()).toEqual([...texts].sort());
    expect(pendingCalls()).toBe(0);
  });

  it("hands the service's domain error to the caller with its code, status and message", async () => {
    const error = await bus.execute(missing, { id: '42' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'Thing 42 not found' });
    expect(pendingCalls()).toBe(0);
    // A refusal is the command doing its job: logged at info, never as a warning (npm start printed 94 of them).
    expect(warnings).not.toContainEqual(expect.objectContaining({ pattern: missing.pattern }));
    expect(infos).toContainEqual(expect.objectContaining({ msg: 'command refused', pattern: missing.pattern, status: 404 }));
  });

  it('reports a service with no live replica as down at once, not after the deadline', async () => {
    const began = Date.now();
    const error = await bus.execute(downService, {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      message: 'The reporting service is not running',
      extra: { service: 'reporting' },
    });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(pendingCalls()).toBe(0);
  });

  it('gives up at the deadline with SERVICE_UNAVAILABLE (timeout) and forgets the call, ignoring a late reply', async () => {
    const began = Date.now();
    const error = await bus.execute(slow, { ms: 600 }, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, message: 'The identity service did not answer in time' });
    expect(pendingCalls()).toBe(0);
    // The late reply arrives and is dropped without effect; the client keeps working.
    await new Promise((r) => setTimeout(r, 700));
    await expect(bus.execute(echo, { text: 'after' })).resolves.toMatchObject({ text: 'after' });
  });

  it('drops a request whose caller had already given up instead of executing it late', async () => {
    executions.length = 0;
    await Promise.all(replicas.map((r) => r.close()));
    replicas.length = 0;
    // A replica that counts as alive but does not consume (stopped mid-way): the request waits
    // in the list past its deadline.
    const redis = new Redis(redisUrl);
    await redis.zadd(rpcKeys.presence('identity'), Date.now() + 60_000, 'identity-stalled');
    try {
      const error = await bus.execute(echo, { text: 'stale' }, { timeoutMs: 100 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'The identity service did not answer in time' });
      expect(await redis.llen(rpcKeys.requests('identity'))).toBe(1);
      replicas.push(await startReplica(redisUrl, 'identity-c', executions));
      await expect(bus.execute(echo, { text: 'fresh' })).resolves.toMatchObject({ by: 'identity-c' });
      expect(executions).toEqual(['identity-c:fresh']);
      expect(warnings).toContainEqual({ msg: 'dropped a request whose caller had already given up', pattern: echo.pattern });
      expect(await redis.llen(rpcKeys.requests('identity'))).toBe(0);
    } finally {
      await redis.zrem(rpcKeys.presence('identity'), 'identity-stalled');
      redis.disconnect();
    }
  });

  it("still serves Nest's ClientProxy.send on the same client", async () => {
    const reply = await firstValueFrom(
      client.send(echo.pattern, { payload: { text: 'nest' }, meta: { requestId: 'req-1', deadline: Date.now() + 2000 } }),
    );
    expect(reply).toMatchObject({ text: 'nest' });
    expect(pendingCalls()).toBe(0);
  });
});
