import { DocumentView, ReportDocumentView, ReportLanguage, ReportStatus, ReportType, ReportView } from '@procura/contracts';
import { Document } from '@procura/database';
import { ReportWithDocument } from './reports.repository';

export function toReportDocumentView(d: Document): ReportDocumentView {
  return {
    id: d.id,
    fileName: d.fileName,
    contentType: d.contentType,
    size: d.size,
    fileSha256: d.fileSha256,
    contentSha256: d.contentSha256,
    expiresAt: d.expiresAt.toISOString(),
  };
}

export function toDocumentView(d: Document): DocumentView {
  return {
    ...toReportDocumentView(d),
    companyId: d.companyId,
    reportId: d.reportId,
    reportType: d.reportType as ReportType,
    createdAt: d.createdAt.toISOString(),
  };
}

export function toReportView(r: ReportWithDocument): ReportView {
  return {
    id: r.id,
    companyId: r.companyId,
    type: r.type as ReportType,
    language: r.language as ReportLanguage,
    status: r.status as ReportStatus,
    progress: r.progress,
    ...(r.failureReason ? { failureReason: r.failureReason } : {}),
    orderedBy: r.orderedBy,
    createdAt: r.createdAt.toISOString(),
    ...(r.startedAt ? { startedAt: r.startedAt.toISOString() } : {}),
    ...(r.completedAt ? { completedAt: r.completedAt.toISOString() } : {}),
    ...(r.document ? { document: toReportDocumentView(r.document) } : {}),
  };
}
