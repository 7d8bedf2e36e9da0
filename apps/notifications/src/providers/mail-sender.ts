import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createTransport, type Transporter } from 'nodemailer';
import { PermanentDeliveryError, TransientDeliveryError } from './delivery-errors';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per business event: the same event always carries the same Message-ID. */
  messageId: string;
  headers?: Record<string, string>;
}

/** Transport settings shared by the service and the benchmark's direct baseline. */
export function smtpTransportOptions(smtpUrl: string): Record<string, unknown> {
  return {
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 500,
    // Bounded: a send never outlives the message's SENDING lease (DeliveryService.LEASE_MS).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // TLS comes from the URL: smtps:// (implicit TLS) or smtp://host:587?requireTLS=true (STARTTLS required).
    tls: { minVersion: 'TLSv1.2' },
  };
}

/**
 * E-mail through SMTP with nodemailer, over a pool of reused connections. Knows how
 * SMTP fails: a 5xx reply refuses the message for good; a 4xx reply, a refused or lost
 * connection, a timeout or an authentication problem may pass, so they are retried.
 */
@Injectable()
export class MailSender implements OnApplicationShutdown {
  private readonly logger = new Logger(MailSender.name);
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig) {
    if (!config.smtpUrl) throw new Error('SMTP_URL is required by the notifications service');
    const url = new URL(config.smtpUrl);
    const tls = url.protocol === 'smtps:' || /requireTLS=true/i.test(url.search);
    if (!tls && config.nodeEnv === 'production' && !['127.0.0.1', 'localhost', '::1'].includes(url.hostname)) {
      this.logger.warn('SMTP_URL sends mail without TLS: use smtps:// or ?requireTLS=true');
    }
    this.transport = createTransport(smtpTransportOptions(config.smtpUrl));
  }

  async send(mail: OutgoingEmail): Promise<{ providerId: string }> {
    try {
      const info = (await this.transport.sendMail({
        from: this.config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      })) as { messageId?: string; response?: string };
      return { providerId: info.messageId ?? mail.messageId };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.transport.close();
  }
}

export function classifySmtpError(error: unknown): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: string; responseCode?: number; command?: string };
  const what = [e.code, e.responseCode, e.command].filter((part) => part !== undefined).join(' ') || 'unknown error';
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.code !== 'EAUTH') {
    return new PermanentDeliveryError(`SMTP server refused the message (${what})`);
  }
  return new TransientDeliveryError(`SMTP delivery failed (${what})`);
}
