import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { DEMO } from '@procura/contracts';
import { PrismaService } from '@procura/database';

const id = (n: string) => `00000000-0000-4000-8000-000000000${n}`;
const from = new Date('2026-01-01T00:00:00Z');
const SEED_TRANSACTION = { timeout: 60_000, maxWait: 20_000 };

interface DemoAuthorization {
  id: string;
  companyId: string;
  label: string;
  serviceCode: string;
  endsAt?: Date;
  grants: Array<{ rightCode: string; levelCode: string; resourceIds?: string[] }>;
  userIds: string[];
}

/**
 * The bank accounts and contracts of the demo companies (`npm start`) and a few
 * authorizations of their demo users, created once (fixed ids; later starts leave them,
 * and any change made through the API, alone). Users' status and credentials come from
 * identity through the principal projection.
 */
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
    const all = ['CONSULT', 'MANAGE', 'VALIDATE'];
    const authorizations: DemoAuthorization[] = [
      {
        id: id('401'),
        companyId: martin.id,
        label: 'Direction – banque à distance',
        serviceCode: 'BANKING',
        grants: [
          { rightCode: 'CONSULT', levelCode: 'ACCESS', resourceIds: [id('301'), id('302'), id('303'), id('304')] },
          { rightCode: 'MANAGE', levelCode: 'ACCESS', resourceIds: [id('301'), id('302'), id('303'), id('304')] },
          { rightCode: 'VALIDATE', levelCode: 'ACCESS', resourceIds: [id('301'), id('303'), id('304')] },
        ],
        userIds: [id('201'), id('202')],
      },
      {
        id: id('402'),
        companyId: martin.id,
        label: 'Comptabilité fournisseurs',
        serviceCode: 'EINVOICING',
        grants: [
          { rightCode: 'SUPPLIER_INVOICING', levelCode: 'CONSULT_ENTER_VALIDATE' },
          { rightCode: 'SUPPLIER_INVOICE_APPROVAL', levelCode: 'CONSULT' },
          { rightCode: 'COUNTERPARTIES', levelCode: 'CONSULT' },
        ],
        userIds: [id('203')],
      },
      {
        id: id('403'),
        companyId: martin.id,
        label: 'Consultation des comptes (stage)',
        serviceCode: 'BANKING',
        endsAt: new Date('2026-12-31T00:00:00Z'),
        grants: [{ rightCode: 'CONSULT', levelCode: 'ACCESS', resourceIds: [id('301'), id('302')] }],
        userIds: [id('204')],
      },
      {
        id: id('404'),
        companyId: martin.id,
        label: 'Rapports',
        serviceCode: 'REPORTS',
        grants: [{ rightCode: 'ORDER_REPORTS', levelCode: 'ACCESS' }],
        userIds: [id('201')],
      },
      {
        id: id('411'),
        companyId: dupont.id,
        label: 'Gérance',
        serviceCode: 'BANKING',
        grants: all.map((rightCode) => ({ rightCode, levelCode: 'ACCESS', resourceIds: [id('311'), id('312')] })),
        userIds: [id('211')],
      },
      {
        id: id('412'),
        companyId: dupont.id,
        label: 'Portail comptable – consultation',
        serviceCode: 'ACCOUNTING_PORTAL',
        grants: ['PRODUCTION_COMPTA_CONSULTATION', 'PRODUCTION_FISCALITE_CONSULTATION', 'PRODUCTION_PAIE_CONSULTATION'].map(
          (rightCode) => ({ rightCode, levelCode: 'ACCESS' }),
        ),
        userIds: [id('212')],
      },
      {
        id: id('413'),
        companyId: dupont.id,
        label: 'Facturation clients',
        serviceCode: 'EINVOICING',
        grants: [{ rightCode: 'CUSTOMER_INVOICING', levelCode: 'CONSULT_ENTER_VALIDATE' }],
        userIds: [id('212')],
      },
    ];
    await this.prisma.$transaction(async (tx) => {
      await tx.resource.createMany({
        data: [
          {
            id: id('301'),
            companyId: martin.id,
            kind: 'ACCOUNT',
            contractType: 'CURRENT_ACCOUNT',
            label: 'Compte courant',
            identifier: 'FR7630001007941234567890185',
          },
          // A savings account moves money only to the company's own accounts: nothing to validate.
          {
            id: id('302'),
            companyId: martin.id,
            kind: 'ACCOUNT',
            contractType: 'SAVINGS_ACCOUNT',
            label: 'Compte sur livret',
            identifier: 'FR7630001007949876543210142',
            allowedRights: ['CONSULT', 'MANAGE'],
          },
          {
            id: id('303'),
            companyId: martin.id,
            kind: 'CONTRACT',
            contractType: 'SEPA_TRANSFERS',
            label: 'Virements SEPA',
            identifier: 'CTR-VIR-000145',
          },
          {
            id: id('304'),
            companyId: martin.id,
            kind: 'CONTRACT',
            contractType: 'CARD_ACQUIRING',
            label: 'Encaissement carte',
            identifier: 'CTR-MON-000872',
          },
          {
            id: id('311'),
            companyId: dupont.id,
            kind: 'ACCOUNT',
            contractType: 'CURRENT_ACCOUNT',
            label: 'Compte courant',
            identifier: 'FR7610107001011234567890129',
          },
          {
            id: id('312'),
            companyId: dupont.id,
            kind: 'CONTRACT',
            contractType: 'SEPA_TRANSFERS',
            label: 'Virements SEPA',
            identifier: 'CTR-VIR-000301',
          },
        ],
        skipDuplicates: true,
      });
      const existing = new Set(
        (await tx.authorization.findMany({ where: { id: { in: authorizations.map((a) => a.id) } }, select: { id: true } })).map(
          (a) => a.id,
        ),
      );
      for (const a of authorizations.filter((x) => !existing.has(x.id))) {
        await tx.authorization.create({
          data: {
            id: a.id,
            companyId: a.companyId,
            label: a.label,
            serviceCode: a.serviceCode,
            effectiveFrom: from,
            endsAt: a.endsAt ?? null,
            grants: { create: a.grants.map((g) => ({ rightCode: g.rightCode, levelCode: g.levelCode, resourceIds: g.resourceIds ?? [] })) },
            users: { create: a.userIds.map((userId) => ({ userId })) },
          },
        });
      }
      // Prisma's 5 s default is too short at boot on a loaded machine (every query shape is
      // compiled for the first time); past it the transaction is closed under the seed's feet.
    }, SEED_TRANSACTION);
    this.logger.log('demo resources and authorizations present');
  }
}
