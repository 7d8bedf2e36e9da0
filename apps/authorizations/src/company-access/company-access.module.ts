import { Module } from '@nestjs/common';
import { CompanyAccessService } from './company-access.service';

/** Who may read or act on a company's data (its users, its operator). */
@Module({ providers: [CompanyAccessService], exports: [CompanyAccessService] })
export class CompanyAccessModule {}
