import { Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { AccessModule } from '../access/access.module';
import { SharedModule } from '../shared/shared.module';
import { DiskDocumentStorage, DocumentStorage } from './document-storage';
import { DocumentsHandlers } from './documents.handlers';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DownloadTickets } from './download-ticket';

/** Generated documents: storage, retention, download tickets. */
@Module({
  imports: [SharedModule, AccessModule],
  controllers: [DocumentsHandlers],
  providers: [
    { provide: DocumentStorage, useFactory: (config: AppConfig) => DiskDocumentStorage.fromConfig(config), inject: [AppConfig] },
    { provide: DownloadTickets, useFactory: (config: AppConfig) => new DownloadTickets(config.secretsKey), inject: [AppConfig] },
    DocumentsRepository,
    DocumentsService,
  ],
  exports: [DocumentStorage, DocumentsService, DownloadTickets],
})
export class DocumentsModule {}
