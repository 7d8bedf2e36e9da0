import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Transactions } from '@procura/database';
import { SweepLoop } from '@procura/messaging';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { EdiRepository } from './edi.repository';

const BATCH = 50;
const DAY_MS = 24 * 3600_000;

/**
 * Seed 004, rule 9 of issue 17: the owner of an EDI signature is e-mailed once,
 * `EDI_SIGNATURE_REMINDER_DAYS` (30) before it expires. A sweep rather than a delayed job
 * per signature: the row itself says whether the reminder went (marked in the same
 * transaction as the e-mail's outbox row, so it goes exactly once), a signature created
 * already inside the lead time is reminded at the next sweep, and a changed lead time
 * applies to every signature. Replicas may sweep together: claims skip locked rows.
 */
@Injectable()
export class EdiExpiryReminders implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EdiExpiryReminders.name);
  private readonly loop: SweepLoop;

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly edi: EdiRepository,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
  ) {
    this.loop = new SweepLoop({
      what: 'EDI reminder',
      everyMs: config.ediSignatureReminderSweepSeconds * 1000,
      batch: BATCH,
      sweep: () => this.sweep(),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One sweep; returns how many reminders it queued. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const expiringBy = new Date(now.getTime() + this.config.ediSignatureReminderDays * DAY_MS);
    const queued = await this.transactions.run(async (tx) => {
      const due = await this.edi.claimDueReminders(tx, now, expiringBy, BATCH);
      for (const reminder of due)
        await this.events.email(tx, {
          eventKey: `edi-signature-expiring:${reminder.signatureId}`,
          companyId: reminder.companyId,
          template: 'edi-signature-expiring',
          to: reminder.email,
          language: IdentityEvents.language(reminder.language),
          params: { firstName: reminder.firstName, validUntil: reminder.validUntil.toISOString(), portalUrl: this.config.publicUrl },
        });
      return due.length;
    });
    if (queued > 0) {
      this.relay.nudge();
      this.logger.log({ msg: 'EDI signature expiry reminders queued', count: queued });
    }
    return queued;
  }
}
