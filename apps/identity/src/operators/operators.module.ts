import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { SharedModule } from '../shared/shared.module';
import { OperatorsDataModule } from './operators-data.module';
import { OperatorsHandlers } from './operators.handlers';
import { OperatorsService } from './operators.service';

/** Operators (bank advisors, accounting-firm collaborators): sign-in, management, portfolios, API keys. */
@Module({
  imports: [SharedModule, EventsModule, OperatorsDataModule, AuthModule],
  controllers: [OperatorsHandlers],
  providers: [OperatorsService],
})
export class OperatorsModule {}
