import { loadConfig } from '@procura/config';
import { PrismaService } from '@procura/database';
import { randomUUID } from 'node:crypto';
import { AuditRepository } from '../../apps/authorizations/src/audit/audit.repository';
import { verifyAuditChain } from '../../apps/authorizations/src/audit/audit.service';

/** The audit trail on real PostgreSQL: append-only, chained per company, tampering detected. */
describe(AuditRepository.name, () => {
  let prisma: PrismaService;
  let repository: AuditRepository;

  beforeAll(() => {
    prisma = new PrismaService(loadConfig('authorizations'));
    repository = new AuditRepository(prisma);
  });
  afterAll(() => prisma.$disconnect());

  async function chainOf(n: number): Promise<string> {
    const companyId = randomUUID();
    for (let i = 1; i <= n; i++) {
      await repository.append({
        eventId: randomUUID(),
        companyId,
        occurredAt: new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString(),
        actor: 'user:maker',
        action: 'USER_SUSPEND',
        targetType: 'user',
        targetId: `user-${i}`,
        sourceIp: '192.0.2.10',
        requestId: `req-${i}`,
        before: { status: 'ACTIVE' },
        after: { status: 'SUSPENDED', note: `n${i}` },
      });
    }
    return companyId;
  }

  async function withoutGuard(sql: string, ...params: unknown[]): Promise<void> {
    // A privileged attacker can switch the append-only trigger off; the hash chain still tells.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('ALTER TABLE "authorizations"."audit_entries" DISABLE TRIGGER "audit_entries_no_update_delete"');
      await tx.$executeRawUnsafe(sql, ...params);
      await tx.$executeRawUnsafe('ALTER TABLE "authorizations"."audit_entries" ENABLE TRIGGER "audit_entries_no_update_delete"');
    });
  }

  it('chains entries per company and verifies an intact chain', async () => {
    const companyId = await chainOf(4);
    const other = await chainOf(2);
    expect(await verifyAuditChain(repository, companyId)).toEqual({ valid: true, entries: 4 });
    expect(await verifyAuditChain(repository, other)).toEqual({ valid: true, entries: 2 });
  });

  it('records a retried event once', async () => {
    const companyId = randomUUID();
    const event = { eventId: randomUUID(), companyId, occurredAt: new Date().toISOString(), actor: 'system', action: 'X', targetType: 't' };
    expect(await repository.append(event)).toBe('appended');
    expect(await repository.append(event)).toBe('duplicate');
    expect(await verifyAuditChain(repository, companyId)).toEqual({ valid: true, entries: 1 });
  });

  it('refuses UPDATE and DELETE on audit entries', async () => {
    const companyId = await chainOf(1);
    await expect(
      prisma.$executeRawUnsafe(`UPDATE "authorizations"."audit_entries" SET actor = 'someone' WHERE chain = $1`, companyId),
    ).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM "authorizations"."audit_entries" WHERE chain = $1`, companyId)).rejects.toThrow(
      /append-only/,
    );
  });

  it('detects an entry altered directly in SQL', async () => {
    const companyId = await chainOf(5);
    await withoutGuard(
      `UPDATE "authorizations"."audit_entries" SET after = '{"status":"ACTIVE"}'::jsonb WHERE chain = $1 AND seq = 3`,
      companyId,
    );
    expect(await verifyAuditChain(repository, companyId)).toMatchObject({ valid: false, firstBrokenSeq: 3 });
  });

  it('detects a deleted entry, in the middle or at the end', async () => {
    const middle = await chainOf(5);
    await withoutGuard(`DELETE FROM "authorizations"."audit_entries" WHERE chain = $1 AND seq = 2`, middle);
    expect(await verifyAuditChain(repository, middle)).toMatchObject({ valid: false, firstBrokenSeq: 2 });

    const tail = await chainOf(5);
    await withoutGuard(`DELETE FROM "authorizations"."audit_entries" WHERE chain = $1 AND seq = 5`, tail);
    expect(await verifyAuditChain(repository, tail)).toMatchObject({ valid: false, firstBrokenSeq: 5 });
  });

  it('serialises concurrent appends to one chain', async () => {
    const companyId = randomUUID();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repository.append({
          eventId: randomUUID(),
          companyId,
          occurredAt: new Date().toISOString(),
          actor: 'a',
          action: `A${i}`,
          targetType: 't',
        }),
      ),
    );
    expect(await verifyAuditChain(repository, companyId)).toEqual({ valid: true, entries: 20 });
  });
});
