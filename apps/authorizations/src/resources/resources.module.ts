import { Module } from '@nestjs/common';
import { DemoResourcesSeed } from './demo-resources.seed';
import { ResourcesRepository } from './resources.repository';

/** A company's accounts and contracts (banking resources), as the rest of the service reads them. */
@Module({
  providers: [ResourcesRepository, DemoResourcesSeed],
  exports: [ResourcesRepository],
})
export class ResourcesModule {}
