import { Module } from '@nestjs/common';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { DemoResourcesSeed } from './demo-resources.seed';
import { ResourcesHandlers } from './resources.handlers';
import { ResourcesRepository } from './resources.repository';
import { ResourcesService } from './resources.service';

/** A company's accounts and contracts (banking resources). */
@Module({
  imports: [CompanyAccessModule],
  controllers: [ResourcesHandlers],
  providers: [ResourcesRepository, ResourcesService, DemoResourcesSeed],
  exports: [ResourcesRepository],
})
export class ResourcesModule {}
