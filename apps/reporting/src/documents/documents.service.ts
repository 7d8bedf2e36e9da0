import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, DocumentChunk, DocumentView, Page, PageQueryDto, pageWindow } from '@procura/contracts';
import { NotFoundError, UnauthenticatedError } from '@procura/errors';
import { ReportAccessPolicy } from '../access/report-access.policy';
import { toDocumentView } from '../reports/report-views';
import { Clock } from '../shared/clock';
import { DocumentStorage } from './document-storage';
import { DocumentsRepository } from './documents.repository';
import { DownloadTickets } from './download-ticket';

/** The company's documents ("Documents" in e-finance, seed 002): listing, reading, retention. */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly storage: DocumentStorage,
    private readonly access: ReportAccessPolicy,
    private readonly tickets: DownloadTickets,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, companyId: string, query: PageQueryDto): Promise<Page<DocumentView>> {
    await this.access.assertAllowed(actor, companyId, 'Company');
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.documents.page(companyId, skip, pageSize);
    return { items: items.map(toDocumentView), page, pageSize, total };
  }

  async readChunk(ticket: string, offset: number, length: number): Promise<DocumentChunk> {
    const documentId = this.tickets.verify(ticket, this.clock.now().getTime());
    if (!documentId) throw new UnauthenticatedError('Invalid or expired download ticket');
    const document = await this.documents.find(documentId);
    if (!document) throw new NotFoundError('Document');
    if (offset >= document.size) return { data: '', bytes: 0, eof: true };
    const end = Math.min(document.size, offset + length) - 1;
    const stream = await this.storage.read(document.storageKey, { start: offset, end });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return { data: bytes.toString('base64'), bytes: bytes.length, eof: offset + bytes.length >= document.size };
  }

  /** Removes the documents past their retention period: the file first, then the row (a crash in between is redone next time). */
  async purgeExpired(now: Date = this.clock.now()): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.documents.expired(now, 200);
      if (batch.length === 0) break;
      for (const document of batch) {
        await this.storage.delete(document.storageKey);
        await this.documents.delete(document.id);
        removed++;
      }
    }
    if (removed) this.logger.log({ msg: 'expired documents removed', removed, retentionDays: this.config.documentRetentionDays });
    return removed;
  }
}
