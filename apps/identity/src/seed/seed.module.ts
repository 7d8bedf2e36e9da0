import { Module } from '@nestjs/common';
import { DemoSeedService } from './demo-seed.service';

/** The demo data set (SEED_DEMO=true). */
@Module({ providers: [DemoSeedService] })
export class SeedModule {}
