import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { readCaughtMail, type CaughtMail } from './caught-mail.store';
import { findFreePorts } from './ports';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher';

describe('startSmtpCatcher', () => {
  let dir: string;
  let catcher: SmtpCatcher;

  beforeEach(async () => {
    // Inside the run's directory when there is one: an aborted run then leaves nothing behind.
    dir = await mkdtemp(join(process.env.PROCURA_TEST_DIR ?? tmpdir(), 'procura-smtp-spec-'));
    const [smtpPort, httpPort] = await findFreePorts(2);
    catcher = await startSmtpCatcher({ dataDir: dir, smtpPort, httpPort });
  });

  afterEach(async () => {
    await catcher.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function send(subject: string, extra: { bcc?: string } = {}): Promise<void> {
    const transport = createTransport({ url: catcher.url });
    try {
      await transport.sendMail({
        from: 'Procura <no-reply@procura.test>',
        to: 'Alice Martin <alice@example.test>',
        subject,
        text: `Plain body of ${subject}`,
        html: `<p>HTML body of <b>${subject.replace(/</g, '&lt;')}</b></p>`,
        headers: { 'X-Procura-Template': 'welcome' },
        ...extra,
      });
    } finally {
      transport.close();
    }
  }

  it('stores each message as .eml and .json and reads them back, newest last', async () => {
    expect(catcher.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    await send('First', { bcc: 'audit@example.test' });
    await send('Second');

    const mails = await catcher.messages();
    expect(mails.map((mail) => mail.subject)).toEqual(['First', 'Second']);
    const [first] = mails;
    expect(first).toMatchObject<Partial<CaughtMail>>({
      from: '"Procura" <no-reply@procura.test>',
      fromAddress: 'no-reply@procura.test',
      to: ['alice@example.test', 'audit@example.test'],
      headerTo: ['alice@example.test'],
      text: 'Plain body of First',
      html: '<p>HTML body of <b>First</b></p>',
      headers: expect.objectContaining({ 'x-procura-template': 'welcome' }),
    });
    expect(first.eml).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{12}\.eml$/);
    expect(await readFile(first.emlPath, 'utf8')).toMatch(/^Subject: First$/m);
    // Same format for readers in other processes (tests read SMTP_CATCHER_DIR).
    expect(await readCaughtMail(dir)).toEqual(mails);
  });

  it('waits for a matching message and reports what arrived when none matches', async () => {
    const waiting = catcher.waitFor((mail) => mail.subject === 'Awaited', 5000);
    await send('Awaited');
    expect((await waiting).to).toEqual(['alice@example.test']);
    await expect(catcher.waitFor((mail) => mail.subject === 'Never', 200)).rejects.toThrow(
      /No caught mail matched within 200 ms[\s\S]*alice@example\.test: Awaited/,
    );
  });

  it('lists messages on the outbox page with their subject escaped, and serves each part', async () => {
    const subject = '<script>alert("x")</script> & co';
    await send(subject);
    const [mail] = await catcher.messages();
    expect(mail.subject).toBe(subject);

    const page = await fetch(catcher.outboxUrl as string);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<script>');
    expect(html).toContain(`href="/messages/${mail.id}"`);
    expect(html).toContain('alice@example.test');

    const view = await (await fetch(new URL(`/messages/${mail.id}`, catcher.outboxUrl))).text();
    expect(view).not.toContain('<script>');
    expect(view).toContain(`Plain body of &lt;script&gt;`);
    expect(view).toContain(`src="/messages/${mail.id}/html"`);

    const htmlPart = await fetch(new URL(`/messages/${mail.id}/html`, catcher.outboxUrl));
    expect(htmlPart.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(await htmlPart.text()).toBe(mail.html);

    const raw = await (await fetch(new URL(`/messages/${mail.id}.eml`, catcher.outboxUrl))).text();
    expect(raw).toBe(await readFile(mail.emlPath, 'utf8'));

    const api = (await (await fetch(new URL('/api/messages', catcher.outboxUrl))).json()) as CaughtMail[];
    expect(api.map((entry) => entry.id)).toEqual([mail.id]);
    expect((await fetch(new URL('/messages/ffffffffffff', catcher.outboxUrl))).status).toBe(404);
  });

  it('keeps messages across a restart, and clear() removes them', async () => {
    await send('Kept');
    const { smtpPort, httpPort } = {
      smtpPort: Number(new URL(catcher.url).port),
      httpPort: Number(new URL(catcher.outboxUrl as string).port),
    };
    await catcher.stop();
    catcher = await startSmtpCatcher({ dataDir: dir, smtpPort, httpPort });

    expect((await catcher.messages()).map((mail) => mail.subject)).toEqual(['Kept']);
    await catcher.clear();
    expect(await catcher.messages()).toEqual([]);
  });

  it('names the port when it is already taken', async () => {
    const port = Number(new URL(catcher.url).port);
    await expect(startSmtpCatcher({ dataDir: dir, smtpPort: port })).rejects.toThrow(
      new RegExp(`SMTP catcher cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
    );
  });
});
