import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@procura/config';
import { JOBS, notificationJobId, QUEUES, SendEmailJob, SendSmsJob } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { findFreePort, startSmtpCatcher, type SmtpCatcher } from '@procura/infra';
import { createLogger, JsonLogger } from '@procura/logging';
import { QueueRegistry } from '@procura/messaging';
import { sealSecret } from '@procura/security';
import { createScratchDatabase, readCaughtMail, waitFor } from '@procura/testing';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { DeliveryService } from '../../apps/notifications/src/delivery/delivery.service';
import { MessagesRepository } from '../../apps/notifications/src/messages/messages.repository';
import { NotificationsModule } from '../../apps/notifications/src/notifications.module';
import { readSmsOutbox } from '../../apps/notifications/src/providers/sms-provider';

/**
 * The notifications service in-process against the real PostgreSQL, Redis and SMTP
 * servers of the test run (plus its own SMTP catcher and HTTP SMS server where a test
 * breaks them): what arrives, what never arrives twice, where secrets may and may not be.
 */
const SECRETS_KEY = 'integration-secrets-key-0123456789';

interface Harness {
  app: INestApplicationContext;
  queues: QueueRegistry;
  prisma: PrismaService;
  logs: string[];
  dataDir: string;
  stop(): Promise<void>;
}

let databaseUrl = '';
let redisBase = '';

async function isolatedRedis(): Promise<string> {
  const counter = new Redis(process.env.REDIS_URL as string);
  const db = ((await counter.incr('procura:test:redis-db')) % 15) + 1;
  counter.disconnect();
  const url = new URL(process.env.REDIS_URL as string);
  url.pathname = `/${db}`;
  const flush = new Redis(url.toString());
  await flush.flushdb();
  flush.disconnect();
  return url.toString();
}

async function startNotifications(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = join(process.env.PROCURA_TEST_DIR as string, `notifications-${randomUUID()}`);
  const config = loadConfig('notifications', {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisBase,
    SECRETS_KEY,
    DATA_DIR: dataDir,
    SMS_PROVIDER: 'outbox',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await NestFactory.createApplicationContext(NotificationsModule.forRoot(config), {
    logger: new JsonLogger(createLogger('notifications', 'debug', sink)),
  });
  const queues = new QueueRegistry(config.redisUrl);
  const prisma = new PrismaService(config);
  return {
    app,
    queues,
    prisma,
    logs,
    dataDir,
    async stop() {
      await app.close();
      await queues.close();
      await prisma.$disconnect();
    },
  };
}

function welcome(overrides: Partial<SendEmailJob> = {}): SendEmailJob {
  const credentialId = randomUUID();
  return {
    eventKey: `welcome:${credentialId}`,
    companyId: randomUUID(),
    template: 'welcome-login-id',
    to: `jeanne.${credentialId.slice(0, 8)}@example.com`,
    language: 'fr',
    params: { firstName: 'Jeanne', lastName: 'Martin', loginId: '40512345678903', portalUrl: 'https://portal.example.com/login' },
    ...overrides,
  } as SendEmailJob; // overrides may make it malformed on purpose
}

function provisionalSms(password: string, overrides: Partial<SendSmsJob> = {}): SendSmsJob {
  return {
    eventKey: `provisional-password:${randomUUID()}`,
    companyId: randomUUID(),
    template: 'provisional-password',
    to: '+33612345678',
    language: 'fr',
    params: { expiresAt: '2026-11-26T14:00:00.000Z' },
    secrets: { provisionalPassword: sealSecret(password, SECRETS_KEY) },
    ...overrides,
  };
}

async function enqueue(
  h: Harness,
  job: typeof JOBS.sendEmail | typeof JOBS.sendSms,
  data: SendEmailJob | SendSmsJob,
  jobId = notificationJobId(data.eventKey),
): Promise<string> {
  await h.queues.add(job as typeof JOBS.sendEmail, jobId, data as SendEmailJob);
  return jobId;
}

async function messageRow(h: Harness, eventKey: string) {
  return h.prisma.message.findUnique({ where: { eventKey } });
}

function waitForStatus(h: Harness, eventKey: string, status: string, timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const row = await messageRow(h, eventKey);
      return row?.status === status ? row : undefined;
    },
    { timeoutMs, what: `message ${eventKey} ${status}` },
  );
}

/** The job once failed, read after the failure (a job read before it may show the old attempt count). */
function waitForFailedJob(h: Harness, jobId: string, timeoutMs = 10_000) {
  const queue = h.queues.get(QUEUES.notifications);
  return waitFor(async () => ((await queue.getJob(jobId).then((j) => j?.isFailed())) ? queue.getJob(jobId) : undefined), {
    timeoutMs,
    what: `job ${jobId} to fail`,
  });
}

async function mailsTo(address: string, dir?: string) {
  return (await readCaughtMail(dir)).filter((mail) => mail.to.includes(address));
}

beforeAll(async () => {
  databaseUrl = await createScratchDatabase('notif');
  redisBase = await isolatedRedis();
});

describe(DeliveryService.name, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotifications();
  });
  afterAll(async () => h?.stop());

  it('delivers the welcome e-mail to the right address with the login id and no password, in French by default', async () => {
    const job = welcome({ language: 'de' as 'fr' });
    await enqueue(h, JOBS.sendEmail, job);
    const row = await waitForStatus(h, job.eventKey, 'SENT');
    const [mail, ...others] = await mailsTo(job.to);
    expect(others).toHaveLength(0);
    expect(mail.headerTo).toEqual([job.to]);
    expect(mail.subject).toBe('Votre identifiant de connexion');
    expect(mail.text).toContain('40512345678903');
    expect(mail.html).toContain('40512345678903');
    expect(mail.text).not.toMatch(/mot de passe provisoire\s*:/i);
    expect(mail.headers['x-procura-template']).toBe('welcome-login-id');
    expect(row).toMatchObject({
      channel: 'EMAIL',
      template: 'welcome-login-id',
      attempts: 1,
      recipientMasked: expect.stringMatching(/^j\*\*\*[0-9a-f]@example\.com$/),
    });
    expect(row?.sentAt).toBeInstanceOf(Date);
  });

  it('writes the provisional password to the SMS outbox only: not in mail, logs, message log or job data', async () => {
    const password = `Pw-${randomUUID().slice(0, 8)}#9`;
    const sms = provisionalSms(password);
    const jobId = await enqueue(h, JOBS.sendSms, sms);
    const email = welcome({ companyId: sms.companyId });
    await enqueue(h, JOBS.sendEmail, email);
    await waitForStatus(h, sms.eventKey, 'SENT');
    await waitForStatus(h, email.eventKey, 'SENT');

    const outbox = await readSmsOutbox(join(h.dataDir, 'sms'));
    const mine = outbox.filter((entry) => entry.text.includes(password));
    expect(mine).toHaveLength(1);
    expect(mine[0].to).toBe('+33612345678');
    expect(mine[0].text.length).toBeLessThanOrEqual(160);
    expect((await stat(join(h.dataDir, 'sms'))).mode & 0o077).toBe(0);

    const everywhereElse = [
      JSON.stringify(await readCaughtMail()),
      h.logs.join('\n'),
      JSON.stringify(await h.prisma.message.findMany()),
      JSON.stringify((await h.queues.get(QUEUES.notifications).getJob(jobId))?.data),
    ];
    for (const text of everywhereElse) expect(text).not.toContain(password);
    // The sealed copy leaves Redis once the SMS is out.
    expect((await h.queues.get(QUEUES.notifications).getJob(jobId))?.data).not.toHaveProperty('secrets');
  });

  it('sends one message per event: a duplicated job and a re-run send nothing more; a resend is a new event', async () => {
    const job = welcome();
    await enqueue(h, JOBS.sendEmail, job);
    await enqueue(h, JOBS.sendEmail, job); // same job id: BullMQ keeps one
    await waitForStatus(h, job.eventKey, 'SENT');
    // A duplicate under another job id (a producer bug or a replay) finds the sent-log.
    const duplicateId = await enqueue(h, JOBS.sendEmail, job, `dup-${randomUUID()}`);
    const duplicate = await waitFor(
      async () => {
        const j = await h.queues.get(QUEUES.notifications).getJob(duplicateId);
        return j && (await j.isCompleted()) ? j : undefined;
      },
      { timeoutMs: 10_000, what: 'the duplicate to finish' },
    );
    expect(duplicate.returnvalue).toEqual({ result: 'already-sent' });
    expect(await mailsTo(job.to)).toHaveLength(1);

    const credentialId = job.eventKey.split(':')[1];
    const resend = { ...job, eventKey: `welcome:${credentialId}:resend:${randomUUID()}` };
    await enqueue(h, JOBS.sendEmail, resend);
    await waitForStatus(h, resend.eventKey, 'SENT');
    const mails = await mailsTo(job.to);
    expect(mails).toHaveLength(2);
    expect(mails.every((mail) => mail.text?.includes('40512345678903'))).toBe(true);
    expect(mails[0].messageId).not.toBe(mails[1].messageId);
  });

  it('claims an event once when its jobs run at the same instant (their claims share one grouped statement)', async () => {
    const messages = h.app.get(MessagesRepository);
    const job = welcome();
    const message = {
      eventKey: job.eventKey,
      companyId: job.companyId,
      channel: 'EMAIL' as const,
      template: job.template,
      recipientMasked: 'j***@example.com',
    };
    const others = Array.from({ length: 4 }, () => welcome());
    // Same event five times, mixed with four other events, all submitted in the same tick.
    const claims = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => messages.claim({ ...message, jobId: `dup-${i}` }, 60_000)),
      ...others.map((o) => messages.claim({ ...message, eventKey: o.eventKey, jobId: o.eventKey }, 60_000)),
    ]);
    expect(claims.slice(0, 5).filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.slice(0, 5).filter((c) => c.kind === 'in-flight')).toHaveLength(4);
    expect(claims.slice(5).every((c) => c.kind === 'claimed')).toBe(true);
    await Promise.all([job, ...others].map((j) => messages.markSent(j.eventKey, `<${j.eventKey}@test>`)));
    for (const j of [job, ...others]) expect((await messageRow(h, j.eventKey))?.status).toBe('SENT');
    expect((await messageRow(h, job.eventKey))?.attempts).toBe(1);
  });

  it('fails at once and visibly on an invalid payload or an unknown template', async () => {
    const unknown = welcome({ template: 'password-in-clear' as 'welcome-login-id' });
    const unknownId = await enqueue(h, JOBS.sendEmail, unknown);
    const invalidId = await enqueue(h, JOBS.sendEmail, { ...welcome(), to: 'not-an-address' }, `invalid-${randomUUID()}`);
    const queue = h.queues.get(QUEUES.notifications);
    for (const id of [unknownId, invalidId]) {
      const failed = await waitForFailedJob(h, id);
      expect(failed?.attemptsMade).toBe(1);
    }
    expect((await queue.getJob(invalidId))?.failedReason).toMatch(/invalid send-email job: to/);
    expect(await messageRow(h, unknown.eventKey)).toMatchObject({
      status: 'FAILED',
      lastError: expect.stringMatching(/unknown e-mail template/),
    });
    expect(await mailsTo(unknown.to)).toHaveLength(0);
  });

  it('never sends again a message whose previous attempt stopped between sending and recording: it ends FAILED, visible', async () => {
    const job = welcome();
    // The state a crash leaves: SENDING, its lease still running.
    await h.prisma.message.create({
      data: {
        id: randomUUID(),
        eventKey: job.eventKey,
        channel: 'EMAIL',
        template: job.template,
        recipientMasked: 'x',
        status: 'SENDING',
        attempts: 1,
        leaseExpiresAt: new Date(Date.now() + 1500),
      },
    });
    const jobId = await enqueue(h, JOBS.sendEmail, job);
    const queue = h.queues.get(QUEUES.notifications);
    // While the lease runs the job waits (delayed) without using its attempts.
    await waitFor(async () => (await queue.getJob(jobId))?.isDelayed(), { timeoutMs: 5_000, what: 'the job to wait for the lease' });
    const failed = await waitForFailedJob(h, jobId);
    expect(failed?.failedReason).toMatch(/OUTCOME_UNKNOWN/);
    expect(await messageRow(h, job.eventKey)).toMatchObject({ status: 'FAILED', lastError: expect.stringMatching(/^OUTCOME_UNKNOWN/) });
    expect(await mailsTo(job.to)).toHaveLength(0);
  });
});

describe('SMTP refusing connections for a while', () => {
  let h: Harness;
  let catcher: SmtpCatcher | undefined;
  let port = 0;
  let mailDir = '';

  beforeAll(async () => {
    port = await findFreePort();
    mailDir = join(process.env.PROCURA_TEST_DIR as string, `mail-${randomUUID()}`);
    h = await startNotifications({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await h?.stop();
    await catcher?.stop();
  });

  it('delivers every message once when the server comes back', async () => {
    const jobs = Array.from({ length: 6 }, () => welcome());
    for (const job of jobs) await enqueue(h, JOBS.sendEmail, job);
    // Nobody listens: every message fails its first attempt and waits to be retried.
    for (const job of jobs) await waitForStatus(h, job.eventKey, 'RETRYING');
    const row = await messageRow(h, jobs[0].eventKey);
    expect(row?.lastError).toMatch(/SMTP delivery failed \(ECONNECTION|ESOCKET/);

    catcher = await startSmtpCatcher({ dataDir: mailDir, smtpPort: port });
    for (const job of jobs) await waitForStatus(h, job.eventKey, 'SENT', 30_000);
    const caught = await readCaughtMail(mailDir);
    for (const job of jobs) expect(caught.filter((mail) => mail.to.includes(job.to))).toHaveLength(1);
    expect(caught).toHaveLength(jobs.length);
    const attempts = await h.prisma.message.findMany({ where: { eventKey: { in: jobs.map((j) => j.eventKey) } } });
    expect(attempts.every((m) => m.attempts >= 2)).toBe(true);
  }, 60_000);
});

describe('HTTP SMS provider', () => {
  let h: Harness;
  let server: Server;
  const received: Array<{ auth?: string; idempotencyKey?: string; body: { to: string; text: string; reference: string } }> = [];
  let answers: number[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = answers.shift() ?? 200;
        if (status === 200) {
          received.push({
            auth: req.headers.authorization,
            idempotencyKey: req.headers['idempotency-key'] as string,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          });
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? JSON.stringify({ id: `prov-${received.length}` }) : JSON.stringify({ error: 'nope' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    h = await startNotifications({
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: `http://127.0.0.1:${port}/sms`,
      SMS_HTTP_TOKEN: 'sms-provider-token',
    });
  });
  afterAll(async () => {
    await h?.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it('retries after a 500 and delivers once after the 200', async () => {
    answers = [500];
    const password = `Http-${randomUUID().slice(0, 6)}`;
    const sms = provisionalSms(password);
    await enqueue(h, JOBS.sendSms, sms);
    const row = await waitForStatus(h, sms.eventKey, 'SENT', 15_000);
    expect(row).toMatchObject({ attempts: 2, providerId: expect.stringMatching(/^prov-/) });
    const mine = received.filter((r) => r.body.text.includes(password));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ auth: 'Bearer sms-provider-token', body: { to: '+33612345678' } });
    expect(mine[0].idempotencyKey).toBe(mine[0].body.reference);
    expect(h.logs.join('\n')).not.toContain(password);
  });

  it('gives up at once on a 4xx', async () => {
    answers = [422];
    const sms = provisionalSms('Refused-1');
    const jobId = await enqueue(h, JOBS.sendSms, sms);
    const failed = await waitForFailedJob(h, jobId);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toBe('SMS provider refused the message (422)');
    expect(await messageRow(h, sms.eventKey)).toMatchObject({ status: 'FAILED', attempts: 1 });
  });
});
