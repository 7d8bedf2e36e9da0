import { Injectable } from '@nestjs/common';
import { EdiCode, EdiSignature, Prisma, PrismaService, Tx } from '@procura/database';

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

  updateSignature(tx: Tx, id: string, data: Prisma.EdiSignatureUncheckedUpdateInput): Promise<EdiSignature> {
    return tx.ediSignature.update({ where: { id }, data });
  }
}
