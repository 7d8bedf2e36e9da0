import { loadConfig } from '@procura/config';
import { PrismaService, Transactions, Tx } from '@procura/database';
import { randomUUID } from 'node:crypto';
import { ChangeRequestRepository } from '../../apps/authorizations/src/change-requests/change-request.repository';

/**
 * The one-statement read of a change request (items and approvals aggregated in SQL) gives
 * exactly what Prisma's `include` gives, field by field, nulls and JSON values included.
 */
describe(ChangeRequestRepository.name, () => {
  let prisma: PrismaService;
  let repository: ChangeRequestRepository;
  let transactions: Transactions;

  beforeAll(() => {
    prisma = new PrismaService(loadConfig('authorizations'));
    repository = new ChangeRequestRepository(prisma);
    transactions = new Transactions(prisma);
  });
  afterAll(() => prisma.$disconnect());

  const include = { items: { orderBy: { position: 'asc' as const } }, approvals: { orderBy: { approvedAt: 'asc' as const } } };

  async function request(options: { decided: boolean }): Promise<string> {
    const id = randomUUID();
    await prisma.changeRequest.create({
      data: {
        id,
        companyId: randomUUID(),
        makerUserId: randomUUID(),
        makerContact: { firstName: 'Sophie', email: 'sophie.martin@example.com', language: 'fr' },
        status: options.decided ? 'APPLIED' : 'PENDING',
        kind: 'USER_UPDATE',
        summary: 'Nom de Julie : « Durand » → « Petit »',
        requiredApprovals: 2,
        subjectUserIds: [randomUUID(), randomUUID()],
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
        ...(options.decided
          ? {
              reason: 'r',
              result: { items: [{ userId: 'u', version: 3 }, null] },
              revealOnceSealed: 'sealed',
              sourceIp: '192.0.2.1',
              requestId: 'req-1',
              idempotencyKey: 'k-1',
              decidedAt: new Date(),
              appliedAt: new Date(),
            }
          : {}),
        items: {
          create: [
            {
              id: randomUUID(),
              position: 1,
              kind: 'USER_UPDATE',
              ownerService: 'identity',
              payload: { userId: 'u2', lastName: 'Petit' },
              summary: 's2',
              diff: [{ field: 'lastName', before: 'Durand', after: 'Petit' }],
              targetType: 'user',
              targetId: 'u2',
              targetVersion: 4,
              ...(options.decided ? { outcome: 'APPLIED', reason: null } : {}),
            },
            {
              id: randomUUID(),
              position: 0,
              kind: 'USER_SUSPEND',
              ownerService: 'identity',
              payload: { userId: 'u1' },
              summary: 's1',
              diff: [],
              targetType: 'user',
            },
          ],
        },
      },
    });
    if (options.decided) {
      await prisma.changeApproval.create({
        data: { changeRequestId: id, validatorUserId: randomUUID(), approvedAt: new Date(Date.now() - 1000) },
      });
      await prisma.changeApproval.create({ data: { changeRequestId: id, validatorUserId: randomUUID() } });
    }
    return id;
  }

  it.each([{ decided: false }, { decided: true }])('reads a request as Prisma does (%o)', async (options) => {
    const id = await request(options);
    const viaPrisma = await prisma.changeRequest.findUnique({ where: { id }, include });
    expect(await repository.find(id)).toEqual(viaPrisma);
    const locked = await transactions.run((tx: Tx) => repository.lock(tx, id));
    expect(locked).toEqual(viaPrisma);
  });

  it('answers null for an unknown request', async () => {
    expect(await repository.find(randomUUID())).toBeNull();
  });

  it('holds the row lock until the transaction ends', async () => {
    const id = await request({ decided: false });
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = transactions.run(async (tx: Tx) => {
      await repository.lock(tx, id);
      order.push('first locked');
      await held;
      order.push('first done');
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = transactions.run(async (tx: Tx) => {
      await repository.lock(tx, id);
      order.push('second locked');
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });
});
