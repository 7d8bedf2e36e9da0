import { Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { FaultPoints } from '@procura/messaging';
import { Clock } from './clock';
import { ReportingEvents, ReportingOutboxRelay } from './reporting-events';

/** What every reporting feature uses: the clock, the outbox and its relay, the fault points of the tests. */
@Module({
  providers: [
    Clock,
    ReportingEvents,
    ReportingOutboxRelay,
    { provide: FaultPoints, useFactory: (config: AppConfig) => new FaultPoints(config), inject: [AppConfig] },
  ],
  exports: [Clock, ReportingEvents, ReportingOutboxRelay, FaultPoints],
})
export class SharedModule {}
