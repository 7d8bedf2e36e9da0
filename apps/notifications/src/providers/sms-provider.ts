import { AppConfig } from '@procura/config';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentDeliveryError, TransientDeliveryError } from './delivery-errors';

export interface OutgoingSms {
  /** E.164 number. */
  to: string;
  text: string;
  /** Stable per business event; providers that honour it drop duplicates. */
  reference: string;
}

/** Where SMS go: chosen by SMS_PROVIDER (`http` in production, `outbox` in development and tests). */
export abstract class SmsProvider {
  abstract readonly name: string;
  /** Throws TransientDeliveryError (retry) or PermanentDeliveryError (give up). */
  abstract send(sms: OutgoingSms): Promise<{ providerId: string }>;
}

export function createSmsProvider(config: AppConfig): SmsProvider {
  if (config.smsProvider === 'http') {
    if (!config.smsHttpUrl) throw new Error('SMS_HTTP_URL is required when SMS_PROVIDER=http');
    return new HttpSmsProvider({ url: config.smsHttpUrl, token: config.smsHttpToken });
  }
  return new OutboxSmsProvider(smsOutboxDir(config));
}

/** Where the development outbox writes SMS: `<DATA_DIR>/sms`. */
export function smsOutboxDir(config: AppConfig): string {
  return join(config.dataDir, 'sms');
}

export interface HttpSmsOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
  /**
   * The JSON body sent, as a template: every string value equal to `{{to}}`, `{{text}}`
   * or `{{reference}}` is replaced by that value (nested objects allowed), so any
   * provider's shape can be produced. Default `{"to":"{{to}}","text":"{{text}}","reference":"{{reference}}"}`.
   */
  bodyTemplate?: unknown;
}

const DEFAULT_BODY = { to: '{{to}}', text: '{{text}}', reference: '{{reference}}' };

/**
 * A generic HTTP SMS gateway: POST JSON with a bearer token and an Idempotency-Key.
 * 2xx accepted; 5xx, 429, timeouts and network errors retried; other 4xx refused for
 * good. Response bodies are never read into errors (a provider may echo the text).
 */
export class HttpSmsProvider extends SmsProvider {
  readonly name = 'http';
  private readonly timeoutMs: number;
  private readonly bodyTemplate: unknown;

  constructor(private readonly options: HttpSmsOptions) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.bodyTemplate = options.bodyTemplate ?? DEFAULT_BODY;
  }

  async send(sms: OutgoingSms): Promise<{ providerId: string }> {
    let res: Response;
    try {
      res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': sms.reference,
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify(fillTemplate(this.bodyTemplate, sms)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new TransientDeliveryError(
        `SMS provider unreachable (${name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (cause ?? name)})`,
      );
    }
    if (res.status >= 200 && res.status < 300) {
      const body = (await res.json().catch(() => undefined)) as { id?: unknown; messageId?: unknown } | undefined;
      const id = body?.id ?? body?.messageId;
      return { providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : sms.reference };
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 500 || res.status === 429 || res.status === 408)
      throw new TransientDeliveryError(`SMS provider answered ${res.status}`);
    throw new PermanentDeliveryError(`SMS provider refused the message (${res.status})`);
  }
}

export function fillTemplate(template: unknown, sms: OutgoingSms): unknown {
  if (typeof template === 'string') {
    if (template === '{{to}}') return sms.to;
    if (template === '{{text}}') return sms.text;
    if (template === '{{reference}}') return sms.reference;
    return template;
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, sms));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillTemplate(value, sms)]));
  }
  return template;
}

/** One SMS as the development outbox stores it. */
export interface OutboxSms {
  to: string;
  text: string;
  reference: string;
  createdAt: string;
}

/**
 * Development and tests: each SMS becomes `<dir>/<time>-<id>.json`, readable by the
 * developer only (0600 in a 0700 directory), written atomically. This is the one place
 * where a provisional password is meant to be readable, as it would be on the phone.
 */
export class OutboxSmsProvider extends SmsProvider {
  readonly name = 'outbox';

  constructor(readonly dir: string) {
    super();
  }

  async send(sms: OutgoingSms): Promise<{ providerId: string }> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}`;
      const file = join(this.dir, `${id}.json`);
      const stored: OutboxSms = { to: sms.to, text: sms.text, reference: sms.reference, createdAt: new Date().toISOString() };
      await writeFile(`${file}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 });
      await chmod(`${file}.tmp`, 0o600);
      await rename(`${file}.tmp`, file);
      return { providerId: id };
    } catch (error) {
      throw new TransientDeliveryError(`SMS outbox not writable (${(error as { code?: string }).code ?? 'error'})`);
    }
  }
}

/** Every SMS in a development outbox, oldest first (tests and developers read it). */
export async function readSmsOutbox(dir: string): Promise<OutboxSms[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((name) => name.endsWith('.json')).sort();
  return Promise.all(files.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxSms));
}
