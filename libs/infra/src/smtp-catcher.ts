import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { CaughtMailWriter, clearCaughtMail, readCaughtMail, type CaughtMail } from './caught-mail.store';
import { handleOutboxRequest } from './outbox.page';
import { LOCAL_HOST, PortInUseError, assertPortFree, errorMessage, isErrnoException } from './ports';
import type { RunningService } from './running-service';

export interface SmtpCatcherOptions {
  dataDir: string;
  smtpPort: number;
  /** Serves the outbox page when given. */
  httpPort?: number;
  log?: (line: string) => void;
  /** Largest accepted message; defaults to 25 MiB. */
  maxMessageBytes?: number;
}

export interface SmtpCatcher extends RunningService {
  /** `smtp://127.0.0.1:PORT`, no auth, no TLS. */
  url: string;
  /** The outbox page, when an HTTP port was given. */
  outboxUrl?: string;
  dataDir: string;
  /** Every stored message, read back from disk, newest last. */
  messages(): Promise<CaughtMail[]>;
  /** The first stored message matching `predicate`, polling until `timeoutMs`. */
  waitFor(predicate: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  clear(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };

function smtpError(message: string, responseCode: number): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

function addressOf(address: SMTPServerAddress | false): string | null {
  return address ? address.address : null;
}

export async function startSmtpCatcher(opts: SmtpCatcherOptions): Promise<SmtpCatcher> {
  const dataDir = resolvePath(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  await assertPortFree('SMTP catcher', opts.smtpPort);
  if (opts.httpPort !== undefined) await assertPortFree('SMTP catcher outbox page', opts.httpPort);

  const writer = new CaughtMailWriter(dataDir);
  const smtp = new SMTPServer({
    name: 'procura-smtp-catcher',
    banner: 'Procura SMTP catcher: every message is kept, none is delivered',
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    // No DNS round trip per connection: everything is local.
    disableReverseLookup: true,
    size: opts.maxMessageBytes ?? 25 * 1024 * 1024,
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError('Message exceeds the size limit', 552));
        const raw = Buffer.concat(chunks);
        const envelope = { mailFrom: addressOf(session.envelope.mailFrom), rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address) };
        simpleParser(raw)
          .then((parsed) => writer.write(raw, parsed, envelope))
          .then((mail) => {
            opts.log?.(`caught mail ${mail.id} to ${mail.to.join(', ')}: ${mail.subject}`);
            callback();
          })
          .catch((error: unknown) => callback(smtpError(`Cannot store the message: ${errorMessage(error)}`, 451)));
      });
    },
  });
  smtp.on('error', (error) => opts.log?.(`smtp catcher: ${error.message}`));
  await listen('SMTP catcher', opts.smtpPort, (port, onListening) => smtp.listen(port, LOCAL_HOST, onListening), smtp.server);

  let http: HttpServer | undefined;
  if (opts.httpPort !== undefined) {
    const server = createHttpServer((req, res) => {
      handleOutboxRequest(req, res, () => readCaughtMail(dataDir)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`Outbox error: ${errorMessage(error)}`);
      });
    });
    try {
      await listen('SMTP catcher outbox page', opts.httpPort, (port, onListening) => server.listen(port, LOCAL_HOST, onListening), server);
    } catch (error) {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      throw error;
    }
    http = server;
  }

  const messages = (): Promise<CaughtMail[]> => readCaughtMail(dataDir);
  let stopping: Promise<void> | undefined;

  return {
    name: 'smtp-catcher',
    url: `smtp://${LOCAL_HOST}:${opts.smtpPort}`,
    outboxUrl: opts.httpPort !== undefined ? `http://${LOCAL_HOST}:${opts.httpPort}/` : undefined,
    dataDir,
    messages,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await messages();
        const found = all.find(predicate);
        if (found) return found;
        if (Date.now() >= deadline) {
          const seen = all.map((mail) => `  - to ${mail.to.join(', ')}: ${mail.subject}`).join('\n') || '  (none)';
          throw new Error(`No caught mail matched within ${timeoutMs} ms. Messages in ${dataDir}:\n${seen}`);
        }
        await sleep(50);
      }
    },
    clear: () => clearCaughtMail(dataDir),
    stop() {
      stopping ??= Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        http ? closeHttp(http) : Promise.resolve(),
      ]).then(() => undefined);
      return stopping;
    },
  };
}

/** Binds, turning EADDRINUSE (lost race since the port check) into the usual message. */
function listen(
  service: string,
  port: number,
  start: (port: number, onListening: () => void) => void,
  server: {
    once(event: 'error', listener: (error: Error) => void): unknown;
    off(event: 'error', listener: (error: Error) => void): unknown;
  },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(isErrnoException(error) && error.code === 'EADDRINUSE' ? new PortInUseError(service, port) : error);
    server.once('error', onError);
    start(port, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
