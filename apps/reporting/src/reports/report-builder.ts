import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { JOBS, ReportLanguage, ReportType } from '@procura/contracts';
import { Report, Transactions } from '@procura/database';
import { DomainError } from '@procura/errors';
import { FaultPoints, PermanentJobError } from '@procura/messaging';
import { createHash, Hash } from 'node:crypto';
import { join } from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { DeliveriesRepository, DeliveryCursor } from '../deliveries/deliveries.repository';
import { DocumentStorage, StorageUpload } from '../documents/document-storage';
import { Clock } from '../shared/clock';
import { ReportingEvents, ReportingOutboxRelay } from '../shared/reporting-events';
import { ReportDataSource } from './report-data.source';
import { ReportsRepository } from './reports.repository';
import {
  AccessRightsReportWriter,
  AccessRightsSection,
  addToTotals,
  emptyAccessRightsTotals,
  ReportCover,
  WriteResult,
} from './render/access-rights-report.writer';
import { DeliveriesReportWriter, DeliveryLine } from './render/deliveries-report.writer';
import { ReportSpool } from './render/report-spool';

/** Users per page asked of identity (and per rights question to authorizations). */
export const USERS_PAGE_SIZE = 200;
const DELIVERIES_PAGE_SIZE = 500;
const DATA_ATTACHMENT = 'report-data.jsonl';

export interface BuildAttempt {
  /** True when a transient failure now must end the report FAILED (no attempt left). */
  last: boolean;
}

export type BuildOutcome = { outcome: 'built'; pages: number; rows: number; bytes: number } | { outcome: 'already-finished' };

/** Counts and hashes the bytes on their way to storage. */
class Fingerprint extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** Reports progress to the order at most a few times a second. */
class ProgressMeter {
  private last = -1;
  private lastAt = 0;

  constructor(private readonly save: (progress: number) => Promise<void>) {}

  async set(progress: number): Promise<void> {
    const value = Math.max(0, Math.min(99, Math.floor(progress)));
    if (value <= this.last || Date.now() - this.lastAt < 250) return;
    this.last = value;
    this.lastAt = Date.now();
    await this.save(value);
  }
}

export function reportFileName(type: ReportType, language: ReportLanguage, generatedAt: Date): string {
  const day = generatedAt.toISOString().slice(0, 10);
  const base =
    type === ReportType.ACCESS_RIGHTS
      ? language === 'fr'
        ? 'rapport-autorisations-acces'
        : 'access-rights-report'
      : language === 'fr'
        ? 'rapport-livraisons'
        : 'deliveries-report';
  return `${base}-${day}.pdf`;
}

/**
 * Builds one ordered report: gathers its data page by page into a spool (canonical JSON
 * Lines, hashed as written), then renders the PDF from the spool straight into the
 * document storage, then records the document and READY in one transaction with the
 * "report ready" notice. Idempotent: a retried build (after a crash or a transient
 * failure) starts over and overwrites the previous attempt's partial file.
 */
@Injectable()
export class ReportBuilder {
  private readonly logger = new Logger(ReportBuilder.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly reports: ReportsRepository,
    private readonly source: ReportDataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly storage: DocumentStorage,
    private readonly events: ReportingEvents,
    private readonly relay: ReportingOutboxRelay,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly faults: FaultPoints,
  ) {}

  async build(reportId: string, attempt: BuildAttempt): Promise<BuildOutcome> {
    if (!(await this.reports.start(reportId, this.clock.now()))) return { outcome: 'already-finished' };
    const report = (await this.reports.find(reportId))!;
    const spoolPath = join(this.config.dataDir, 'reporting', 'spool', `${report.id}.jsonl`);
    const storageKey = `reports/${report.companyId}/${report.id}.pdf`;
    const meter = new ProgressMeter((p) => this.reports.progress(report.id, p));
    let upload: StorageUpload | undefined;
    const started = Date.now();
    try {
      const company = await this.source.company(report.companyId);
      const generatedAt = this.clock.now();
      const language = report.language === 'en' ? 'en' : 'fr';
      const cover: ReportCover = {
        reportId: report.id,
        companyId: report.companyId,
        companyName: company.name,
        registrationNumber: company.registrationNumber,
        orderedBy: await this.source.ordererName(report),
        generatedAt: generatedAt.toISOString(),
        language,
      };
      await meter.set(5);
      upload = await this.storage.upload(storageKey);
      const fingerprint = new Fingerprint();
      fingerprint.pipe(upload.stream);
      const { contentSha256, result } =
        report.type === 'ACCESS_RIGHTS'
          ? await this.accessRights(report, cover, spoolPath, fingerprint, meter)
          : await this.deliveriesReport(report, cover, spoolPath, fingerprint, meter);
      // The whole PDF is in the partial file: a crash here must leave it to be rebuilt, not half-published.
      this.faults.reach('reporting.build.before-commit');
      const { size } = await upload.commit();
      const fileSha256 = fingerprint.hash.digest('hex');
      const now = this.clock.now();
      const completed = await this.transactions.run(async (tx) => {
        const done = await this.reports.complete(
          tx,
          report.id,
          {
            id: report.id,
            companyId: report.companyId,
            reportId: report.id,
            reportType: report.type,
            fileName: reportFileName(report.type as ReportType, language, generatedAt),
            contentType: 'application/pdf',
            storageKey,
            size,
            fileSha256,
            contentSha256,
            expiresAt: new Date(now.getTime() + this.config.documentRetentionDays * 86_400_000),
          },
          now,
        );
        if (!done) return false;
        await this.events.job(tx, JOBS.notifyReportReady, `report-ready-${report.id}`, { reportId: report.id });
        await this.events.audit(tx, {
          companyId: report.companyId,
          actor: 'system:reporting',
          action: 'REPORT_READY',
          targetType: 'Report',
          targetId: report.id,
          details: { type: report.type, pages: result.pages, size, fileSha256, contentSha256 },
        });
        return true;
      });
      this.relay.nudge();
      this.logger.log({
        msg: 'report built',
        reportId: report.id,
        type: report.type,
        pages: result.pages,
        rows: result.rows,
        bytes: size,
        ms: Date.now() - started,
      });
      return completed ? { outcome: 'built', pages: result.pages, rows: result.rows, bytes: size } : { outcome: 'already-finished' };
    } catch (error) {
      await upload?.abort().catch(() => undefined);
      const permanent = error instanceof PermanentJobError || (error instanceof DomainError && error.status < 500);
      const message = error instanceof Error ? error.message : String(error);
      if (permanent || attempt.last) {
        const reason = permanent ? message : `The report could not be built after several attempts: ${message}`;
        await this.reports.fail(report.id, reason, this.clock.now());
        this.logger.warn({ msg: 'report failed', reportId: report.id, reason });
      }
      throw error;
    } finally {
      await new ReportSpool(spoolPath).remove().catch(() => undefined);
    }
  }

  private async accessRights(
    report: Report,
    cover: ReportCover,
    spoolPath: string,
    out: Fingerprint,
    meter: ProgressMeter,
  ): Promise<{ contentSha256: string; result: WriteResult }> {
    const spool = new ReportSpool<object, AccessRightsSection>(spoolPath);
    await spool.open({ report: 'ACCESS_RIGHTS', formatVersion: 1, ...cover });
    const totals = emptyAccessRightsTotals();
    let pages = 0;
    for await (const page of this.source.userPages(report.companyId, USERS_PAGE_SIZE)) {
      for (const section of page) {
        await spool.append(section);
        addToTotals(totals, section);
      }
      pages++;
      await meter.set(Math.min(40, 5 + pages * 2));
    }
    const { sha256 } = await spool.close();
    const result = await new AccessRightsReportWriter().write(
      { cover, totals, contentSha256: sha256, sections: () => spool.read(), attachment: { path: spool.path, name: DATA_ATTACHMENT } },
      out,
      (written) => meter.set(40 + (55 * written) / Math.max(1, totals.users)),
    );
    return { contentSha256: sha256, result };
  }

  private async deliveriesReport(
    report: Report,
    cover: ReportCover,
    spoolPath: string,
    out: Fingerprint,
    meter: ProgressMeter,
  ): Promise<{ contentSha256: string; result: WriteResult }> {
    const spool = new ReportSpool<object, DeliveryLine>(spoolPath);
    await spool.open({ report: 'DELIVERIES', formatVersion: 1, ...cover });
    let after: DeliveryCursor | undefined;
    let total = 0;
    for (;;) {
      const page = await this.deliveries.activePage(report.companyId, after, DELIVERIES_PAGE_SIZE);
      for (const d of page) {
        await spool.append({
          accountIdentifier: d.accountIdentifier,
          accountLabel: d.accountLabel,
          type: d.type,
          format: d.format,
          frequency: d.frequency,
          channel: d.channel,
        });
      }
      total += page.length;
      await meter.set(Math.min(40, 5 + total / 1000));
      if (page.length < DELIVERIES_PAGE_SIZE) break;
      const last = page[page.length - 1];
      after = { accountIdentifier: last.accountIdentifier, type: last.type };
    }
    const { sha256 } = await spool.close();
    const result = await new DeliveriesReportWriter().write(
      { cover, total, contentSha256: sha256, deliveries: () => spool.read(), attachment: { path: spool.path, name: DATA_ATTACHMENT } },
      out,
      (written) => meter.set(40 + (55 * written) / Math.max(1, total)),
    );
    return { contentSha256: sha256, result };
  }
}
