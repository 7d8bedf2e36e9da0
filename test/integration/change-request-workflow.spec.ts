import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from '@procura/config';
import { Actor, CommandContract, UserContact } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { ForbiddenError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { createScratchDatabase, scratchRedisUrl } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { AuthorizationsModule } from '../../apps/authorizations/src/authorizations.module';
import { ChangeRequestService } from '../../apps/authorizations/src/change-requests/change-request.service';

type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * The identity service as the workflow sees it over the command bus: who is an active
 * administrator with which signature, whose TOTP code is right, who to notify. Every
 * command sent is recorded, so the test also sees that no command goes to the
 * authorizations service itself.
 */
class IdentitySeamsFake {
  readonly sent: string[] = [];
  readonly users = new Map<
    string,
    { companyId: string; signature: 'INDIVIDUAL' | 'COLLECTIVE'; clientType: 'ADMINISTRATOR' | 'STANDARD' }
  >();

  private eligibility(userId: string) {
    const user = this.users.get(userId);
    return user?.clientType === 'ADMINISTRATOR'
      ? { eligible: true, adminSignature: user.signature }
      : { eligible: false, reason: 'not an active administrator' };
  }

  async execute<P, R>(command: CommandContract<P, R>, payload: P): Promise<R> {
    this.sent.push(command.pattern);
    const p = payload as Record<string, unknown>;
    switch (command.pattern) {
      case 'identity.users.validator-eligibility':
        return this.eligibility(p.userId as string) as R;
      case 'identity.auth.verify-approver':
        if (p.code !== '123456') throw new ForbiddenError('Strong authentication failed');
        return this.eligibility(p.userId as string) as R;
      case 'identity.users.contacts':
        return [...this.users.entries()]
          .filter(([, u]) => u.companyId === p.companyId)
          .map(([userId, u]): UserContact => ({
            userId,
            email: `${userId.slice(0, 8)}@fixture.example`,
            firstName: 'F',
            lastName: 'L',
            language: 'fr',
            clientType: u.clientType,
            adminSignature: u.signature,
            status: 'ACTIVE',
          })) as R;
      case 'identity.companies.summary':
        // Rule 8: the grant check reads the company's offer; this one includes every service.
        return { id: p.companyId, name: 'Fixture', registrationNumber: '00000000000000', pricingOffer: 'ESSENTIEL' } as R;
      default:
        throw new Error(`unexpected command ${command.pattern}`);
    }
  }
}

/**
 * The change-request workflow as a use case, on a real database, without HTTP or the
 * other services: the rules of four eyes proven below the e2e tier, with the
 * authorizations service's own kinds applied in-process.
 */
describe(ChangeRequestService.name, () => {
  let app: INestApplicationContext;
  let prisma: PrismaService;
  let workflow: ChangeRequestService;
  const identity = new IdentitySeamsFake();
  const companyId = randomUUID();

  const admin = (
    signature: 'INDIVIDUAL' | 'COLLECTIVE' = 'COLLECTIVE',
    clientType: 'ADMINISTRATOR' | 'STANDARD' = 'ADMINISTRATOR',
  ): UserActor => {
    const userId = randomUUID();
    identity.users.set(userId, { companyId, signature, clientType });
    // Stepped up (strong authentication done), as the gateway's actor is after POST /auth/step-up.
    return { kind: 'user', userId, companyId, clientType, sessionId: randomUUID(), stepUpUntil: Date.now() + 3_600_000 };
  };

  async function principal(userId: string): Promise<void> {
    await prisma.principal.create({ data: { userId, companyId, status: 'ACTIVE', version: 1 } });
  }

  const einvoicing = (userIds: string[]) => ({
    kind: 'AUTHORIZATION_CREATE' as const,
    payload: {
      label: `E-factures ${randomUUID().slice(0, 4)}`,
      service: 'EINVOICING',
      effectiveFrom: new Date().toISOString(),
      grants: [{ right: 'SUBSCRIPTION', level: 'CONSULT' }],
      userIds,
    },
  });

  beforeAll(async () => {
    const config = loadConfig('authorizations', {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: await createScratchDatabase('workflow'),
      REDIS_URL: await scratchRedisUrl(),
      LOG_LEVEL: 'warn',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AuthorizationsModule.forRoot(config)] })
      .overrideProvider(CommandBus)
      .useValue(identity)
      .overrideProvider(AppConfig)
      .useValue(config)
      .compile();
    app = await moduleRef.init();
    prisma = app.get(PrismaService);
    workflow = app.get(ChangeRequestService);
  }, 60_000);

  afterAll(async () => app?.close());

  it('refuses approval by the maker, by a user the change is about and by a non-administrator; a colleague applies it', async () => {
    const [maker, subject, colleague] = [admin(), admin(), admin()];
    const standard = admin('COLLECTIVE', 'STANDARD');
    await principal(subject.userId);
    const submitted = await workflow.submit(maker, [einvoicing([subject.userId])], {});
    expect(submitted.status).toBe('PENDING');
    const id = submitted.changeRequestId;

    await expect(workflow.approve(maker, id, '123456')).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('You made'),
    });
    await expect(workflow.approve(subject, id, '123456')).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('about you'),
    });
    await expect(workflow.approve(standard, id, '123456')).rejects.toMatchObject({ status: 403 });
    await expect(workflow.approve(colleague, id, '000000')).rejects.toMatchObject({ status: 403 });
    expect((await workflow.get(maker, id)).status).toBe('PENDING');

    const approved = await workflow.approve(colleague, id, '123456');
    expect(approved.status).toBe('APPLIED');
    expect(approved.items.map((i) => i.outcome)).toEqual(['APPLIED']);
    expect(await prisma.authorizationUser.count({ where: { userId: subject.userId } })).toBe(1);
    // The authorizations service's own kinds are applied in-process: nothing was sent to it over the bus.
    expect(identity.sent.every((pattern) => pattern.startsWith('identity.'))).toBe(true);
  });

  it('counts each validator once and waits for the number of approvals the policy asks', async () => {
    const [maker, first, second] = [admin(), admin(), admin()];
    const policy = await workflow.submit(
      maker,
      [{ kind: 'POLICY_UPDATE', payload: { rules: [{ kind: '*', requiredApprovals: 2, allowIndividualImmediate: false }] } }],
      {},
    );
    expect((await workflow.approve(first, policy.changeRequestId, '123456')).status).toBe('APPLIED');

    const subject = admin();
    await principal(subject.userId);
    const submitted = await workflow.submit(maker, [einvoicing([subject.userId])], {});
    expect((await workflow.approve(first, submitted.changeRequestId, '123456')).status).toBe('PENDING');
    await expect(workflow.approve(first, submitted.changeRequestId, '123456')).rejects.toMatchObject({ code: 'ALREADY_APPROVED' });
    expect((await workflow.approve(second, submitted.changeRequestId, '123456')).status).toBe('APPLIED');
    await expect(workflow.approve(admin(), submitted.changeRequestId, '123456')).rejects.toMatchObject({
      code: 'CHANGE_REQUEST_NOT_PENDING',
    });
  });

  it('never applies a change of the policy at once, even for an individual signature', async () => {
    const solo = admin('INDIVIDUAL');
    const change = await workflow.submit(
      solo,
      [{ kind: 'POLICY_UPDATE', payload: { rules: [{ kind: '*', requiredApprovals: 1, allowIndividualImmediate: true }] } }],
      {},
    );
    expect(change.status).toBe('PENDING');
  });

  it('applies at once for an individual signature when the policy allows, and lets only the maker cancel', async () => {
    const company2 = randomUUID();
    const solo: UserActor = {
      kind: 'user',
      userId: randomUUID(),
      companyId: company2,
      clientType: 'ADMINISTRATOR',
      sessionId: randomUUID(),
      stepUpUntil: Date.now() + 3_600_000,
    };
    identity.users.set(solo.userId, { companyId: company2, signature: 'INDIVIDUAL', clientType: 'ADMINISTRATOR' });
    const subject = randomUUID();
    await prisma.principal.create({ data: { userId: subject, companyId: company2, status: 'ACTIVE', version: 1 } });
    const applied = await workflow.submit(solo, [{ ...einvoicing([subject]) }], {});
    expect(applied.status).toBe('APPLIED');
    expect(await prisma.authorizationUser.count({ where: { userId: subject } })).toBe(1);

    const [maker, other] = [admin(), admin()];
    const pending = await workflow.submit(
      maker,
      [{ kind: 'POLICY_UPDATE', payload: { rules: [{ kind: '*', requiredApprovals: 1, allowIndividualImmediate: true }] } }],
      {},
    );
    await expect(workflow.cancel(other, pending.changeRequestId)).rejects.toMatchObject({ status: 403 });
    expect((await workflow.cancel(maker, pending.changeRequestId)).status).toBe('CANCELLED');
    await expect(workflow.approve(other, pending.changeRequestId, '123456')).rejects.toMatchObject({ code: 'CHANGE_REQUEST_NOT_PENDING' });
  });
});
