import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressObject, ParsedMail } from 'mailparser';

/** One message caught by the SMTP catcher, as stored in `<dir>/<stamp>-<id>.json`. */
export interface CaughtMail {
  id: string;
  /** ISO time the catcher received it. */
  receivedAt: string;
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** The From header as text, e.g. `Procura <no-reply@procura.test>`. */
  from: string;
  fromAddress: string | null;
  /** Every recipient the message was delivered to (SMTP envelope, so Bcc included). */
  to: string[];
  /** Addresses of the To header only. */
  headerTo: string[];
  cc: string[];
  subject: string;
  /** The Date header, ISO. */
  date: string | null;
  messageId: string | null;
  text: string | null;
  html: string | null;
  /** Lower-cased names: message-id, in-reply-to, references, reply-to, list-unsubscribe, auto-submitted and every x-*. */
  headers: Record<string, string>;
  attachments: CaughtAttachment[];
  /** File name of the raw message, beside the JSON. */
  eml: string;
  /** Absolute path of the raw message (set when read back). */
  emlPath: string;
}

export interface CaughtAttachment {
  filename: string | null;
  contentType: string;
  size: number;
}

export interface MailEnvelope {
  mailFrom: string | null;
  rcptTo: string[];
}

const INTERESTING_HEADERS = new Set(['message-id', 'in-reply-to', 'references', 'reply-to', 'list-unsubscribe', 'auto-submitted']);
const MAIL_FILE = /^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f]{12}\.(eml|json)$/;
export const MAIL_ID = /^[0-9a-f]{12}$/;

/** Messages stored in `dir`, oldest first; a missing directory holds none. */
export async function readCaughtMail(dir: string): Promise<CaughtMail[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const jsonFiles = names.filter((name) => MAIL_FILE.test(name) && name.endsWith('.json')).sort();
  const mails = await Promise.all(
    jsonFiles.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8').catch((error: unknown) => {
        // Removed by a concurrent clear() since the listing.
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (text === undefined) return [];
      const stored = JSON.parse(text) as Omit<CaughtMail, 'emlPath'>;
      return [{ ...stored, emlPath: join(dir, stored.eml) }];
    }),
  );
  return mails.flat();
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

export async function clearCaughtMail(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => MAIL_FILE.test(name)).map((name) => rm(join(dir, name), { force: true })));
}

export class CaughtMailWriter {
  private lastStamp = 0;

  constructor(private readonly dir: string) {}

  /** Writes the raw message, then the JSON atomically: a reader never sees half a message. */
  async write(raw: Buffer, parsed: ParsedMail, envelope: MailEnvelope): Promise<CaughtMail> {
    await mkdir(this.dir, { recursive: true });
    // Strictly increasing stamps keep file-name order equal to arrival order.
    const stamp = Math.max(Date.now(), this.lastStamp + 1);
    this.lastStamp = stamp;
    const id = randomBytes(6).toString('hex');
    const base = `${new Date(stamp).toISOString().replace(/[:.]/g, '-')}-${id}`;
    const mail: CaughtMail = {
      id,
      receivedAt: new Date(stamp).toISOString(),
      envelope,
      from: parsed.from?.text ?? envelope.mailFrom ?? '',
      fromAddress: parsed.from?.value[0]?.address || envelope.mailFrom,
      to: envelope.rcptTo,
      headerTo: addresses(parsed.to),
      cc: addresses(parsed.cc),
      subject: parsed.subject ?? '',
      date: parsed.date ? parsed.date.toISOString() : null,
      messageId: parsed.messageId ?? null,
      text: parsed.text ?? null,
      html: parsed.html || null,
      headers: interestingHeaders(parsed),
      attachments: parsed.attachments.map((attachment) => ({
        filename: attachment.filename ?? null,
        contentType: attachment.contentType,
        size: attachment.size,
      })),
      eml: `${base}.eml`,
      emlPath: join(this.dir, `${base}.eml`),
    };
    await writeFile(join(this.dir, mail.eml), raw);
    const { emlPath: _absolute, ...stored } = mail;
    const jsonPath = join(this.dir, `${base}.json`);
    await writeFile(`${jsonPath}.tmp`, JSON.stringify(stored, null, 2));
    await rename(`${jsonPath}.tmp`, jsonPath);
    return mail;
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((object) => object.value.flatMap((entry) => [entry, ...(entry.group ?? [])]))
    .map((entry) => entry.address)
    .filter((address): address is string => Boolean(address));
}

function interestingHeaders(parsed: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (!INTERESTING_HEADERS.has(key) && !key.startsWith('x-')) continue;
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}
