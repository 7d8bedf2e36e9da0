import { Module } from '@nestjs/common';
import { ReportAccessPolicy } from './report-access.policy';

/** Who may order and read a company's reports. */
@Module({ providers: [ReportAccessPolicy], exports: [ReportAccessPolicy] })
export class AccessModule {}
