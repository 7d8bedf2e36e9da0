// Checks what the Jest global setup hands to every test: a migrated database, Redis,
// an SMTP server whose mail is readable from SMTP_CATCHER_DIR, and UTC.
import { Redis } from 'ioredis';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { readCaughtMail, waitForMail } from './mail';
import { TEMPLATE_DATABASE, createScratchDatabase } from './scratch-database';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the Jest global setup configured?`);
  return value;
}

describe('test infrastructure from the global setup', () => {
  it('runs in UTC with a run directory', () => {
    expect(process.env.TZ).toBe('UTC');
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(0);
    expect(env('PROCURA_TEST_DIR')).toMatch(/procura-test-/);
  });

  it('provides a migrated database and an admin URL on the same server', async () => {
    const client = new Client({ connectionString: env('DATABASE_URL') });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; applied: number }>(
        'SELECT current_database() AS db, (SELECT count(*)::int FROM _prisma_migrations WHERE finished_at IS NOT NULL) AS applied',
      );
      expect(rows[0].db).toBe('procura_test');
      expect(rows[0].applied).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    expect(new URL(env('PG_ADMIN_URL')).pathname).toBe('/postgres');
    expect(new URL(env('PG_ADMIN_URL')).host).toBe(new URL(env('DATABASE_URL')).host);
  });

  it('copies scratch databases from a closed template, even while the shared database has sessions open', async () => {
    // PostgreSQL refuses to copy a database in use; copying DATABASE_URL failed whenever a
    // parallel test file was connected to it.
    const busy = new Client({ connectionString: env('DATABASE_URL') });
    await busy.connect();
    try {
      const urls = await Promise.all([createScratchDatabase('infra'), createScratchDatabase('infra')]);
      expect(new Set(urls).size).toBe(2);
      const scratch = new Client({ connectionString: urls[0] });
      await scratch.connect();
      try {
        const { rows } = await scratch.query<{ applied: number }>(
          'SELECT count(*)::int AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL',
        );
        expect(rows[0].applied).toBeGreaterThan(0);
      } finally {
        await scratch.end();
      }
    } finally {
      await busy.end();
    }
    const template = new Client({ connectionString: new URL(`/${TEMPLATE_DATABASE}`, env('PG_ADMIN_URL')).toString() });
    await expect(template.connect()).rejects.toThrow(/not currently accepting connections/);
  });

  it('provides Redis', async () => {
    const redis = new Redis(env('REDIS_URL'), { lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  (process.env.SMTP_CATCHER_DIR ? it : it.skip)('catches mail sent to SMTP_URL where readCaughtMail finds it', async () => {
    const subject = `infra check ${process.pid}-${Date.now()}`;
    const transport = createTransport({ url: env('SMTP_URL') });
    try {
      await transport.sendMail({ from: 'no-reply@procura.test', to: 'infra@example.test', subject, text: 'hello' });
    } finally {
      transport.close();
    }
    const mail = await waitForMail((m) => m.subject === subject, { timeoutMs: 5000 });
    expect(mail.to).toEqual(['infra@example.test']);
    expect(mail.text?.trim()).toBe('hello');
    expect((await readCaughtMail()).map((m) => m.id)).toContain(mail.id);
  });
});
