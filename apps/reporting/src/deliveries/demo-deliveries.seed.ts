import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { DEMO } from '@procura/contracts';
import { Prisma } from '@procura/database';
import { DeliveriesRepository } from './deliveries.repository';

const id = (n: string) => `00000000-0000-4000-8000-000000000${n}`;

/** The deliveries of the demo companies (`npm start`), on the accounts the authorizations seed creates; created once. */
export const DEMO_DELIVERIES: Prisma.DeliveryCreateManyInput[] = [
  {
    id: id('401'),
    companyId: DEMO.companies.martin.id,
    accountIdentifier: 'FR7630001007941234567890185',
    accountLabel: 'Compte courant',
    type: 'ACCOUNT_STATEMENT',
    format: 'PDF',
    frequency: 'MONTHLY',
    channel: 'E_BANKING',
  },
  {
    id: id('402'),
    companyId: DEMO.companies.martin.id,
    accountIdentifier: 'FR7630001007941234567890185',
    accountLabel: 'Compte courant',
    type: 'CAMT_NOTIFICATION',
    format: 'CAMT_053',
    frequency: 'DAILY',
    channel: 'EBICS',
  },
  {
    id: id('403'),
    companyId: DEMO.companies.martin.id,
    accountIdentifier: 'FR7630001007941234567890185',
    accountLabel: 'Compte courant',
    type: 'PAYMENT_CONFIRMATION',
    format: 'PDF',
    frequency: 'ON_EVENT',
    channel: 'EMAIL',
  },
  {
    id: id('404'),
    companyId: DEMO.companies.martin.id,
    accountIdentifier: 'FR7630001007949876543210142',
    accountLabel: 'Compte sur livret',
    type: 'INTEREST_CLOSING',
    format: 'PDF',
    frequency: 'QUARTERLY',
    channel: 'E_BANKING',
  },
  {
    id: id('405'),
    companyId: DEMO.companies.martin.id,
    accountIdentifier: 'FR7630001007949876543210142',
    accountLabel: 'Compte sur livret',
    type: 'ACCOUNT_STATEMENT',
    format: 'PDF',
    frequency: 'QUARTERLY',
    channel: 'E_BANKING',
    active: false,
  },
  {
    id: id('411'),
    companyId: DEMO.companies.dupont.id,
    accountIdentifier: 'FR7610107001011234567890129',
    accountLabel: 'Compte courant',
    type: 'ACCOUNT_STATEMENT',
    format: 'MT940',
    frequency: 'DAILY',
    channel: 'SFTP',
  },
  {
    id: id('412'),
    companyId: DEMO.companies.dupont.id,
    accountIdentifier: 'FR7610107001011234567890129',
    accountLabel: 'Compte courant',
    type: 'CAMT_NOTIFICATION',
    format: 'CAMT_054',
    frequency: 'ON_EVENT',
    channel: 'EBICS',
  },
];

@Injectable()
export class DemoDeliveriesSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDeliveriesSeed.name);

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    await this.deliveries.seed(DEMO_DELIVERIES);
    this.logger.log('demo deliveries present');
  }
}
