import { loadConfig } from '@procura/config';
import { JOBS, QUEUES, type SendEmailJob } from '@procura/contracts';
import { PoolSql, PrismaService } from '@procura/database';
import { bullJobId, Outbox, OutboxRelay, QueueRegistry, SqlExecutor } from '@procura/messaging';
import { waitFor } from '@procura/testing';
import { randomUUID } from 'node:crypto';

/**
 * The transactional outbox on real PostgreSQL and Redis: jobs exist exactly when their
 * transaction committed, survive a crash before the relay, and are never duplicated.
 */
describe(OutboxRelay.name, () => {
  const config = loadConfig('identity', { ...process.env, REDIS_URL: `${process.env.REDIS_URL}/14` });
  let prisma: PrismaService;
  let queues: QueueRegistry;
  const outbox = new Outbox('identity');

  beforeAll(async () => {
    prisma = new PrismaService(config);
    queues = new QueueRegistry(config.redisUrl);
    await queues.get(QUEUES.notifications).obliterate({ force: true });
    await prisma.$executeRawUnsafe('DELETE FROM identity.outbox');
  });

  afterAll(async () => {
    await queues.close();
    await prisma.$disconnect();
  });

  const email = (eventKey: string): SendEmailJob => ({
    eventKey,
    template: 'welcome-login-id',
    to: 'a.b@example.com',
    language: 'fr',
    params: { firstName: 'Anne', lastName: 'Bernard', loginId: '40512345678903', portalUrl: 'https://portal.example.com/login' },
  });

  it('relays a committed job once, even when the relay runs again (crash after enqueue)', async () => {
    const jobId = `test-${randomUUID()}`;
    await prisma.$transaction((tx) => outbox.add(tx as unknown as SqlExecutor, JOBS.sendEmail, jobId, email(jobId)));
    // Nothing is in the queue until a relay runs: this is the state a crash right after the commit leaves.
    expect(await queues.get(QUEUES.notifications).getJob(jobId)).toBeUndefined();

    const relay = new OutboxRelay(prisma, queues, 'identity', 50);
    expect(await relay.relayOnce()).toBe(1);
    const job = await queues.get(QUEUES.notifications).getJob(jobId);
    expect(job?.name).toBe('send-email');
    expect(job?.data).toMatchObject({ eventKey: jobId });

    // Simulate a crash between the enqueue and the marking: un-mark the row and relay again.
    await prisma.$executeRawUnsafe('UPDATE identity.outbox SET dispatched_at = NULL WHERE job_id = $1', jobId);
    expect(await relay.relayOnce()).toBe(1);
    expect(await queues.get(QUEUES.notifications).getJobCountByTypes('waiting', 'delayed', 'active', 'completed', 'failed')).toBe(1);
  });

  it('relays a job whose business key contains colons', async () => {
    const eventKey = `welcome:${randomUUID()}:resend:${randomUUID()}`;
    await prisma.$transaction((tx) => outbox.add(tx as unknown as SqlExecutor, JOBS.sendEmail, eventKey, email(eventKey)));
    const relay = new OutboxRelay(prisma, queues, 'identity', 50);
    expect(await relay.relayOnce()).toBe(1);
    const job = await queues.get(QUEUES.notifications).getJob(eventKey.replace(/:/g, '.'));
    expect(job?.data).toMatchObject({ eventKey });
  });

  it('enqueues nothing for a transaction that rolled back', async () => {
    const jobId = `rollback-${randomUUID()}`;
    await expect(
      prisma.$transaction(async (tx) => {
        await outbox.add(tx as unknown as SqlExecutor, JOBS.sendEmail, jobId, email(jobId));
        throw new Error('business rule broken');
      }),
    ).rejects.toThrow('business rule broken');
    const relay = new OutboxRelay(prisma, queues, 'identity', 50);
    await relay.relayOnce();
    expect(await queues.get(QUEUES.notifications).getJob(jobId)).toBeUndefined();
  });

  it('keeps rows when Redis is unreachable and relays them once it is back', async () => {
    const jobId = `redis-down-${randomUUID()}`;
    await prisma.$transaction((tx) => outbox.add(tx as unknown as SqlExecutor, JOBS.sendEmail, jobId, email(jobId)));
    const unreachable = new QueueRegistry('redis://127.0.0.1:1');
    const failing = new OutboxRelay(prisma, unreachable, 'identity', 50);
    const attempt = failing.relayOnce();
    await expect(
      Promise.race([attempt, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 1500))]),
    ).rejects.toThrow();
    await unreachable.close().catch(() => undefined);
    const pending = await prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      'SELECT count(*) AS n FROM identity.outbox WHERE job_id = $1 AND dispatched_at IS NULL',
      jobId,
    );
    expect(Number(pending[0].n)).toBe(1);

    const relay = new OutboxRelay(prisma, queues, 'identity', 50);
    relay.start();
    try {
      // The abandoned attempt may still hold the row (SKIP LOCKED) until its transaction ends:
      // seconds on a loaded machine.
      const job = await waitFor(() => queues.get(QUEUES.notifications).getJob(jobId), {
        timeoutMs: 45_000,
        what: 'the row to be relayed once Redis is back',
      });
      expect(job).toBeDefined();
    } finally {
      await relay.stop();
    }
  }, 90_000);

  it('relays over the pg pool (PoolSql, what the services run) like over Prisma, and rolls back a failed batch', async () => {
    const jobId = `pool-${randomUUID()}`;
    await prisma.$transaction((tx) => outbox.add(tx as unknown as SqlExecutor, JOBS.sendEmail, jobId, email(jobId)));
    const sql = new PoolSql(prisma.pool);
    // A batch that fails after reading its rows leaves them undispatched (the transaction rolled back).
    const failing = new OutboxRelay(
      sql,
      { get: () => ({ addBulk: () => Promise.reject(new Error('redis down')) }) } as unknown as QueueRegistry,
      'identity',
      50,
    );
    await expect(failing.relayOnce()).rejects.toThrow('redis down');
    const [row] = await prisma.$queryRawUnsafe<Array<{ dispatched_at: Date | null }>>(
      'SELECT dispatched_at FROM identity.outbox WHERE job_id = $1',
      jobId,
    );
    expect(row.dispatched_at).toBeNull();
    expect(await new OutboxRelay(sql, queues, 'identity', 50).relayOnce()).toBeGreaterThanOrEqual(1);
    expect((await queues.get(QUEUES.notifications).getJob(jobId))?.data).toMatchObject({ eventKey: jobId });
  });

  it('removes dispatched rows past the retention, and keeps recent and undispatched ones', async () => {
    const [old, recent, waiting] = ['old', 'recent', 'waiting'].map((k) => `purge-${k}-${randomUUID()}`);
    for (const jobId of [old, recent, waiting])
      await prisma.$transaction((tx) => outbox.add(tx as unknown as SqlExecutor, JOBS.sendEmail, jobId, email(jobId)));
    await prisma.$executeRawUnsafe(`UPDATE identity.outbox SET dispatched_at = now() - interval '2 hours' WHERE job_id = $1`, old);
    await prisma.$executeRawUnsafe(`UPDATE identity.outbox SET dispatched_at = now() - interval '30 minutes' WHERE job_id = $1`, recent);
    const relay = new OutboxRelay(prisma, queues, 'identity', 50, { retentionMs: 3600_000 });
    expect(await relay.purgeOnce()).toBeGreaterThanOrEqual(1);
    const left = await prisma.$queryRawUnsafe<Array<{ job_id: string }>>(
      'SELECT job_id FROM identity.outbox WHERE job_id = ANY($1::text[])',
      [old, recent, waiting],
    );
    expect(left.map((r) => r.job_id).sort()).toEqual([recent, waiting].sort());
  });
});

describe('outbox job ids', () => {
  it('stores business keys with colons under an id BullMQ accepts', () => {
    expect(bullJobId('welcome:abc:resend:def')).toBe('welcome.abc.resend.def');
  });
});
