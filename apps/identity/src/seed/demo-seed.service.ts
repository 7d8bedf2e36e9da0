import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { DEMO } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { hashApiKey } from '../operators/operators.service';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * The identity part of the demo data set (`npm start` sets SEED_DEMO=true). Idempotent:
 * rows are created once with fixed ids, and later starts leave them (and any change made
 * through the API) alone.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    const { operator, companies } = DEMO;
    await this.prisma.$transaction(async (tx) => {
      await tx.operator.createMany({
        data: [{ id: operator.id, name: operator.name, email: operator.email, apiKeyHash: hashApiKey(operator.apiKey) }],
        skipDuplicates: true,
      });
      await tx.company.createMany({
        data: [
          { ...companies.martin, billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL', managedBy: operator.id },
          { ...companies.dupont, billingMode: 'FIRM', pricingOffer: 'PREMIUM', managedBy: operator.id },
        ],
        skipDuplicates: true,
      });
      await tx.user.createMany({
        data: [
          user('201', companies.martin.id, 'Martin', 'Sophie', '1975-04-12', 'sophie.martin@boulangerie-martin.example', '+33612345678', 'ADMINISTRATOR', 'COLLECTIVE'),
          user('202', companies.martin.id, 'Martin', 'Paul', '1972-09-30', 'paul.martin@boulangerie-martin.example', '+33612345679', 'ADMINISTRATOR', 'COLLECTIVE'),
          user('203', companies.martin.id, 'Leroy', 'Julie', '1990-01-22', 'julie.leroy@boulangerie-martin.example', null, 'STANDARD', 'NONE'),
          user('204', companies.martin.id, 'Petit', 'Hugo', '1995-06-03', 'hugo.petit@boulangerie-martin.example', '+33698765432', 'STANDARD', 'NONE'),
          user('211', companies.dupont.id, 'Dupont', 'Marc', '1968-11-08', 'marc.dupont@atelier-dupont.example', '+33611223344', 'ADMINISTRATOR', 'INDIVIDUAL'),
          user('212', companies.dupont.id, 'Moreau', 'Léa', '1988-02-17', 'lea.moreau@atelier-dupont.example', null, 'STANDARD', 'NONE'),
        ],
        skipDuplicates: true,
      });
    });
    this.logger.log('demo data present');
  }
}

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
