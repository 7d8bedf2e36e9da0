import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './ports';
import { redisPing, startRedis } from './redis.launcher';
import type { RunningService } from './running-service';

describe('startRedis', () => {
  let dir: string;
  const started: RunningService[] = [];

  beforeEach(async () => {
    // Inside the run's directory when there is one: an aborted run then leaves nothing behind.
    dir = await mkdtemp(join(process.env.PROCURA_TEST_DIR ?? tmpdir(), 'procura-redis-spec-'));
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  async function start(port: number): Promise<RunningService> {
    const service = await startRedis({ dataDir: join(dir, 'redis'), port });
    started.push(service);
    return service;
  }

  it('starts a server that answers PING on 127.0.0.1, and stops it', async () => {
    const port = await findFreePort();
    const redis = await start(port);
    expect(redis.url).toBe(`redis://127.0.0.1:${port}`);

    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }

    await redis.stop();
    expect(await redisPing(port, 500)).toMatch(/ECONNREFUSED/);
  });

  it('keeps data across a restart on the same data directory', async () => {
    const first = await start(await findFreePort());
    const writer = new Redis(first.url, { lazyConnect: true });
    await writer.connect();
    await writer.set('procura:persist', 'still here');
    writer.disconnect();
    await first.stop();

    const second = await start(await findFreePort());
    const reader = new Redis(second.url, { lazyConnect: true });
    await reader.connect();
    try {
      expect(await reader.get('procura:persist')).toBe('still here');
    } finally {
      reader.disconnect();
    }
  });

  it('explains how to install redis-server when no binary can be found', async () => {
    const port = await findFreePort();
    await expect(startRedis({ dataDir: dir, port, searchPath: join(dir, 'empty-bin') })).rejects.toThrow(
      /redis-server was not found on PATH\. .*apt-get install -y redis-server.*REDIS_URL/,
    );
    await expect(startRedis({ dataDir: dir, port, redisServerBin: join(dir, 'no-such-redis-server') })).rejects.toThrow(
      /no-such-redis-server does not exist or is not executable\. .*apt-get install -y redis-server.*REDIS_URL/,
    );
  });

  it('names the port when it is already taken', async () => {
    const redis = await start(await findFreePort());
    const port = Number(new URL(redis.url).port);
    await expect(startRedis({ dataDir: join(dir, 'other'), port })).rejects.toThrow(
      new RegExp(`Redis cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
    );
  });
});
