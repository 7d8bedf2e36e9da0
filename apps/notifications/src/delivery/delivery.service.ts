import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { EmailTemplate, SmsTemplate } from '@procura/contracts';
import { PermanentJobError } from '@procura/messaging';
import { openSecret } from '@procura/security';
import { createHash } from 'node:crypto';
import { ClaimResult, MessagesRepository, NewMessage } from '../messages/messages.repository';
import { maskEmail, maskPhone } from '../messages/recipient-mask';
import { PermanentDeliveryError, shortReason, TransientDeliveryError } from '../providers/delivery-errors';
import { MailSender } from '../providers/mail-sender';
import { SmsProvider } from '../providers/sms-provider';
import { checkTemplateInput, languageOf, renderEmail, renderSms, TemplateError } from '../templates/message-templates';
import { parseJob, SendEmailJobDto, SendSmsJobDto } from './job-payloads';

/** Where a job stands with BullMQ, for deciding between "retry" and "give up". */
export interface AttemptContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
}

export type DeliveryOutcome =
  | { result: 'sent'; providerId: string }
  | { result: 'already-sent' }
  /** Already failed for good; the dead letter of the first job is where an operator retries it. */
  | { result: 'already-failed' }
  /** Another attempt may still be sending: try again when its lease ends (does not use an attempt). */
  | { result: 'deferred'; delayMs: number };

/**
 * Exactly one message per business event. The `messages` row keyed by eventKey is the
 * sent-log: claimed (SENDING, with a lease) before the provider is called, marked SENT
 * after. A retried or duplicated job finds SENT and sends nothing.
 *
 * The crash window: a process that dies after the provider accepted the message and
 * before SENT is written leaves a SENDING row. Nobody can tell whether the recipient got
 * it, so the message is not sent again automatically (a second provisional password or
 * EDI code in circulation is worse for a bank than a visible failure): once the lease
 * (longer than any provider call can take) has run out, the next attempt marks it FAILED
 * with OUTCOME_UNKNOWN and the job becomes a dead letter. An operator checks with the
 * recipient and retries it, which sends it again.
 */
@Injectable()
export class DeliveryService {
  /** Longer than the slowest provider call (SMTP timeouts 10 + 10 + 30 s, HTTP 10 s). */
  static readonly LEASE_MS = 90_000;
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly messages: MessagesRepository,
    private readonly mail: MailSender,
    private readonly sms: SmsProvider,
  ) {}

  async deliverEmail(data: unknown, ctx: AttemptContext): Promise<DeliveryOutcome> {
    const job = parseJob(SendEmailJobDto, data);
    const message: NewMessage = {
      eventKey: job.eventKey,
      companyId: job.companyId,
      channel: 'EMAIL',
      template: job.template,
      recipientMasked: maskEmail(job.to),
      jobId: ctx.jobId,
    };
    return this.deliver(job, message, ctx, async (secrets) => {
      const language = languageOf(job.language);
      const rendered = renderEmail(job.template as EmailTemplate, language, job.params, secrets);
      return this.mail.send({
        to: job.to,
        ...rendered,
        messageId: `<${createHash('sha256').update(job.eventKey).digest('hex').slice(0, 32)}@procura>`,
        headers: { 'X-Procura-Template': job.template, 'Auto-Submitted': 'auto-generated' },
      });
    });
  }

  async deliverSms(data: unknown, ctx: AttemptContext): Promise<DeliveryOutcome> {
    const job = parseJob(SendSmsJobDto, data);
    const message: NewMessage = {
      eventKey: job.eventKey,
      companyId: job.companyId,
      channel: 'SMS',
      template: job.template,
      recipientMasked: maskPhone(job.to),
      jobId: ctx.jobId,
    };
    return this.deliver(job, message, ctx, async (secrets) => {
      const text = renderSms(job.template as SmsTemplate, languageOf(job.language), job.params, secrets);
      return this.sms.send({ to: job.to, text, reference: createHash('sha256').update(job.eventKey).digest('hex').slice(0, 32) });
    });
  }

  private async deliver(
    job: SendEmailJobDto | SendSmsJobDto,
    message: NewMessage,
    ctx: AttemptContext,
    send: (secrets: Record<string, string>) => Promise<{ providerId: string }>,
  ): Promise<DeliveryOutcome> {
    try {
      checkTemplateInput(job.template, message.channel, job.params, Object.keys(job.secrets ?? {}));
    } catch (error) {
      const reason = error instanceof TemplateError ? error.message : 'invalid template input';
      await this.messages.recordRejected(message, shortReason(reason));
      throw new PermanentJobError(reason);
    }

    const claim: ClaimResult = await this.messages.claim(message, DeliveryService.LEASE_MS);
    switch (claim.kind) {
      case 'already-sent':
        this.logger.log({ msg: 'message already sent, nothing to do', eventKey: job.eventKey, template: job.template });
        return { result: 'already-sent' };
      case 'failed':
        this.logger.warn({ msg: 'message already failed, waiting for an operator retry', eventKey: job.eventKey, template: job.template });
        return { result: 'already-failed' };
      case 'in-flight':
        return { result: 'deferred', delayMs: claim.leaseEndsInMs + 500 };
      case 'outcome-unknown':
        this.logger.error({
          msg: 'delivery outcome unknown: not sending again automatically',
          eventKey: job.eventKey,
          template: job.template,
        });
        throw new PermanentJobError(
          'OUTCOME_UNKNOWN: a previous attempt stopped between sending and recording; check with the recipient, then retry',
        );
      case 'claimed':
        break;
    }

    let secrets: Record<string, string>;
    try {
      secrets = Object.fromEntries(
        Object.entries(job.secrets ?? {}).map(([name, value]) => [name, openSecret(value, this.config.secretsKey)]),
      );
    } catch {
      // Sealed with another key or altered: no retry can open it.
      await this.messages.markUndelivered(job.eventKey, 'FAILED', 'a sealed secret cannot be opened (wrong SECRETS_KEY or altered)');
      throw new PermanentJobError('a sealed secret cannot be opened');
    }

    let providerId: string;
    try {
      ({ providerId } = await send(secrets));
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const reason = shortReason(
        error instanceof TransientDeliveryError || permanent
          ? error.message
          : `unexpected error (${error instanceof Error ? error.name : 'unknown'})`,
      );
      const last = permanent || ctx.attempt >= ctx.maxAttempts;
      await this.messages.markUndelivered(job.eventKey, last ? 'FAILED' : 'RETRYING', reason);
      this.logger.warn({
        msg: last ? 'message not delivered, given up' : 'message not delivered, will retry',
        eventKey: job.eventKey,
        template: job.template,
        attempt: ctx.attempt,
        reason,
      });
      if (permanent) throw new PermanentJobError(reason);
      throw new TransientDeliveryError(reason);
    }

    await this.recordSent(job.eventKey, providerId);
    this.logger.log({
      msg: 'message sent',
      eventKey: job.eventKey,
      channel: message.channel,
      template: job.template,
      to: message.recipientMasked,
    });
    return { result: 'sent', providerId };
  }

  /**
   * The message is out: recording it must not be lost to a database blip, or the next
   * attempt would see an unfinished send. A few quick tries before giving up to the lease.
   */
  private async recordSent(eventKey: string, providerId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.messages.markSent(eventKey, providerId);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}
