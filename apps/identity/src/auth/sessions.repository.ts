import { Injectable } from '@nestjs/common';
import { IdentityRefreshToken, IdentitySession, PrismaService, Tx } from '@procura/database';

/** A company user's new session: their credential, as the user of one company. */
interface NewUserSession {
  id: string;
  credentialId: string;
  userId: string;
  companyId: string;
  sourceIp?: string;
  expiresAt: Date;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async createSession(
    tx: Tx,
    /** `secondFactor`: the sign-in gave a TOTP code (or the session it replaces did). */
    session: NewUserSession & { secondFactor?: boolean },
  ): Promise<void> {
    await tx.identitySession.create({
      data: { ...session, sourceIp: session.sourceIp ?? null, secondFactor: session.secondFactor ?? false },
    });
  }

  /** An operator's session: no user, no company; the operator holds their credential. */
  async createOperatorSession(
    tx: Tx,
    session: { id: string; operatorId: string; sourceIp?: string; expiresAt: Date; awaitingTotp: boolean },
  ): Promise<void> {
    await tx.identitySession.create({
      data: { ...session, credentialId: session.operatorId, userId: null, companyId: null, sourceIp: session.sourceIp ?? null },
    });
  }

  async addRefreshToken(tx: Tx, token: { tokenHash: string; sessionId: string; expiresAt: Date }): Promise<void> {
    await tx.identityRefreshToken.create({ data: token });
  }

  /**
   * The sign-in write in one statement (one round trip, atomic): the session, its first
   * refresh token and the audit event's outbox row.
   */
  async openSessionWithAudit(
    session: NewUserSession & { awaitingTotp: boolean },
    refreshTokenHash: string,
    audit: { id: string; queue: string; jobName: string; jobId: string; payload: string },
  ): Promise<void> {
    // A named prepared statement on the pool Prisma uses: planned once per connection.
    await this.prisma.pool.query({
      name: 'identity.open-session',
      text: `WITH s AS (
         INSERT INTO "identity"."sessions" (id, credential_id, user_id, company_id, source_ip, expires_at, awaiting_totp)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::timestamptz, $13) RETURNING id
       ), r AS (
         INSERT INTO "identity"."refresh_tokens" (token_hash, session_id, expires_at) SELECT $7, id, $6::timestamptz FROM s RETURNING token_hash
       )
       INSERT INTO "identity"."outbox" (id, queue, job_name, job_id, payload) SELECT $8::uuid, $9, $10, $11, $12::jsonb FROM r`,
      values: [
        session.id,
        session.credentialId,
        session.userId,
        session.companyId,
        session.sourceIp ?? null,
        session.expiresAt,
        refreshTokenHash,
        audit.id,
        audit.queue,
        audit.jobName,
        audit.jobId,
        audit.payload,
        session.awaitingTotp,
      ],
    });
  }

  findSession(id: string): Promise<IdentitySession | null> {
    return this.prisma.identitySession.findUnique({ where: { id } });
  }

  findRefreshToken(tokenHash: string): Promise<IdentityRefreshToken | null> {
    return this.prisma.identityRefreshToken.findUnique({ where: { tokenHash } });
  }

  /** Marks a refresh token used; false when another request used it first. */
  async useRefreshToken(tx: Tx, tokenHash: string, now: Date): Promise<boolean> {
    const { count } = await tx.identityRefreshToken.updateMany({ where: { tokenHash, usedAt: null }, data: { usedAt: now } });
    return count === 1;
  }
}
