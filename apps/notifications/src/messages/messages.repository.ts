import { Injectable } from '@nestjs/common';
import { GroupCommit, Message, PrismaService } from '@procura/database';
import { randomUUID } from 'node:crypto';

export interface NewMessage {
  eventKey: string;
  companyId?: string;
  channel: 'EMAIL' | 'SMS';
  template: string;
  recipientMasked: string;
  jobId?: string;
}

/** What the sent-log says about an event when an attempt wants to send it. */
export type ClaimResult =
  /** This attempt owns the send until the lease ends. */
  | { kind: 'claimed'; attempts: number }
  | { kind: 'already-sent' }
  /** Another attempt is (or may still be) talking to the provider. */
  | { kind: 'in-flight'; leaseEndsInMs: number }
  /** An attempt died between handing the message over and recording it: marked FAILED now. */
  | { kind: 'outcome-unknown' }
  /** Failed for good earlier: only an operator's retry releases it. */
  | { kind: 'failed' };

export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/** The `notifications.messages` table: one row per business event, the sent-log. */
@Injectable()
export class MessagesRepository {
  // The two writes every message makes (claim before sending, SENT after) are grouped
  // across the jobs running at once: one round trip and one commit for several messages.
  // They go straight to the pg pool Prisma uses (PrismaService.pool), without Prisma's
  // per-query work, as named prepared statements (planned once per connection).
  private readonly claims = new GroupCommit((calls: Array<{ message: NewMessage; leaseMs: number }>) => this.claimGroup(calls));
  private readonly sends = new GroupCommit((calls: Array<{ eventKey: string; providerId: string }>) => this.sentGroup(calls));

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Atomically takes the right to send: inserts the row as SENDING, or moves a RETRYING
   * row to SENDING. Any other state is reported, never overwritten; a SENDING row past
   * its lease is turned FAILED (outcome unknown) exactly once.
   */
  async claim(message: NewMessage, leaseMs: number): Promise<ClaimResult> {
    for (let round = 0; round < 3; round++) {
      const attempts = await this.claims.submit({ message, leaseMs });
      if (attempts !== null) return { kind: 'claimed', attempts };

      const [row] = await this.prisma.$queryRawUnsafe<Array<{ status: string; lease_ms: number | null }>>(
        `SELECT status::text AS status, (EXTRACT(EPOCH FROM (lease_expires_at - now())) * 1000)::float8 AS lease_ms
           FROM "notifications"."messages" WHERE event_key = $1`,
        message.eventKey,
      );
      if (!row) continue;
      if (row.status === 'SENT') return { kind: 'already-sent' };
      if (row.status === 'FAILED') return { kind: 'failed' };
      if (row.status === 'SENDING') {
        if (row.lease_ms !== null && row.lease_ms > 0) return { kind: 'in-flight', leaseEndsInMs: Math.ceil(row.lease_ms) };
        const expired = await this.prisma.$executeRawUnsafe(
          `UPDATE "notifications"."messages"
              SET status = 'FAILED', lease_expires_at = NULL, updated_at = now(),
                  last_error = '${OUTCOME_UNKNOWN}: the attempt stopped after handing the message to the provider and before recording the result. Check with the recipient, then retry the dead letter to send it again.'
            WHERE event_key = $1 AND status = 'SENDING' AND (lease_expires_at IS NULL OR lease_expires_at <= now())`,
          message.eventKey,
        );
        if (expired === 1) return { kind: 'outcome-unknown' };
      }
      // RETRYING (released meanwhile) or a concurrent change: look again.
    }
    return { kind: 'in-flight', leaseEndsInMs: 1000 };
  }

  async markSent(eventKey: string, providerId: string): Promise<void> {
    await this.sends.submit({ eventKey, providerId });
  }

  /**
   * The claims of the jobs running at once, in one statement (see GroupCommit): inserts
   * each row as SENDING, or moves a RETRYING row to SENDING. Answers the attempt number
   * of each claimed message, null for one not claimed. A second job for the same event
   * in the same group is not claimed: it finds the first one's SENDING row.
   */
  private async claimGroup(calls: Array<{ message: NewMessage; leaseMs: number }>): Promise<Array<number | null>> {
    const first = new Map<string, number>();
    calls.forEach((call, i) => first.has(call.message.eventKey) || first.set(call.message.eventKey, i));
    const rows = [...first.values()].map((i) => calls[i]);
    const { rows: claimed } = await this.prisma.pool.query<{ event_key: string; attempts: number }>({
      name: 'notifications.claim-group',
      text: `INSERT INTO "notifications"."messages"
         (id, event_key, company_id, channel, template, recipient_masked, status, attempts, job_id, lease_expires_at, created_at, updated_at)
       SELECT v.id, v.event_key, v.company_id, v.channel::"notifications"."MessageChannel", v.template, v.recipient_masked,
              'SENDING', 1, v.job_id, now() + v.lease_ms * interval '1 millisecond', now(), now()
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[])
              AS v(id, event_key, company_id, channel, template, recipient_masked, job_id, lease_ms)
       ON CONFLICT (event_key) DO UPDATE
         SET status = 'SENDING', attempts = "messages".attempts + 1, job_id = EXCLUDED.job_id,
             lease_expires_at = EXCLUDED.lease_expires_at, updated_at = now()
         WHERE "messages".status = 'RETRYING'
       RETURNING event_key, attempts`,
      values: [
        rows.map(() => randomUUID()),
        rows.map((c) => c.message.eventKey),
        rows.map((c) => c.message.companyId ?? null),
        rows.map((c) => c.message.channel),
        rows.map((c) => c.message.template),
        rows.map((c) => c.message.recipientMasked),
        rows.map((c) => c.message.jobId ?? null),
        rows.map((c) => c.leaseMs),
      ],
    });
    const attempts = new Map(claimed.map((row) => [row.event_key, row.attempts]));
    return calls.map((call, i) => (first.get(call.message.eventKey) === i ? (attempts.get(call.message.eventKey) ?? null) : null));
  }

  /** The SENT marks of the jobs finishing at once, in one statement (see GroupCommit). */
  private async sentGroup(calls: Array<{ eventKey: string; providerId: string }>): Promise<void[]> {
    await this.prisma.pool.query({
      name: 'notifications.sent-group',
      text: `UPDATE "notifications"."messages" AS m
          SET status = 'SENT', sent_at = now(), provider_id = v.provider_id, last_error = NULL, lease_expires_at = NULL, updated_at = now()
         FROM unnest($1::text[], $2::text[]) AS v(event_key, provider_id)
        WHERE m.event_key = v.event_key AND m.status = 'SENDING'`,
      values: [calls.map((c) => c.eventKey), calls.map((c) => c.providerId)],
    });
    return calls.map(() => undefined);
  }

  /** After an attempt that did not deliver: RETRYING (the job tries again) or FAILED (given up). */
  async markUndelivered(eventKey: string, status: 'RETRYING' | 'FAILED', reason: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE "notifications"."messages"
          SET status = $2::"notifications"."MessageStatus", last_error = $3, lease_expires_at = NULL, updated_at = now()
        WHERE event_key = $1 AND status = 'SENDING'`,
      eventKey,
      status,
      reason,
    );
  }

  /** A message refused before any attempt (unknown template, bad params): visible in the log as FAILED. */
  async recordRejected(message: NewMessage, reason: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `INSERT INTO "notifications"."messages"
         (id, event_key, company_id, channel, template, recipient_masked, status, attempts, job_id, last_error, created_at, updated_at)
       VALUES ($1::uuid, $2, $3::uuid, $4::"notifications"."MessageChannel", $5, $6, 'FAILED', 0, $7, $8, now(), now())
       ON CONFLICT (event_key) DO UPDATE SET status = 'FAILED', last_error = EXCLUDED.last_error, updated_at = now()
         WHERE "messages".status = 'RETRYING'`,
      randomUUID(),
      message.eventKey,
      message.companyId ?? null,
      message.channel,
      message.template,
      message.recipientMasked,
      message.jobId ?? null,
      reason,
    );
  }

  /** An operator retries a dead letter: the failed message may be sent again. */
  async releaseFailed(eventKey: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE "notifications"."messages" SET status = 'RETRYING', updated_at = now() WHERE event_key = $1 AND status = 'FAILED'`,
      eventKey,
    );
  }

  findByEventKey(eventKey: string): Promise<Message | null> {
    return this.prisma.message.findUnique({ where: { eventKey } });
  }

  async pageByCompany(companyId: string, skip: number, take: number): Promise<[Message[], number]> {
    const where = { companyId };
    return Promise.all([
      this.prisma.message.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.message.count({ where }),
    ]);
  }
}
