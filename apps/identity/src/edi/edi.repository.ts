import { Injectable } from '@nestjs/common';
import { EdiCode, EdiSignature, Prisma, PrismaService, Tx } from '@procura/database';

export interface DueReminder {
  signatureId: string;
  companyId: string;
  validUntil: Date;
  firstName: string;
  email: string;
  language: string;
}

@Injectable()
export class EdiRepository {
  constructor(private readonly prisma: PrismaService) {}

  async createCode(tx: Tx, data: Prisma.EdiCodeUncheckedCreateInput, now: Date): Promise<EdiCode> {
    // A new code replaces any code of the user still waiting: only the latest one works.
    await tx.ediCode.updateMany({ where: { userId: data.userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    return tx.ediCode.create({ data });
  }

  latestUsableCode(userId: string, now: Date): Promise<EdiCode | null> {
    return this.prisma.ediCode.findFirst({ where: { userId, usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
  }

  async codeFailure(id: string, maxFailures: number, now: Date): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE "identity"."edi_codes" SET failures = failures + 1, expires_at = CASE WHEN failures + 1 >= $2 THEN $3::timestamptz ELSE expires_at END WHERE id = $1::uuid`,
      id,
      maxFailures,
      now,
    );
  }

  /** Single use: false when the code was used (or replaced) meanwhile. */
  async useCode(tx: Tx, id: string, now: Date): Promise<boolean> {
    const { count } = await tx.ediCode.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    return count === 1;
  }

  async revokeActiveSignatures(tx: Tx, userId: string, now: Date): Promise<void> {
    await tx.ediSignature.updateMany({ where: { userId, status: 'ACTIVE' }, data: { status: 'REVOKED', revokedAt: now } });
  }

  createSignature(tx: Tx, data: Prisma.EdiSignatureUncheckedCreateInput): Promise<EdiSignature> {
    return tx.ediSignature.create({ data });
  }

  findSignature(id: string): Promise<EdiSignature | null> {
    return this.prisma.ediSignature.findUnique({ where: { id } });
  }

  listSignatures(userId: string): Promise<EdiSignature[]> {
    return this.prisma.ediSignature.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  async signatureFailure(id: string, maxFailures: number, lockUntil: Date): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ locked: boolean }>>(
      `UPDATE "identity"."edi_signatures"
          SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
        WHERE id = $1::uuid
        RETURNING (locked_until = $3::timestamptz) AS locked`,
      id,
      maxFailures,
      lockUntil,
    );
    return rows[0]?.locked === true;
  }

  async signatureSuccess(id: string): Promise<void> {
    await this.prisma.ediSignature.updateMany({ where: { id, failedAttempts: { gt: 0 } }, data: { failedAttempts: 0 } });
  }

  /**
   * Claims, in `tx`, up to `limit` signatures of active users that expire within the lead
   * time and were not reminded yet, marking them reminded. Rows another replica is
   * claiming are skipped, so each signature is claimed once, with its owner to remind.
   */
  claimDueReminders(tx: Tx, now: Date, expiringBy: Date, limit: number): Promise<DueReminder[]> {
    return tx.$queryRaw<DueReminder[]>`
      WITH due AS (
        SELECT s.id FROM "identity"."edi_signatures" s JOIN "identity"."users" u ON u.id = s.user_id
         WHERE s.status = 'ACTIVE' AND s.expiry_reminder_sent_at IS NULL AND u.status = 'ACTIVE'
           AND s.valid_until > ${now} AND s.valid_until <= ${expiringBy}
         ORDER BY s.valid_until
         LIMIT ${limit}
           FOR UPDATE OF s SKIP LOCKED)
      UPDATE "identity"."edi_signatures" s SET expiry_reminder_sent_at = ${now}
        FROM due, "identity"."users" u
       WHERE s.id = due.id AND u.id = s.user_id
      RETURNING s.id AS "signatureId", s.company_id AS "companyId", s.valid_until AS "validUntil",
                u.first_name AS "firstName", u.email, u.language`;
  }

  updateSignature(tx: Tx, id: string, data: Prisma.EdiSignatureUncheckedUpdateInput): Promise<EdiSignature> {
    return tx.ediSignature.update({ where: { id }, data });
  }
}
