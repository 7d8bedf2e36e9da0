import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { DEMO } from '@procura/contracts';
import { PrismaService } from '@procura/database';

/** The bank accounts and contracts of the demo companies (`npm start`), created once. */
@Injectable()
export class DemoResourcesSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoResourcesSeed.name);

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    const { martin, dupont } = DEMO.companies;
    const id = (n: string) => `00000000-0000-4000-8000-000000000${n}`;
    await this.prisma.resource.createMany({
      data: [
        { id: id('301'), companyId: martin.id, kind: 'ACCOUNT', contractType: 'CURRENT_ACCOUNT', label: 'Compte courant', identifier: 'FR7630001007941234567890185' },
        { id: id('302'), companyId: martin.id, kind: 'ACCOUNT', contractType: 'SAVINGS_ACCOUNT', label: 'Compte sur livret', identifier: 'FR7630001007949876543210142' },
        { id: id('303'), companyId: martin.id, kind: 'CONTRACT', contractType: 'SEPA_TRANSFERS', label: 'Virements SEPA', identifier: 'CTR-VIR-000145' },
        { id: id('304'), companyId: martin.id, kind: 'CONTRACT', contractType: 'CARD_ACQUIRING', label: 'Encaissement carte', identifier: 'CTR-MON-000872' },
        { id: id('311'), companyId: dupont.id, kind: 'ACCOUNT', contractType: 'CURRENT_ACCOUNT', label: 'Compte courant', identifier: 'FR7610107001011234567890129' },
        { id: id('312'), companyId: dupont.id, kind: 'CONTRACT', contractType: 'SEPA_TRANSFERS', label: 'Virements SEPA', identifier: 'CTR-VIR-000301' },
      ],
      skipDuplicates: true,
    });
    this.logger.log('demo resources present');
  }
}
