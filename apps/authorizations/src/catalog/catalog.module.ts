import { Module } from '@nestjs/common';
import { CatalogHandlers } from './catalog.handlers';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';

/** The service catalog (services, rights, levels), read-only. */
@Module({ controllers: [CatalogHandlers], providers: [CatalogRepository, CatalogService], exports: [CatalogService] })
export class CatalogModule {}
