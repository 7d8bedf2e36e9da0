import { Writable } from 'node:stream';
import { ReportAttachment, ReportCover, WriteResult } from './access-rights-report.writer';
import { PdfLayout } from './pdf-layout';
import { formatDateTime, reportLabels, valueLabel } from './report-labels';

/** One active delivery as the report shows it. */
export interface DeliveryLine {
  accountIdentifier: string;
  accountLabel: string;
  type: string;
  format: string;
  frequency: string;
  channel: string;
}

export interface DeliveriesInput {
  cover: ReportCover;
  total: number;
  contentSha256: string;
  deliveries: () => AsyncIterable<DeliveryLine>;
  attachment?: ReportAttachment;
}

/**
 * The layout of the deliveries report ("Rapport sur les livraisons", seed 002): the
 * company's active deliveries (account statements, interest closings, payment
 * confirmations, camt notifications) with account, format, frequency and channel.
 */
export class DeliveriesReportWriter {
  async write(input: DeliveriesInput, out: Writable, onProgress?: (written: number) => void | Promise<void>): Promise<WriteResult> {
    const { cover, contentSha256 } = input;
    const labels = reportLabels(cover.language);
    const generatedAt = new Date(cover.generatedAt);
    const when = formatDateTime(cover.language, generatedAt);
    const layout = new PdfLayout(
      out,
      { title: `${labels.deliveriesTitle} – ${cover.companyName}`, createdAt: generatedAt, language: cover.language },
      { left: labels.footer(labels.deliveriesTitle, when), second: labels.sha(contentSha256), pageLabel: labels.page },
    );
    const v = (code: string) => valueLabel(labels, code);

    layout.title(labels.deliveriesTitle);
    layout.keyValues([
      [labels.company, cover.companyName],
      [labels.registrationNumber, cover.registrationNumber],
      [labels.generatedAt, when],
      [labels.orderedBy, cover.orderedBy],
      [labels.reportId, cover.reportId],
      [labels.deliveries, String(input.total)],
    ]);
    layout.heading(labels.integrity);
    layout.paragraph(labels.integrityHow(contentSha256, input.attachment?.name ?? 'report-data.jsonl'));
    if (input.attachment) {
      await layout.attach(input.attachment.path, {
        name: input.attachment.name,
        type: 'application/x-ndjson',
        description: labels.integrity,
        date: generatedAt,
      });
    }

    layout.heading(labels.deliveries);
    if (input.total === 0) layout.line(labels.none);
    else
      layout.table([
        { header: labels.account, width: 180 },
        { header: labels.deliveryType, width: 110 },
        { header: labels.format, width: 60 },
        { header: labels.frequency, width: 90 },
        { header: labels.channel, width: 75 },
      ]);
    let n = 0;
    for await (const d of input.deliveries()) {
      layout.row([`${d.accountLabel} (${d.accountIdentifier})`, v(d.type), formatName(d.format), v(d.frequency), v(d.channel)]);
      if (++n % 200 === 0) {
        await layout.drain();
        await onProgress?.(n);
      }
    }
    await onProgress?.(n);
    await layout.finish();
    return { pages: layout.pages, rows: layout.rows };
  }
}

/** camt formats as bankers write them (camt.053), the others as they are (PDF, MT940). */
export function formatName(format: string): string {
  return format.startsWith('CAMT_') ? `camt.${format.slice(5)}` : format;
}
