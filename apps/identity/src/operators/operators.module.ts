import { Module } from '@nestjs/common';
import { OperatorsHandlers } from './operators.handlers';
import { OperatorsRepository } from './operators.repository';
import { OperatorsService } from './operators.service';

/** Operators (bank advisors, accounting-firm collaborators) and their API keys. */
@Module({ controllers: [OperatorsHandlers], providers: [OperatorsRepository, OperatorsService], exports: [OperatorsRepository] })
export class OperatorsModule {}
