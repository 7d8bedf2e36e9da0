import { Injectable } from '@nestjs/common';
import { ChangePolicyRuleDto } from '@procura/contracts';
import { Db, PrismaService, Tx } from '@procura/database';

@Injectable()
export class ChangePolicyRepository {
  constructor(private readonly prisma: PrismaService) {}

  policies(companyId: string, db: Db = this.prisma) {
    return db.changePolicy.findMany({ where: { companyId }, orderBy: { kind: 'asc' } });
  }

  /** The policy's version: the highest of its rules (all rules are replaced together). */
  async version(companyId: string, db: Db = this.prisma): Promise<number> {
    return (await this.policies(companyId, db)).reduce((max, r) => Math.max(max, r.version), 0);
  }

  /** Serialises the changes of one company's policy for the rest of the transaction. */
  async lock(tx: Tx, companyId: string): Promise<void> {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `change-policy:${companyId}`);
  }

  async replace(tx: Tx, companyId: string, rules: ChangePolicyRuleDto[], version: number): Promise<void> {
    await tx.changePolicy.deleteMany({ where: { companyId } });
    await tx.changePolicy.createMany({ data: rules.map((r) => ({ companyId, ...r, version })) });
  }
}
