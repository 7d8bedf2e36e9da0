import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from '@procura/config';
import { PrismaService } from '@procura/database';
import { createScratchDatabase, scratchRedisUrl, randomLoginId as loginId } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { AuthModule } from '../../apps/identity/src/auth/auth.module';
import { AuthService } from '../../apps/identity/src/auth/auth.service';
import { hashPassword } from '../../apps/identity/src/credentials/password-hasher';
import { PlatformModule } from '@procura/messaging';

/**
 * The sign-in use case on a real database, without HTTP (as novu tests each use case):
 * the login id and password, the generic refusal, the lock-out after repeated failures,
 * the provisional password that only allows choosing a new one.
 */
describe(AuthService.name, () => {
  let app: INestApplicationContext;
  let prisma: PrismaService;
  let auth: AuthService;
  const password = 'Correct-Horse-Battery-9';

  async function credential(
    options: { provisional?: boolean; status?: 'ACTIVE' | 'SUSPENDED'; signInWith?: 'LOGIN_ID' | 'EMAIL' } = {},
  ): Promise<string> {
    const companyId = randomUUID();
    const userId = randomUUID();
    const id = loginId();
    const organisationId = randomUUID();
    await prisma.operatorOrganisation.create({ data: { id: organisationId, name: `Agence ${id}`, kind: 'BANK_BRANCH' } });
    await prisma.company.create({
      data: {
        id: companyId,
        name: `Login ${id}`,
        registrationNumber: id.slice(0, 9),
        billingMode: 'CLIENT',
        pricingOffer: 'X',
        organisationId,
        signInWith: options.signInWith ?? 'LOGIN_ID',
        managedBy: (
          await prisma.operator.create({
            data: { id: randomUUID(), organisationId, name: 'Conseil', email: `op.${id}@fixture.example`, role: 'SUPERVISOR' },
          })
        ).id,
      },
    });
    const personId = randomUUID();
    await prisma.person.create({ data: { id: personId, email: `lea.${id}@fixture.example` } });
    await prisma.user.create({
      data: {
        id: userId,
        companyId,
        personId,
        lastName: 'Martin',
        firstName: 'Léa',
        birthDate: new Date('1990-01-01T00:00:00Z'),
        email: `lea.${id}@fixture.example`,
        clientType: 'STANDARD',
        adminSignature: 'NONE',
        status: options.status ?? 'ACTIVE',
        activationMode: 'IMMEDIATE',
      },
    });
    await prisma.credential.create({
      data: {
        id: randomUUID(),
        userId,
        companyId,
        loginId: id,
        type: 'PERMANENT',
        bankingPower: false,
        passwordHash: await hashPassword(password),
        passwordIsProvisional: options.provisional === true,
        ...(options.provisional ? { provisionalExpiresAt: new Date(Date.now() + 3600_000) } : {}),
        createdBy: 'test',
      },
    });
    return id;
  }

  beforeAll(async () => {
    const config = loadConfig('identity', {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: await createScratchDatabase('login'),
      REDIS_URL: await scratchRedisUrl(),
      LOG_LEVEL: 'warn',
      LOGIN_MAX_FAILURES: '3',
    });
    const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forService(config), AuthModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .compile();
    app = await moduleRef.init();
    prisma = app.get(PrismaService);
    auth = app.get(AuthService);
  }, 60_000);

  afterAll(async () => app?.close());

  it('signs in with the login id and password, opening a session', async () => {
    const id = await credential();
    const tokens = await auth.login(id, password, '192.0.2.7');
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.passwordChangeRequired).toBeFalsy();
    const { id: credentialId } = await prisma.credential.findUniqueOrThrow({ where: { loginId: id } });
    const sessions = await prisma.identitySession.findMany({ where: { credentialId } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0].sourceIp).toBe('192.0.2.7');
  });

  it('refuses a wrong password and an unknown login id with the same answer', async () => {
    const id = await credential();
    const wrong = await auth.login(id, 'Wrong-Password-1').catch((e: unknown) => e);
    const unknown = await auth.login(loginId(), password).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 401 });
    expect(unknown).toMatchObject({ status: 401, message: (wrong as Error).message });
  });

  it('refuses a malformed login id (check digit) before any lookup, naming the field', async () => {
    const id = await credential();
    const typo = `${id.slice(0, 13)}${(Number(id[13]) + 1) % 10}`;
    await expect(auth.login(typo, password)).rejects.toMatchObject({
      status: 400,
      fields: [expect.objectContaining({ field: 'loginId' })],
    });
  });

  it('locks the credential after the configured number of failures, even for the right password', async () => {
    const id = await credential();
    for (let i = 0; i < 3; i++) await expect(auth.login(id, `Wrong-${i}-Password`)).rejects.toMatchObject({ status: 401 });
    await expect(auth.login(id, password)).rejects.toMatchObject({ status: 401 });
    const row = await prisma.credential.findUniqueOrThrow({ where: { loginId: id } });
    expect(row.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
  });

  it('lets a provisional password do nothing but choose a new one', async () => {
    const id = await credential({ provisional: true });
    const tokens = await auth.login(id, password);
    expect(tokens.passwordChangeRequired).toBe(true);
  });

  it('signs a user in with their e-mail where the company says so; nothing tells who exists (seed 003)', async () => {
    const id = await credential({ signInWith: 'EMAIL' });
    const email = `lea.${id}@fixture.example`;
    const tokens = await auth.login(` ${email.toUpperCase()} `, password, undefined, 'login');
    expect(tokens.accessToken).toBeTruthy();
    // The login id of a company that signs in with e-mails, an unknown e-mail, the e-mail of a
    // company that signs in with login ids, and a wrong password: one answer.
    const loginIdCompany = await credential();
    const refusals = await Promise.all(
      [
        auth.login(id, password, undefined, 'login'),
        auth.login(`nobody.${id}@fixture.example`, password, undefined, 'login'),
        auth.login(`lea.${loginIdCompany}@fixture.example`, password, undefined, 'login'),
        auth.login(email, 'Wrong-Password-1', undefined, 'login'),
      ].map((attempt) =>
        attempt.then(
          () => ({ status: 200, message: 'signed in' }),
          (e: unknown) => e as { status: number; message: string },
        ),
      ),
    );
    expect(new Set(refusals.map((e) => `${e.status} ${e.message}`))).toEqual(new Set([`401 ${refusals[3].message}`]));
    // The same argon2 work for an unknown e-mail as for a wrong password (medians: one slow run is noise).
    const median = async (attempt: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await attempt().catch(() => undefined);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const other = await credential({ signInWith: 'EMAIL' });
    const unknownEmail = await median(() => auth.login(`nobody.${other}@fixture.example`, password, undefined, 'login'));
    const wrongPassword = await median(() => auth.login(`lea.${other}@fixture.example`, 'Wrong-Password-1', undefined, 'login'));
    expect(unknownEmail).toBeGreaterThan(wrongPassword * 0.5);
  });

  it('names the field of a sign-in identifier that is neither a login id nor an e-mail', async () => {
    await expect(auth.login('jeanne', password, undefined, 'login')).rejects.toMatchObject({
      status: 400,
      fields: [expect.objectContaining({ field: 'login' })],
    });
  });

  it('refuses a suspended user', async () => {
    const id = await credential({ status: 'SUSPENDED' });
    await expect(auth.login(id, password)).rejects.toMatchObject({ status: 401 });
  });
});
