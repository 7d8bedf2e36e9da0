/**
 * One measured run of the report benchmark, in its own process so that its memory is
 * the build's alone (bench/report.bench.ts starts it):
 *   report <users> <authorizationsPerUser>   ReportBuilder: pages of users → spool → PDF into storage → READY
 *   baseline <users> <authorizationsPerUser> bare pdfkit writing the same table rows from memory, no database
 * Prints one JSON line: { ms, peakRssMb, peakHeapMb, rows, pages, bytes }.
 */
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@procura/config';
import { CompanySummary, ReportUser, ReportUserRights } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { createLogger, JsonLogger } from '@procura/logging';
import { FaultPoints, PlatformModule } from '@procura/messaging';
import PDFDocument from 'pdfkit';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ReportAccessPolicy } from '../apps/reporting/src/access/report-access.policy';
import { DeliveriesRepository } from '../apps/reporting/src/deliveries/deliveries.repository';
import { DiskDocumentStorage, DocumentStorage } from '../apps/reporting/src/documents/document-storage';
import { ReportBuilder } from '../apps/reporting/src/reports/report-builder';
import { ReportDataSource } from '../apps/reporting/src/reports/report-data.source';
import { AccessRightsSection } from '../apps/reporting/src/reports/render/access-rights-report.writer';
import { ReportsRepository } from '../apps/reporting/src/reports/reports.repository';
import { Clock } from '../apps/reporting/src/shared/clock';
import { ReportingEvents, ReportingOutboxRelay } from '../apps/reporting/src/shared/reporting-events';

interface Figures {
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  rows: number;
  pages: number;
  bytes: number;
}

function sampleMemory(): { stop(): { peakRssMb: number; peakHeapMb: number } } {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return { peakRssMb: rss / 1048576, peakHeapMb: heap / 1048576 };
    },
  };
}

const SERVICES = ['BANKING', 'EINVOICING', 'ACCOUNTING_PORTAL', 'EDI', 'REPORTS'];
const RIGHTS = ['CONSULT', 'MANAGE', 'VALIDATE', 'SUPPLIER_INVOICE_APPROVAL', 'SEND_DECLARATIONS'];
const RESOURCES = [
  { id: randomUUID(), label: 'Compte courant', identifier: 'FR7630001007941234567890185' },
  { id: randomUUID(), label: 'Virements SEPA', identifier: 'CTR-VIR-000145' },
];

/** Generated users, created page by page as identity and authorizations would send them (nothing kept between pages). */
class GeneratedCompany extends ReportDataSource {
  constructor(
    private readonly users: number,
    private readonly authorizationsPerUser: number,
  ) {
    super();
  }

  async company(companyId: string): Promise<CompanySummary> {
    return { id: companyId, name: 'Grande Entreprise Industrielle SA', registrationNumber: '552100554', pricingOffer: 'PREMIUM' };
  }

  async ordererName(): Promise<string> {
    return 'Sophie Martin (sophie.martin@grande-entreprise.example)';
  }

  async *userPages(_companyId: string, pageSize: number): AsyncIterable<AccessRightsSection[]> {
    for (let start = 0; start < this.users; start += pageSize) {
      const page: AccessRightsSection[] = [];
      for (let n = start; n < Math.min(this.users, start + pageSize); n++) page.push(this.section(n));
      // The real source waits for two RPC round trips per page; yield to the event loop likewise.
      await new Promise((r) => setImmediate(r));
      yield page;
    }
  }

  private section(n: number): AccessRightsSection {
    const user: ReportUser = {
      userId: randomUUID(),
      lastName: `Durand-${n}`,
      firstName: `Camille`,
      email: `camille.durand.${n}@grande-entreprise.example`,
      clientType: n % 50 === 0 ? 'ADMINISTRATOR' : 'STANDARD',
      adminSignature: n % 50 === 0 ? 'COLLECTIVE' : 'NONE',
      status: n % 17 === 0 ? 'SUSPENDED' : 'ACTIVE',
      credentials: [
        {
          loginIdMasked: `••••••••••${String(n % 10000).padStart(4, '0')}`,
          type: n % 3 === 0 ? 'TEMPORARY' : 'PERMANENT',
          validUntil: n % 3 === 0 ? '2027-06-30T00:00:00.000Z' : null,
          bankingPower: n % 2 === 0,
          status: 'ACTIVE',
        },
      ],
    };
    const rights: ReportUserRights = { authorizations: [], effectiveRights: [], pendingChangeRequests: [] };
    for (let a = 0; a < this.authorizationsPerUser; a++) {
      const id = randomUUID();
      const service = SERVICES[a % SERVICES.length];
      rights.authorizations.push({
        id,
        label: `Profil ${service.toLowerCase()} ${a + 1}`,
        service,
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        endsAt: a === 4 ? '2027-12-31T00:00:00.000Z' : null,
        active: true,
      });
      rights.effectiveRights.push({
        service,
        right: RIGHTS[a % RIGHTS.length],
        level: service === 'EINVOICING' ? 'CONSULT_ENTER_VALIDATE' : 'ACCESS',
        resources: service === 'BANKING' ? RESOURCES : null,
        authorizationId: id,
      });
    }
    if (n % 100 === 0)
      rights.pendingChangeRequests.push({
        id: randomUUID(),
        kind: 'AUTHORIZATION_UPDATE',
        summary: `Extend Profil banking 1 of Durand-${n}`,
        createdAt: '2026-11-20T09:00:00.000Z',
      });
    return { user, rights };
  }
}

async function report(users: number, authorizationsPerUser: number): Promise<Figures> {
  const config = loadConfig('reporting', process.env);
  @Module({})
  class BenchModule {
    static forRoot(): DynamicModule {
      return {
        module: BenchModule,
        imports: [PlatformModule.forService(config)],
        providers: [
          Clock,
          ReportingEvents,
          ReportingOutboxRelay,
          ReportAccessPolicy,
          ReportsRepository,
          ReportBuilder,
          DeliveriesRepository,
          { provide: FaultPoints, useValue: new FaultPoints(config) },
          { provide: DocumentStorage, useValue: new DiskDocumentStorage(config.dataDir) },
          { provide: ReportDataSource, useValue: new GeneratedCompany(users, authorizationsPerUser) },
        ],
      };
    }
  }
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot(), {
    logger: new JsonLogger(createLogger('reporting', 'warn', quiet)),
  });
  const prisma = app.get(PrismaService);
  const companyId = randomUUID();
  const reportId = randomUUID();
  await prisma.report.create({
    data: { id: reportId, companyId, type: 'ACCESS_RIGHTS', orderedBy: 'user:bench', openKey: `${companyId}:ACCESS_RIGHTS` },
  });
  const builder = app.get(ReportBuilder);
  const memory = sampleMemory();
  const started = performance.now();
  const built = await builder.build(reportId, { last: true });
  const ms = performance.now() - started;
  const peak = memory.stop();
  await app.close();
  if (built.outcome !== 'built') throw new Error('the report was not built');
  return { ms, ...peak, rows: built.rows, pages: built.pages, bytes: built.bytes };
}

/**
 * The floor: pdfkit alone writing the report's table rows (the same cell texts, one
 * text call per cell, as the report does) from generated data held in memory, with no
 * database, spool, hashing, headings or page furniture.
 */
async function baseline(users: number, authorizationsPerUser: number): Promise<Figures> {
  const dir = join(loadConfig('reporting', process.env).dataDir, 'baseline');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'baseline.pdf');
  const company = new GeneratedCompany(users, authorizationsPerUser);
  const memory = sampleMemory();
  const started = performance.now();
  const doc = new PDFDocument({ size: 'A4', margin: 40, compress: true });
  const out = createWriteStream(path);
  doc.pipe(out);
  doc.font('Helvetica').fontSize(7.5);
  let y = 40;
  let pages = 1;
  let rows = 0;
  const row = (cells: string[], widths: number[]) => {
    if (y > 760) {
      doc.addPage();
      pages++;
      y = 40;
    }
    let x = 40;
    for (let c = 0; c < cells.length; c++) {
      if (cells[c]) doc.text(cells[c], x, y, { lineBreak: false });
      x += widths[c];
    }
    y += 11;
    rows++;
  };
  for await (const page of company.userPages('bench', 200)) {
    for (const { user, rights } of page) {
      row(
        [
          `${user.lastName} ${user.firstName}`,
          user.status,
          '1',
          String(rights.authorizations.length),
          String(rights.effectiveRights.length),
          '0',
        ],
        [200, 75, 60, 60, 60, 60],
      );
      for (const a of rights.authorizations)
        row([a.label, a.service, a.effectiveFrom.slice(0, 10), a.endsAt?.slice(0, 10) ?? '', 'Oui'], [170, 95, 70, 70, 50]);
      for (const r of rights.effectiveRights)
        row(
          [r.service, r.right, r.level, r.resources?.map((res) => `${res.label} (${res.identifier})`).join(', ') ?? 'sans objet'],
          [80, 130, 110, 195],
        );
    }
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  const finished = once(out, 'finish');
  doc.end();
  await finished;
  const ms = performance.now() - started;
  return { ms, ...memory.stop(), rows, pages, bytes: statSync(path).size };
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  const figures = mode === 'report' ? await report(Number(a), Number(b)) : await baseline(Number(a), Number(b));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
