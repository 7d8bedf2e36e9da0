import { Injectable } from '@nestjs/common';
import { Company, Credential, Prisma, PrismaService, Tx, User } from '@procura/database';
import { randomUUID } from 'node:crypto';

import { PASSWORD_HISTORY_DEPTH } from './password-policy';

export type CredentialWithOwner = Credential & { user: User & { company: Company } };

/** What sign-in needs of a credential, its user and company: read in one query. */
export type LoginCandidate = Pick<
  Credential,
  | 'id'
  | 'userId'
  | 'companyId'
  | 'loginId'
  | 'status'
  | 'validUntil'
  | 'passwordHash'
  | 'passwordIsProvisional'
  | 'provisionalExpiresAt'
  | 'failedAttempts'
  | 'lockedUntil'
  | 'totpEnrolledAt'
> & { user: Pick<User, 'id' | 'companyId' | 'status' | 'clientType'> & { company: Pick<Company, 'requireStrongAuth' | 'signInWith'> } };

@Injectable()
export class CredentialsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string, tx: Tx | PrismaService = this.prisma): Promise<Credential | null> {
    return tx.credential.findUnique({ where: { id } });
  }

  findWithOwner(id: string, tx: Tx | PrismaService = this.prisma): Promise<CredentialWithOwner | null> {
    return tx.credential.findUnique({ where: { id }, include: { user: { include: { company: true } } } });
  }

  /** The credential a sign-in with this login id is about. */
  findLoginCandidate(loginId: string): Promise<LoginCandidate | null> {
    return this.loginCandidate('identity.login-candidate', 'c.login_id = $1', loginId);
  }

  /**
   * The credential a sign-in with this e-mail is about (seed 003). The e-mail names a person,
   * who may be a user of several companies: the membership of a company that signs in with
   * the e-mail, usable ones first, then the person's first membership (the company that
   * registered them, the billed company of seed 003), then its active credential, else its
   * latest (whose refusal then says why). The person switches company once signed in.
   */
  findLoginCandidateByEmail(email: string): Promise<LoginCandidate | null> {
    return this.loginCandidate(
      'identity.login-candidate-by-email',
      `u.email = $1
        ORDER BY (co.sign_in_with = 'EMAIL') DESC, (u.status = 'ACTIVE' AND c.status = 'ACTIVE') DESC, u.created_at ASC, u.id ASC,
                 (c.status = 'ACTIVE') DESC, c.created_at DESC
        LIMIT 1`,
      email,
    );
  }

  private async loginCandidate(statementName: string, where: string, value: string): Promise<LoginCandidate | null> {
    // Straight to the pool (PrismaService.pool) as a named prepared statement: planned once
    // per connection; the sign-in path is measured against argon2 alone.
    const { rows } = await this.prisma.pool.query<Record<string, unknown>>({
      name: statementName,
      text: `SELECT c.id, c.user_id, c.company_id, c.login_id, c.status::text AS status, c.valid_until, c.password_hash, c.password_is_provisional,
              c.provisional_expires_at, c.failed_attempts, c.locked_until, c.totp_enrolled_at,
              u.status::text AS user_status, u.client_type::text AS client_type, co.require_strong_auth, co.sign_in_with::text AS sign_in_with
         FROM "identity"."credentials" c
         JOIN "identity"."users" u ON u.id = c.user_id
         JOIN "identity"."companies" co ON co.id = u.company_id
        WHERE ${where}`,
      values: [value],
    });
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      userId: r.user_id as string,
      companyId: r.company_id as string,
      loginId: r.login_id as string,
      status: r.status as Credential['status'],
      validUntil: (r.valid_until as Date | null) ?? null,
      passwordHash: r.password_hash as string,
      passwordIsProvisional: r.password_is_provisional as boolean,
      provisionalExpiresAt: (r.provisional_expires_at as Date | null) ?? null,
      failedAttempts: Number(r.failed_attempts),
      lockedUntil: (r.locked_until as Date | null) ?? null,
      totpEnrolledAt: (r.totp_enrolled_at as Date | null) ?? null,
      user: {
        id: r.user_id as string,
        companyId: r.company_id as string,
        status: r.user_status as User['status'],
        clientType: r.client_type as User['clientType'],
        company: { requireStrongAuth: r.require_strong_auth as boolean, signInWith: r.sign_in_with as Company['signInWith'] },
      },
    };
  }

  loginIdTaken(tx: Tx, loginId: string): Promise<boolean> {
    return tx.credential.findUnique({ where: { loginId }, select: { id: true } }).then((c) => c !== null);
  }

  /** The user's credential that is not revoked (a user has at most one). */
  findCurrentForUser(userId: string, tx: Tx | PrismaService = this.prisma): Promise<Credential | null> {
    return tx.credential.findFirst({ where: { userId, status: 'ACTIVE' }, orderBy: { createdAt: 'desc' } });
  }

  listForUser(userId: string): Promise<Credential[]> {
    return this.prisma.credential.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  create(tx: Tx, data: Prisma.CredentialUncheckedCreateInput): Promise<Credential> {
    return tx.credential.create({ data });
  }

  update(tx: Tx | PrismaService, id: string, data: Prisma.CredentialUncheckedUpdateInput): Promise<Credential> {
    return tx.credential.update({ where: { id }, data });
  }

  /**
   * Counts a failed attempt atomically; the attempt that reaches `maxFailures` locks the
   * credential until `lockUntil` and starts the count again. Returns whether it locked.
   */
  async registerFailure(id: string, maxFailures: number, lockUntil: Date): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ locked: boolean }>>(
      `UPDATE "identity"."credentials"
          SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3::timestamptz ELSE locked_until END,
              updated_at = now()
        WHERE id = $1::uuid
        RETURNING (locked_until = $3::timestamptz) AS locked`,
      id,
      maxFailures,
      lockUntil,
    );
    return rows[0]?.locked === true;
  }

  async clearFailures(id: string): Promise<void> {
    await this.prisma.credential.updateMany({
      where: { id, OR: [{ failedAttempts: { gt: 0 } }, { lockedUntil: { not: null } }] },
      data: { failedAttempts: 0, lockedUntil: null },
    });
  }

  /** Accepts a TOTP time step once: false when this step (or a later one) was already used. */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const count = await this.prisma.$executeRawUnsafe(
      `UPDATE "identity"."credentials" SET totp_last_step = $2, updated_at = now() WHERE id = $1::uuid AND totp_last_step < $2`,
      id,
      step,
    );
    return count === 1;
  }

  recentPasswordHashes(credentialId: string, tx: Tx | PrismaService = this.prisma): Promise<string[]> {
    return tx.credentialPasswordHistory
      .findMany({ where: { credentialId }, orderBy: { createdAt: 'desc' }, take: PASSWORD_HISTORY_DEPTH, select: { passwordHash: true } })
      .then((rows) => rows.map((r) => r.passwordHash));
  }

  async rememberPassword(tx: Tx, credentialId: string, passwordHash: string): Promise<void> {
    await tx.credentialPasswordHistory.create({ data: { id: randomUUID(), credentialId, passwordHash } });
    const keep = await tx.credentialPasswordHistory.findMany({
      where: { credentialId },
      orderBy: { createdAt: 'desc' },
      take: PASSWORD_HISTORY_DEPTH,
      select: { id: true },
    });
    await tx.credentialPasswordHistory.deleteMany({ where: { credentialId, id: { notIn: keep.map((k) => k.id) } } });
  }
}
