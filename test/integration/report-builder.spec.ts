import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@procura/config';
import { CompanySummary, DeliveryFormat, DeliveryFrequency, ReportUser } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { createLogger, JsonLogger } from '@procura/logging';
import { FaultPoints, PermanentJobError, PlatformModule } from '@procura/messaging';
import { ChangeOwner, ChangesModule } from '@procura/changes';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { createScratchDatabase, scratchRedisUrl } from '@procura/testing';
import { ReportAccessPolicy } from '../../apps/reporting/src/access/report-access.policy';
import { DeliveriesRepository } from '../../apps/reporting/src/deliveries/deliveries.repository';
import { DeliveriesModule } from '../../apps/reporting/src/deliveries/deliveries.module';
import { DiskDocumentStorage, DocumentStorage } from '../../apps/reporting/src/documents/document-storage';
import { DocumentsRepository } from '../../apps/reporting/src/documents/documents.repository';
import { DocumentsService } from '../../apps/reporting/src/documents/documents.service';
import { DownloadTickets } from '../../apps/reporting/src/documents/download-ticket';
import { ReportBuilder, USERS_PAGE_SIZE } from '../../apps/reporting/src/reports/report-builder';
import { EMPTY_RIGHTS, ReportDataSource, ReportOrderer } from '../../apps/reporting/src/reports/report-data.source';
import { AccessRightsSection } from '../../apps/reporting/src/reports/render/access-rights-report.writer';
import { readPdf } from '../../apps/reporting/src/reports/render/read-pdf.testing';
import { ReportsRepository } from '../../apps/reporting/src/reports/reports.repository';
import { ReportsService } from '../../apps/reporting/src/reports/reports.service';
import { Clock } from '../../apps/reporting/src/shared/clock';
import { ReportingEvents, ReportingOutboxRelay } from '../../apps/reporting/src/shared/reporting-events';

/** Fabricated company data served page by page, recording how it was asked for. */
class FabricatedSource extends ReportDataSource {
  users = 0;
  pageSizes: number[] = [];
  failWith?: Error;

  async company(companyId: string): Promise<CompanySummary> {
    if (this.failWith) throw this.failWith;
    return { id: companyId, name: 'Société Fabriquée SA', registrationNumber: '123456789', pricingOffer: 'ESSENTIEL' };
  }

  async ordererName(orderer: ReportOrderer): Promise<string> {
    return `Orderer of ${orderer.companyId}`;
  }

  async *userPages(_companyId: string, pageSize: number): AsyncIterable<AccessRightsSection[]> {
    for (let start = 0; start < this.users; start += pageSize) {
      this.pageSizes.push(Math.min(pageSize, this.users - start));
      yield Array.from({ length: Math.min(pageSize, this.users - start) }, (_, i) => section(start + i + 1));
    }
  }
}

function section(n: number): AccessRightsSection {
  const user: ReportUser = {
    userId: randomUUID(),
    lastName: `Nom${n}`,
    firstName: `Prénom${n}`,
    email: `u${n}@fabrique.example`,
    clientType: 'STANDARD',
    adminSignature: 'NONE',
    status: 'ACTIVE',
    credentials: [{ loginIdMasked: `••••${n}`, type: 'PERMANENT', validUntil: null, bankingPower: false, status: 'ACTIVE' }],
  };
  return {
    user,
    rights: {
      ...EMPTY_RIGHTS,
      authorizations: [
        {
          id: randomUUID(),
          label: `Autorisation ${n}`,
          service: 'BANKING',
          effectiveFrom: '2026-01-01T00:00:00.000Z',
          endsAt: null,
          active: true,
        },
      ],
    },
  };
}

describe(ReportBuilder.name, () => {
  const source = new FabricatedSource();
  let app: INestApplicationContext;
  let config: AppConfig;
  let prisma: PrismaService;
  let builder: ReportBuilder;
  let storage: DiskDocumentStorage;

  beforeAll(async () => {
    config = loadConfig('reporting', {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: await createScratchDatabase('reporting'),
      REDIS_URL: await scratchRedisUrl(),
      DATA_DIR: join(process.env.PROCURA_TEST_DIR as string, `reporting-${randomUUID()}`),
    });
    storage = new DiskDocumentStorage(config.dataDir);
    @Module({})
    class BuilderTestModule {
      static forRoot(): DynamicModule {
        return {
          module: BuilderTestModule,
          imports: [PlatformModule.forService(config)],
          providers: [
            Clock,
            ReportingEvents,
            ReportingOutboxRelay,
            ReportAccessPolicy,
            ReportsRepository,
            ReportsService,
            ReportBuilder,
            DeliveriesRepository,
            DocumentsRepository,
            DocumentsService,
            { provide: FaultPoints, useValue: new FaultPoints(config) },
            { provide: DocumentStorage, useValue: storage },
            { provide: ReportDataSource, useValue: source },
            { provide: DownloadTickets, useValue: new DownloadTickets(config.secretsKey) },
          ],
        };
      }
    }
    const quiet = new Writable({ write: (_c, _e, done) => done() });
    app = await NestFactory.createApplicationContext(BuilderTestModule.forRoot(), {
      logger: new JsonLogger(createLogger('reporting', 'warn', quiet)),
    });
    prisma = app.get(PrismaService);
    builder = app.get(ReportBuilder);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    source.users = 0;
    source.pageSizes = [];
    source.failWith = undefined;
  });

  async function newReport(type: 'ACCESS_RIGHTS' | 'DELIVERIES' = 'ACCESS_RIGHTS', companyId: string = randomUUID()) {
    return prisma.report.create({ data: { id: randomUUID(), companyId, type, orderedBy: 'user:test', openKey: `${companyId}:${type}` } });
  }

  it('builds the access-rights report page by page into storage and records the document, READY and the notice in one go', async () => {
    source.users = 450;
    const report = await newReport();
    expect(await builder.build(report.id, { last: false })).toMatchObject({ outcome: 'built' });

    expect(source.pageSizes).toEqual([USERS_PAGE_SIZE, USERS_PAGE_SIZE, 50]);
    const done = await prisma.report.findUniqueOrThrow({ where: { id: report.id }, include: { document: true } });
    expect(done).toMatchObject({ status: 'READY', progress: 100, openKey: null, failureReason: null });
    const document = done.document!;
    const bytes = await readFile(join(storage.root, document.storageKey));
    expect(bytes.length).toBe(document.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(document.fileSha256);
    expect(document.expiresAt.getTime() - document.createdAt.getTime()).toBeGreaterThan((config.documentRetentionDays - 1) * 86_400_000);

    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain('Société Fabriquée SA');
    expect(pdf.text).toContain('Nom1 Prénom1');
    expect(pdf.text).toContain('Nom450 Prénom450');
    expect(pdf.text).toContain('Autorisation 450');
    expect(pdf.attachments['report-data.jsonl'].sha256).toBe(document.contentSha256);

    const jobs = await prisma.reportingOutbox.findMany({ select: { jobName: true, jobId: true } });
    expect(jobs).toEqual(expect.arrayContaining([{ jobName: 'notify-report-ready', jobId: `report-ready-${report.id}` }]));
    // The spool is gone once the document is stored.
    expect(existsSync(join(config.dataDir, 'reporting', 'spool', `${report.id}.jsonl`))).toBe(false);
  }, 60_000);

  it('rebuilds after a crash, overwriting the partial file, and does nothing for a finished report', async () => {
    source.users = 3;
    const report = await newReport();
    await prisma.report.update({ where: { id: report.id }, data: { status: 'RUNNING', progress: 60, attempts: 1 } });
    const partial = join(storage.root, 'reports', report.companyId, `${report.id}.pdf.partial`);
    await mkdir(dirname(partial), { recursive: true });
    await writeFile(partial, Buffer.alloc(5_000_000, 0x41));

    expect(await builder.build(report.id, { last: false })).toMatchObject({ outcome: 'built' });
    const done = await prisma.report.findUniqueOrThrow({ where: { id: report.id }, include: { document: true } });
    expect(done).toMatchObject({ status: 'READY', attempts: 2 });
    expect(done.document!.size).toBeLessThan(100_000);
    expect(existsSync(partial)).toBe(false);
    expect((await readPdf(await readFile(join(storage.root, done.document!.storageKey)))).text).toContain('Nom3 Prénom3');

    // A duplicate job for a finished report changes nothing.
    expect(await builder.build(report.id, { last: false })).toEqual({ outcome: 'already-finished' });
    expect((await prisma.report.findUniqueOrThrow({ where: { id: report.id } })).completedAt).toEqual(done.completedAt);
  }, 30_000);

  it('fails at once, with the reason, when a source refuses for good; the report type can then be ordered again', async () => {
    source.failWith = new PermanentJobError('The identity service does not provide identity.companies.summary, which this report needs');
    const report = await newReport();
    await expect(builder.build(report.id, { last: false })).rejects.toThrow('identity.companies.summary');
    const failed = await prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(failed).toMatchObject({
      status: 'FAILED',
      openKey: null,
      failureReason: 'The identity service does not provide identity.companies.summary, which this report needs',
    });
    await expect(newReport('ACCESS_RIGHTS', report.companyId)).resolves.toBeDefined();
    expect(await prisma.document.count({ where: { reportId: report.id } })).toBe(0);
  });

  it('keeps a transiently failing build RUNNING for its retry, and ends it FAILED on the last attempt', async () => {
    source.failWith = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    const report = await newReport();
    await expect(builder.build(report.id, { last: false })).rejects.toThrow('ECONNREFUSED');
    expect((await prisma.report.findUniqueOrThrow({ where: { id: report.id } })).status).toBe('RUNNING');
    await expect(builder.build(report.id, { last: true })).rejects.toThrow('ECONNREFUSED');
    const failed = await prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toBe('The report could not be built after several attempts: connect ECONNREFUSED 127.0.0.1:6379');
  });

  it('builds the deliveries report from the active deliveries only, in keyset pages', async () => {
    const companyId = randomUUID();
    await prisma.delivery.createMany({
      data: Array.from({ length: 1203 }, (_, i) => ({
        id: randomUUID(),
        companyId,
        accountIdentifier: `FR76${String(i).padStart(23, '0')}`,
        accountLabel: `Compte ${i}`,
        type: 'ACCOUNT_STATEMENT' as const,
        format: 'CAMT_053' as const,
        frequency: 'DAILY' as const,
        channel: 'EBICS' as const,
        active: i !== 7,
      })),
    });
    const report = await newReport('DELIVERIES', companyId);
    expect(await builder.build(report.id, { last: false })).toMatchObject({ outcome: 'built' });
    const done = await prisma.report.findUniqueOrThrow({ where: { id: report.id }, include: { document: true } });
    const pdf = await readPdf(await readFile(join(storage.root, done.document!.storageKey)));
    const lines = pdf.attachments['report-data.jsonl'].content.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 1202);
    expect(pdf.text).toContain('Compte 1202');
    expect(pdf.text).not.toContain('Compte 7 (');
    expect(pdf.text).toContain('camt.053');
  }, 60_000);

  it('serves a READY report to its company in ticketed chunks that add up to the stored file, and nothing to another company', async () => {
    source.users = 120;
    const report = await newReport();
    await builder.build(report.id, { last: false });
    const admin = {
      kind: 'user' as const,
      userId: randomUUID(),
      companyId: report.companyId,
      clientType: 'ADMINISTRATOR' as const,
      sessionId: randomUUID(),
    };
    const reports = app.get(ReportsService);
    const download = await reports.openFile(admin, report.id);
    expect(download).toMatchObject({
      contentType: 'application/pdf',
      fileName: expect.stringMatching(/^rapport-autorisations-acces-/) as string,
    });
    const documents = app.get(DocumentsService);
    const parts: Buffer[] = [];
    for (let offset = 0, eof = false; !eof;) {
      const chunk = await documents.readChunk(download.ticket, offset, 64 * 1024);
      parts.push(Buffer.from(chunk.data, 'base64'));
      offset += chunk.bytes;
      eof = chunk.eof;
    }
    const bytes = Buffer.concat(parts);
    expect(bytes.length).toBe(download.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(download.fileSha256);

    const stranger = { ...admin, companyId: randomUUID() };
    await expect(reports.get(stranger, report.id)).rejects.toMatchObject({ status: 404 });
    await expect(reports.openFile(stranger, report.id)).rejects.toMatchObject({ status: 404 });
    await expect(documents.readChunk(`${download.ticket}x`, 0, 10)).rejects.toMatchObject({ status: 401 });
  }, 30_000);

  it('purges documents past their retention period, file and row, and keeps the others', async () => {
    source.users = 1;
    const old = await newReport();
    const fresh = await newReport();
    await builder.build(old.id, { last: false });
    await builder.build(fresh.id, { last: false });
    const oldDoc = await prisma.document.findUniqueOrThrow({ where: { reportId: old.id } });
    await prisma.document.update({ where: { id: oldDoc.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect(await app.get(DocumentsService).purgeExpired()).toBe(1);
    expect(await prisma.document.findUnique({ where: { id: oldDoc.id } })).toBeNull();
    expect(existsSync(join(storage.root, oldDoc.storageKey))).toBe(false);
    const freshDoc = await prisma.document.findUniqueOrThrow({ where: { reportId: fresh.id } });
    expect(existsSync(join(storage.root, freshDoc.storageKey))).toBe(true);
    expect(await app.get(DocumentsService).purgeExpired()).toBe(0);
  }, 30_000);
});

/** DELIVERY_UPDATE as the reporting service runs it: its handler behind the owner runtime of @procura/changes. */
describe('DeliveryUpdateHandler', () => {
  let app: INestApplicationContext;
  let prisma: PrismaService;
  let changes: ChangeOwner;

  beforeAll(async () => {
    const config = loadConfig('reporting', {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: await createScratchDatabase('reporting'),
      REDIS_URL: `${process.env.REDIS_URL}/15`,
    });
    @Module({})
    class ChangesTestModule {
      static forRoot(): DynamicModule {
        return {
          module: ChangesTestModule,
          imports: [PlatformModule.forService(config), DeliveriesModule, ChangesModule.forOwner({ service: 'reporting' })],
        };
      }
    }
    const quiet = new Writable({ write: (_c, _e, done) => done() });
    app = await NestFactory.createApplicationContext(ChangesTestModule.forRoot(), {
      logger: new JsonLogger(createLogger('reporting', 'warn', quiet)),
    });
    prisma = app.get(PrismaService);
    changes = app.get(ChangeOwner);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  async function delivery(companyId = randomUUID()) {
    return prisma.delivery.create({
      data: {
        id: randomUUID(),
        companyId,
        accountIdentifier: 'FR7630001007941234567890185',
        accountLabel: 'Compte courant',
        type: 'ACCOUNT_STATEMENT',
        format: 'PDF',
        frequency: 'MONTHLY',
        channel: 'E_BANKING',
      },
    });
  }

  it('validates a change with its summary, diff and target version, refusing unknown deliveries and no-op changes', async () => {
    const d = await delivery();
    const validation = await changes.validate({
      kind: 'DELIVERY_UPDATE',
      companyId: d.companyId,
      payload: { deliveryId: d.id, frequency: DeliveryFrequency.WEEKLY },
    });
    expect(validation).toMatchObject({
      targetType: 'Delivery',
      targetId: d.id,
      targetVersion: 1,
      subjectUserIds: [],
      diff: { before: { frequency: 'MONTHLY' }, after: { frequency: 'WEEKLY' } },
      payload: { deliveryId: d.id, frequency: 'WEEKLY' },
    });
    expect(validation.summary).toContain('frequency MONTHLY → WEEKLY');
    await expect(
      changes.validate({ kind: 'DELIVERY_UPDATE', companyId: randomUUID(), payload: { deliveryId: d.id, frequency: 'WEEKLY' } }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      changes.validate({ kind: 'DELIVERY_UPDATE', companyId: d.companyId, payload: { deliveryId: d.id, frequency: 'MONTHLY' } }),
    ).rejects.toMatchObject({ status: 400 });
    // camt.053 by e-banking is offered; MT940 by e-mail is not.
    await expect(
      changes.validate({ kind: 'DELIVERY_UPDATE', companyId: d.companyId, payload: { deliveryId: d.id, format: DeliveryFormat.CAMT_053 } }),
    ).resolves.toMatchObject({ payload: { format: 'CAMT_053' } });
    await expect(
      changes.validate({
        kind: 'DELIVERY_UPDATE',
        companyId: d.companyId,
        payload: { deliveryId: d.id, channel: 'EMAIL', format: 'MT940' },
      }),
    ).rejects.toMatchObject({ code: 'DELIVERY_NOT_OFFERED', status: 422 });
    await expect(
      changes.validate({ kind: 'DELIVERY_UPDATE', companyId: d.companyId, payload: { deliveryId: d.id, colour: 'blue' } }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('applies a change exactly once per change request, and STALE when the delivery changed since validation', async () => {
    const d = await delivery();
    const changeRequestId: string = randomUUID();
    const input = {
      changeRequestId,
      kind: 'DELIVERY_UPDATE' as const,
      companyId: d.companyId,
      makerUserId: randomUUID(),
      payload: { deliveryId: d.id, frequency: 'WEEKLY' },
      targetVersion: 1,
    };
    const first = await changes.apply(input);
    expect(first).toMatchObject({ outcome: 'APPLIED', result: { delivery: { frequency: 'WEEKLY', version: 2 } } });
    expect(await changes.apply(input)).toEqual(first);
    expect((await prisma.delivery.findUniqueOrThrow({ where: { id: d.id } })).version).toBe(2);

    const stale = await changes.apply({
      ...input,
      changeRequestId: randomUUID(),
      payload: { deliveryId: d.id, frequency: 'QUARTERLY' },
      targetVersion: 1,
    });
    expect(stale.outcome).toBe('STALE');
    expect((await prisma.delivery.findUniqueOrThrow({ where: { id: d.id } })).frequency).toBe('WEEKLY');
    // One audit entry for the change, handed to the workflow with the outcome; a replay hands the same one (same event id).
    expect(first.audit).toEqual([expect.objectContaining({ action: 'DELIVERY_UPDATED', targetId: d.id })]);
    expect((await changes.apply(input)).audit).toEqual(first.audit);
  });
});
