import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  DocumentChunk,
  DocumentView,
  ListDocumentsPayload,
  Page,
  ReadDocumentChunkPayload,
  ReportingCommands,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { DocumentsService } from './documents.service';

@Controller()
export class DocumentsHandlers {
  constructor(private readonly documents: DocumentsService) {}

  @MessagePattern(ReportingCommands.listDocuments.pattern)
  list(@Payload() payload: ListDocumentsPayload, @RpcActor() actor: Actor): Promise<Page<DocumentView>> {
    return this.documents.list(actor, payload.companyId, payload);
  }

  /** Authorised by the ticket that openReportFile issued after its access check. */
  @MessagePattern(ReportingCommands.readDocumentChunk.pattern)
  readChunk(@Payload() payload: ReadDocumentChunkPayload): Promise<DocumentChunk> {
    return this.documents.readChunk(payload.ticket, payload.offset, payload.length);
  }
}
