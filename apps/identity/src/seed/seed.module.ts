import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { DemoSeedService } from './demo-seed.service';

/** The demo data set (SEED_DEMO=true). */
@Module({ imports: [EventsModule], providers: [DemoSeedService] })
export class SeedModule {}
