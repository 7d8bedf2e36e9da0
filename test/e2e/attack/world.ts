// The data the attack tests (security matrix, bad-input sweep) aim at: two companies of two
// operators of their own on the shared system, with one of everything an operation can be
// about, and a session for each kind of actor.
import { DEV_SECRETS } from '@procura/config';
import { CompanyView, JOBS, notificationJobId, QUEUES } from '@procura/contracts';
import { QueueRegistry } from '@procura/messaging';
import { openSecret, type SealedSecret, signAccessToken } from '@procura/security';
import {
  addAdministrator,
  addOperator,
  addUsers,
  ApiResponse,
  ApiSession,
  FixtureAdministrator,
  FixtureOperator,
  projectPrincipal,
  RunningSystem,
  waitFor,
} from '@procura/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** Who calls: the columns of the security matrix. */
export const ACTORS = ['anonymous', 'forged', 'standard', 'admin', 'otherAdmin', 'operator', 'otherOperator'] as const;
export type ActorName = (typeof ACTORS)[number];

/** The values a path parameter takes, by its name in the OpenAPI document. */
export type PathIds = Record<string, string>;

export interface World {
  system: RunningSystem;
  companyA: CompanyView;
  companyB: CompanyView;
  /** Collective administrator of A (changes wait for approval: calling a mutation changes nothing). */
  admin: FixtureAdministrator;
  /** The other collective administrator of A, who approves. */
  validator: FixtureAdministrator;
  standard: FixtureAdministrator;
  otherAdmin: FixtureAdministrator;
  operator: FixtureOperator;
  otherOperator: FixtureOperator;
  /** A plain user of A the operations act on. */
  targetUserId: string;
  /** Another plain user of A, without a credential: the one whose credential the operator's call creates (it applies at once). */
  spareUserId: string;
  /** The password of the standard user's EDI signature (ids.signatureId). */
  signaturePassword: string;
  ids: PathIds;
  /** A fresh session of an actor for each call (each user session is its own, so a logout ends only itself). */
  session(actor: ActorName): ApiSession;
  /**
   * For an operation that asks for a fresh TOTP code (step-up): a new user in the actor's
   * role, whose first code is always accepted (a user's codes are single use, one per 30 s).
   */
  stepUpActor(actor: ActorName): Promise<{ session: ApiSession; totp: string }>;
  sql<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`setting up the attack world: ${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

let sequence = 0;
function companyInput(tag: string) {
  const digits = `${Date.now()}${sequence++}`.slice(-9);
  return { name: `Attack ${tag} ${digits}`, registrationNumber: digits, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' };
}

/** Projects users into the authorizations service (the sync-principal jobs identity writes for users it creates). */
async function projectPrincipals(redisUrl: string, users: Array<{ userId: string; companyId: string }>): Promise<void> {
  const principals = new Queue(QUEUES.principals, { connection: { url: redisUrl } });
  try {
    const jobs = await Promise.all(
      users.map((u) =>
        principals.add(
          JOBS.syncPrincipal.name,
          { userId: u.userId, companyId: u.companyId, status: 'ACTIVE', version: 1, credentials: [] },
          { jobId: `attack-${u.userId}-v1` },
        ),
      ),
    );
    await waitFor(async () => (await Promise.all(jobs.map((j) => j.isCompleted()))).every(Boolean), {
      timeoutMs: 60_000,
      what: 'the fixture users projected into the authorizations service',
    });
  } finally {
    await principals.close();
  }
}

/** Builds the world through the API where it can and the database where the API would take a user's inbox (EDI code). */
export async function buildWorld(system: RunningSystem): Promise<World> {
  const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => {
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      return (await db.query<T>(text, params)).rows;
    } finally {
      await db.end();
    }
  };
  const [operator, otherOperator] = await Promise.all([
    addOperator(system.databaseUrl, 'Matrix bank'),
    addOperator(system.databaseUrl, 'Other bank'),
  ]);
  const createdA = await operator.session(system.baseUrl).post<CompanyView>('/companies', companyInput('A'));
  expectStatus(createdA, 201, 'company A');
  const createdB = await otherOperator.session(system.baseUrl).post<CompanyView>('/companies', companyInput('B'));
  expectStatus(createdB, 201, 'company B');
  const [companyA, companyB] = [createdA.body, createdB.body];

  const [admin, validator, maker, standard, otherAdmin] = await Promise.all([
    addAdministrator(system.databaseUrl, companyA.id, { firstName: 'Alice' }),
    addAdministrator(system.databaseUrl, companyA.id, { firstName: 'Bruno' }),
    // Creates what the others act on, at once (an individual signature).
    addAdministrator(system.databaseUrl, companyA.id, { firstName: 'Maker', adminSignature: 'INDIVIDUAL' }),
    addAdministrator(system.databaseUrl, companyA.id, { firstName: 'Sam', clientType: 'STANDARD' }),
    addAdministrator(system.databaseUrl, companyB.id, { firstName: 'Elsa', adminSignature: 'INDIVIDUAL' }),
  ]);
  const [targetUserId, spareUserId] = await addUsers(system.databaseUrl, companyA.id, 2);
  // Fixture users are written straight into identity's tables: tell the authorizations service, as identity would.
  await projectPrincipals(system.redisUrl, [
    ...[admin, validator, maker].map((u) => ({ userId: u.userId, companyId: companyA.id })),
    { userId: targetUserId, companyId: companyA.id },
    { userId: spareUserId, companyId: companyA.id },
    { userId: otherAdmin.userId, companyId: companyB.id },
  ]);
  const asOperator = operator.session(system.baseUrl);
  const asMaker = maker.session(system.baseUrl);
  const asAdmin = admin.session(system.baseUrl);

  const resource = await asOperator.post<{ id: string }>(`/companies/${companyA.id}/resources`, {
    kind: 'ACCOUNT',
    contractType: 'CURRENT_ACCOUNT',
    label: 'Compte courant',
    identifier: 'FR7630001007941234567890185',
  });
  expectStatus(resource, 201, 'a resource');
  const authorization = await asMaker.post<{ result: { authorizationId: string } }>(`/companies/${companyA.id}/authorizations`, {
    label: 'Comptabilité fournisseurs',
    service: 'EINVOICING',
    effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
    grants: [{ right: 'SUPPLIER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' }],
    userIds: [targetUserId],
  });
  expectStatus(authorization, 201, 'an authorization');
  const changeRequest = await asAdmin.request<{ changeRequestId: string }>('PATCH', `/users/${targetUserId}`, { lastName: 'Pending' });
  expectStatus(changeRequest, 202, 'a pending change request');
  const report = await asAdmin.post<{ id: string }>(`/companies/${companyA.id}/reports`, { type: 'ACCESS_RIGHTS' });
  expectStatus(report, 202, 'a report order');

  // The standard user sends declarations: his EDI signature needs the EDI sending right (seed 004), so he is
  // projected with his credential (a valid one is part of holding a right).
  await projectPrincipal(system.databaseUrl, standard.userId);
  const ediRight = await asMaker.post(`/companies/${companyA.id}/authorizations`, {
    label: 'Envois EDI',
    service: 'EDI',
    effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
    grants: [{ right: 'SEND_DECLARATIONS', level: 'ACCESS' }],
    userIds: [standard.userId],
  });
  expectStatus(ediRight, 201, 'the EDI sending right');
  // The standard user's EDI signature, with the code e-mailed to the administrator who asked for it.
  const codeSent = await asAdmin.post<{ codeId: string }>(`/users/${standard.userId}/edi-code`);
  expectStatus(codeSent, 201, 'an EDI code');
  const [job] = await sql<{ payload: { secrets: { ediCode: SealedSecret } } }>(`SELECT payload FROM identity.outbox WHERE job_id = $1`, [
    `edi-code.${codeSent.body.codeId}`,
  ]);
  const signaturePassword = `Signature-${randomUUID().slice(0, 8)}-Azur`;
  const signature = await standard.session(system.baseUrl).post<{ id: string }>(`/users/${standard.userId}/edi-signatures`, {
    code: openSecret(job.payload.secrets.ediCode, DEV_SECRETS.SECRETS_KEY),
    validityYears: 1,
    password: signaturePassword,
    passwordConfirmation: signaturePassword,
    totpCode: standard.totp(),
  });
  expectStatus(signature, 201, 'an EDI signature');

  const deliveryId = randomUUID();
  await sql(
    `INSERT INTO reporting.deliveries (id, company_id, account_identifier, account_label, type, format, frequency, channel)
     VALUES ($1, $2, 'FR7630001007941234567890185', 'Compte courant', 'ACCOUNT_STATEMENT', 'PDF', 'MONTHLY', 'E_BANKING')`,
    [deliveryId, companyA.id],
  );
  const [credential] = await sql<{ id: string }>(`SELECT id FROM identity.credentials WHERE user_id = $1`, [validator.userId]);

  // A dead letter of company A: a job its template cannot take fails for good.
  const queues = new QueueRegistry(system.redisUrl);
  const eventKey = `attack-dead-letter:${randomUUID()}`;
  try {
    await queues.add(JOBS.sendEmail, notificationJobId(eventKey), {
      eventKey,
      companyId: companyA.id,
      template: 'report-ready',
      to: 'dead.letter@attack.example',
      language: 'fr',
      params: { firstName: 'Dead', reportType: 'NOT_A_TYPE', link: 'https://portal.example/r' },
    } as never);
    await waitFor(async () => (await queues.get(QUEUES.notifications).getJob(notificationJobId(eventKey)))?.isFailed(), {
      timeoutMs: 60_000,
      what: 'the dead letter',
    });
  } finally {
    await queues.close();
  }
  await waitFor(
    async () => {
      const res = await asAdmin.get<{ status: string }>(`/reports/${report.body.id}`);
      return ['READY', 'FAILED'].includes(res.body.status) && res.body.status;
    },
    { timeoutMs: 120_000, intervalMs: 250, what: 'the report to be built' },
  );

  const forgedToken = (() => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: admin.userId,
      cid: companyA.id,
      ct: 'ADMINISTRATOR' as const,
      sid: randomUUID(),
      scope: 'full' as const,
      iat: now,
      exp: now + 3600,
    };
    return signAccessToken(claims, 'not-the-secret-of-this-system-xxxxxxxxxxxx');
  })();

  const session = (actor: ActorName): ApiSession => {
    switch (actor) {
      case 'anonymous':
        return ApiSession.anonymous(system.baseUrl);
      case 'forged':
        return new ApiSession(system.baseUrl, forgedToken);
      case 'standard':
        return standard.session(system.baseUrl);
      case 'admin':
        return admin.session(system.baseUrl);
      case 'otherAdmin':
        return otherAdmin.session(system.baseUrl);
      case 'operator':
        return operator.session(system.baseUrl);
      case 'otherOperator':
        return otherOperator.session(system.baseUrl);
    }
  };

  const stepUpActor = async (actor: ActorName): Promise<{ session: ApiSession; totp: string }> => {
    const roles: Partial<Record<ActorName, { companyId: string; options: Parameters<typeof addAdministrator>[2] }>> = {
      standard: { companyId: companyA.id, options: { firstName: 'Stan', clientType: 'STANDARD' } },
      admin: { companyId: companyA.id, options: { firstName: 'Ada' } },
      otherAdmin: { companyId: companyB.id, options: { firstName: 'Otto', adminSignature: 'INDIVIDUAL' } },
    };
    const role = roles[actor];
    if (!role) return { session: session(actor), totp: '123456' };
    const user = await addAdministrator(system.databaseUrl, role.companyId, role.options);
    await projectPrincipals(system.redisUrl, [{ userId: user.userId, companyId: role.companyId }]);
    return { session: user.session(system.baseUrl), totp: user.totp() };
  };

  return {
    system,
    companyA,
    companyB,
    admin,
    validator,
    standard,
    otherAdmin,
    operator,
    otherOperator,
    targetUserId,
    spareUserId,
    signaturePassword,
    ids: {
      companyId: companyA.id,
      userId: targetUserId,
      authorizationId: authorization.body.result.authorizationId,
      id: changeRequest.body.changeRequestId,
      reportId: report.body.id,
      credentialId: credential.id,
      signatureId: signature.body.id,
      jobId: notificationJobId(eventKey),
      resourceId: resource.body.id,
      deliveryId,
      operatorId: operator.operatorId,
      apiKeyId: operator.apiKeyId,
    },
    session,
    stepUpActor,
    sql,
  };
}
