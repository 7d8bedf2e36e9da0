import { JOBS, notificationJobId, QUEUES, SendEmailJob } from '@procura/contracts';
import { QueueRegistry } from '@procura/messaging';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { NOTIFICATION_CONCURRENCY } from '../apps/notifications/src/delivery/notification-jobs.processor';
import { smtpTransportOptions } from '../apps/notifications/src/providers/mail-sender';
import { renderEmail } from '../apps/notifications/src/templates/message-templates';
import { Benchmark, BenchEnv, BenchFigure, cpuMs, load, spawnService } from './bench-kit';

const MAILS = 1000;
const ROUNDS = 2;

function welcomeJob(i: number, run: string): SendEmailJob {
  return {
    eventKey: `bench:${run}:${i}`,
    companyId: '00000000-0000-4000-8000-000000000001',
    template: 'welcome-login-id',
    to: `user${i}.${run}@example.com`,
    language: 'fr',
    params: { firstName: 'Jeanne', lastName: `Martin${i}`, loginId: '40512345678903', portalUrl: 'https://portal.example.com/login' },
  };
}

/** nodemailer straight to the SMTP server: same transport settings, same content, same concurrency as the worker. */
async function direct(env: BenchEnv, run: string): Promise<number> {
  const transport = createTransport(smtpTransportOptions(env.smtpUrl));
  try {
    const { seconds } = await load(MAILS, NOTIFICATION_CONCURRENCY, async (i) => {
      const job = welcomeJob(i, run);
      const mail = renderEmail('welcome-login-id', 'fr', job.params, {});
      await transport.sendMail({
        from: 'Procura <no-reply@procura.local>',
        to: job.to,
        ...mail,
        headers: { 'X-Procura-Template': job.template },
      });
    });
    return MAILS / seconds;
  } finally {
    transport.close();
  }
}

function startService(env: BenchEnv): Promise<ChildProcess> {
  const child = spawnService('notifications', { ...env.env, LOG_LEVEL: 'info', INSTANCE_ID: 'notifications-bench' }, [
    'ignore',
    'pipe',
    'pipe',
  ]);
  return new Promise((resolveReady, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`notifications did not start: ${output.slice(-2000)}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('notifications service ready')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolveReady(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`notifications exited (${code}): ${output.slice(-2000)}`)));
  });
}

/**
 * Enqueue MAILS jobs at once, then wait until every message is SENT in the sent-log. The
 * end is the last message's sent_at, read from the sent-log itself: polling rarely (the
 * SMTP server being measured runs in this process) costs no precision.
 */
async function throughQueue(env: BenchEnv, queues: QueueRegistry, db: Client, run: string): Promise<number> {
  const jobs = Array.from({ length: MAILS }, (_, i) => welcomeJob(i, run));
  const started = Date.now();
  for (let i = 0; i < jobs.length; i += 200) {
    await queues
      .get(QUEUES.notifications)
      .addBulk(
        jobs.slice(i, i + 200).map((job) => ({ name: JOBS.sendEmail.name, data: job, opts: { jobId: notificationJobId(job.eventKey) } })),
      );
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const { rows } = await db.query<{ n: string; last: number | null }>(
      `SELECT count(*) AS n, (EXTRACT(EPOCH FROM max(sent_at)) * 1000)::float8 AS last
         FROM notifications.messages WHERE event_key LIKE $1 AND status = 'SENT'`,
      [`bench:${run}:%`],
    );
    if (Number(rows[0].n) >= MAILS) return MAILS / ((rows[0].last! - started) / 1000);
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${MAILS} sent after 120 s`);
  }
}

export const benchmark: Benchmark = {
  name: 'notifications: e-mails per second through the queue vs nodemailer direct',
  async run(env: BenchEnv): Promise<BenchFigure[]> {
    const service = await startService(env);
    const queues = new QueueRegistry(env.redisUrl);
    const db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    try {
      // Warm both paths (connections, JIT) before measuring.
      await direct(env, `warm-${randomUUID().slice(0, 6)}`);
      await throughQueue(env, queues, db, `warm-${randomUUID().slice(0, 6)}`);
      const directRates: number[] = [];
      const queueRates: number[] = [];
      const cpuPerMail: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        directRates.push(await direct(env, `d${round}-${randomUUID().slice(0, 6)}`));
        const cpuBefore = cpuMs(service.pid!);
        queueRates.push(await throughQueue(env, queues, db, `q${round}-${randomUUID().slice(0, 6)}`));
        cpuPerMail.push((cpuMs(service.pid!) - cpuBefore) / MAILS);
      }
      const baseline = Math.max(...directRates);
      const value = Math.max(...queueRates);
      return [
        {
          metric: `e-mails/s through BullMQ + sent-log (${MAILS} jobs)`,
          value,
          unit: 'mail/s',
          baseline: { label: `nodemailer direct, same pool and concurrency ${NOTIFICATION_CONCURRENCY}`, value: baseline },
          target: '≥ 70 % of direct',
          met: value >= 0.7 * baseline,
        },
        { metric: 'rounds: queue (mail/s)', value: queueRates.reduce((a, b) => a + b, 0) / queueRates.length, unit: 'mail/s' },
        { metric: 'notifications service CPU per e-mail', value: Math.min(...cpuPerMail), unit: 'ms' },
        { metric: 'rounds: direct (mail/s)', value: directRates.reduce((a, b) => a + b, 0) / directRates.length, unit: 'mail/s' },
      ];
    } finally {
      await queues.close();
      await db.end();
      await new Promise<void>((done) => {
        service.once('exit', () => done());
        service.kill('SIGTERM');
      });
    }
  },
};
