/**
 * Demo data of identity (`npm start` sets SEED_DEMO=true; never set it in production).
 *
 * Demo sign-ins, all listed in libs/contracts/src/demo-data.ts (DEMO.users) and printed by
 * `npm start`:
 *   - every demo user has a permanent credential, login id DEMO.users.<name>.loginId, with
 *     the demo password "Demo-Procura-2026!" (already changed: no provisional password);
 *   - the administrators (Sophie and Paul Martin, Marc Dupont) have TOTP enrolled with the
 *     fixed secret DEMO.users.<name>.totpSecret, so a person can add it to an authenticator
 *     app and produce step-up codes; the standard users enrol TOTP at their first sign-in.
 * Secrets are stored as everywhere else (argon2id hash, sealed TOTP secret) and nothing
 * secret is logged.
 */
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { DEMO } from '@procura/contracts';
import { lockSeed, PrismaService, SEED_TRANSACTION } from '@procura/database';
import { sealSecret } from '@procura/security';
import { hashPassword } from '../credentials/password-hasher';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { hashApiKey } from '../operators/operators.service';
import { randomUUID } from 'node:crypto';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Idempotent: rows are created once with fixed ids, and later starts leave them (and any
 * change made through the API) alone.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    const { operator, companies, firm } = DEMO;
    const { nathalie } = DEMO.users;
    const collaborator = firm.collaborator;
    // argon2 is slow: hashed before the seed lock is taken.
    const collaboratorPasswordHash = await hashPassword(collaborator.password);
    await this.prisma.$transaction(async (tx) => {
      await lockSeed(tx, 'identity');
      await tx.operatorOrganisation.createMany({
        data: [
          { id: operator.organisation.id, name: operator.organisation.name, kind: 'BANK_BRANCH' },
          { id: firm.organisation.id, name: firm.organisation.name, kind: 'ACCOUNTING_FIRM' },
        ],
        skipDuplicates: true,
      });
      await tx.operator.createMany({
        data: [
          { id: operator.id, organisationId: operator.organisation.id, name: operator.name, email: operator.email, role: 'SUPERVISOR' },
          {
            id: collaborator.id,
            organisationId: firm.organisation.id,
            name: collaborator.name,
            email: collaborator.email,
            role: 'COLLABORATOR',
            loginId: collaborator.loginId,
            passwordHash: collaboratorPasswordHash,
            passwordIsProvisional: false,
            passwordChangedAt: new Date(),
            totpSecretSealed: sealSecret(collaborator.totpSecret, this.config.secretsKey).sealed,
            totpEnrolledAt: new Date(),
          },
        ],
        skipDuplicates: true,
      });
      if (!(await tx.operatorApiKey.findUnique({ where: { keyHash: hashApiKey(operator.apiKey) } }))) {
        await tx.operatorApiKey.create({
          data: {
            id: randomUUID(),
            organisationId: operator.organisation.id,
            operatorId: operator.id,
            label: 'Demo key',
            keyHash: hashApiKey(operator.apiKey),
            keyPrefix: operator.apiKey.slice(0, 10),
            createdBy: 'system:demo-seed',
          },
        });
      }
      await tx.company.createMany({
        data: [
          {
            ...companies.martin,
            billingMode: 'CLIENT',
            pricingOffer: 'ESSENTIEL',
            managedBy: operator.id,
            organisationId: operator.organisation.id,
          },
          {
            ...companies.dupont,
            billingMode: 'FIRM',
            pricingOffer: 'PREMIUM',
            managedBy: operator.id,
            organisationId: operator.organisation.id,
          },
          {
            ...firm.clients.girard,
            signInWith: 'EMAIL',
            billingMode: 'FIRM',
            pricingOffer: 'PREMIUM',
            managedBy: collaborator.id,
            organisationId: firm.organisation.id,
          },
          {
            ...firm.clients.roux,
            billingMode: 'CLIENT',
            pricingOffer: 'ESSENTIEL',
            managedBy: collaborator.id,
            organisationId: firm.organisation.id,
          },
        ],
        skipDuplicates: true,
      });
      await tx.operatorAssignment.createMany({
        data: [
          { operatorId: operator.id, companyId: companies.martin.id, assignedBy: 'system:demo-seed' },
          { operatorId: operator.id, companyId: companies.dupont.id, assignedBy: 'system:demo-seed' },
          { operatorId: collaborator.id, companyId: firm.clients.girard.id, assignedBy: 'system:demo-seed' },
          { operatorId: collaborator.id, companyId: firm.clients.roux.id, assignedBy: 'system:demo-seed' },
        ],
        skipDuplicates: true,
      });
      const users = [
        user(
          '201',
          companies.martin.id,
          'Martin',
          'Sophie',
          '1975-04-12',
          'sophie.martin@boulangerie-martin.example',
          '+33612345678',
          'ADMINISTRATOR',
          'COLLECTIVE',
        ),
        user(
          '202',
          companies.martin.id,
          'Martin',
          'Paul',
          '1972-09-30',
          'paul.martin@boulangerie-martin.example',
          '+33612345679',
          'ADMINISTRATOR',
          'COLLECTIVE',
        ),
        user(
          '203',
          companies.martin.id,
          'Leroy',
          'Julie',
          '1990-01-22',
          'julie.leroy@boulangerie-martin.example',
          null,
          'STANDARD',
          'NONE',
        ),
        user(
          '204',
          companies.martin.id,
          'Petit',
          'Hugo',
          '1995-06-03',
          'hugo.petit@boulangerie-martin.example',
          '+33698765432',
          'STANDARD',
          'NONE',
        ),
        user(
          '211',
          companies.dupont.id,
          'Dupont',
          'Marc',
          '1968-11-08',
          'marc.dupont@atelier-dupont.example',
          '+33611223344',
          'ADMINISTRATOR',
          'INDIVIDUAL',
        ),
        user('212', companies.dupont.id, 'Moreau', 'Léa', '1988-02-17', 'lea.moreau@atelier-dupont.example', null, 'STANDARD', 'NONE'),
        // One person, two companies: Nathalie Girard administers the pharmacy and the garage.
        user('221', firm.clients.girard.id, 'Girard', 'Nathalie', '1979-10-05', nathalie.email, null, 'ADMINISTRATOR', 'INDIVIDUAL'),
        {
          ...user('222', firm.clients.roux.id, 'Girard', 'Nathalie', '1979-10-05', nathalie.email, null, 'ADMINISTRATOR', 'INDIVIDUAL'),
          personId: personIdOf('221'),
        },
      ];
      // One person per demo user (each users row is a person's membership of one company; Nathalie has two).
      const persons = new Map(users.map((u) => [u.personId, { id: u.personId, email: u.email }]));
      await tx.person.createMany({ data: [...persons.values()], skipDuplicates: true });
      await tx.user.createMany({ data: users, skipDuplicates: true });
    }, SEED_TRANSACTION);
    await this.seedCredentials();
    // The rights side only knows users through the principal projection: without it, the
    // demo users could not be given rights nor pass a check (job ids per user version, so
    // a later start adds nothing).
    await this.prisma.$transaction(async (tx) => {
      for (const u of Object.values(DEMO.users)) await this.events.principal(tx, u.id);
    }, SEED_TRANSACTION);
    this.relay.nudge();
    this.logger.log('demo data present');
  }

  private async seedCredentials(): Promise<void> {
    // Outside the seed lock (argon2 is slow): a replica inserting the same fixed ids at the same time is skipped (ON CONFLICT DO NOTHING).
    const demoUsers = Object.values(DEMO.users);
    const existing = new Set(
      (
        await this.prisma.credential.findMany({ where: { loginId: { in: demoUsers.map((u) => u.loginId) } }, select: { loginId: true } })
      ).map((c) => c.loginId),
    );
    const missing = demoUsers.filter((u) => !existing.has(u.loginId));
    if (missing.length === 0) return;
    const now = new Date();
    const owners = new Map(
      (await this.prisma.user.findMany({ where: { id: { in: missing.map((u) => u.id) } }, select: { id: true, companyId: true } })).map(
        (u) => [u.id, u.companyId],
      ),
    );
    const data = await Promise.all(
      missing.map(async (u) => ({
        // Credential ids mirror the user ids (…0201 → …0301) so they are fixed too.
        id: u.id.replace(/2(\d\d)$/, '3$1'),
        userId: u.id,
        companyId: owners.get(u.id)!,
        loginId: u.loginId,
        type: 'PERMANENT' as const,
        bankingPower: true,
        passwordHash: await hashPassword(u.password),
        passwordIsProvisional: false,
        passwordChangedAt: now,
        totpSecretSealed: u.totpSecret ? sealSecret(u.totpSecret, this.config.secretsKey).sealed : null,
        totpEnrolledAt: u.totpSecret ? now : null,
        createdBy: 'system:demo-seed',
      })),
    );
    await this.prisma.credential.createMany({ data, skipDuplicates: true });
  }
}

/** Person ids mirror the user ids (…0201 → …5201) so they are fixed too. */
const personIdOf = (suffix: string) => `00000000-0000-4000-8000-000000005${suffix}`;

function user(
  suffix: string,
  companyId: string,
  lastName: string,
  firstName: string,
  birthDate: string,
  email: string,
  phone: string | null,
  clientType: 'ADMINISTRATOR' | 'STANDARD',
  adminSignature: 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE',
) {
  return {
    id: `00000000-0000-4000-8000-000000000${suffix}`,
    personId: personIdOf(suffix),
    companyId,
    lastName,
    firstName,
    birthDate: day(birthDate),
    email,
    phone,
    clientType,
    adminSignature,
    status: 'ACTIVE' as const,
    activationMode: 'IMMEDIATE' as const,
  };
}
